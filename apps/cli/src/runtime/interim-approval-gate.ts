import type { ApprovalCandidate, ApprovalGate, GateVerdict } from "@ml-intern/core";
import type { MlInternConfig } from "../config/schema.ts";

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

function argsMatch(patterns: Record<string, string> | undefined, args: Record<string, unknown>): boolean {
  if (!patterns) return true;
  return Object.entries(patterns).every(([key, pattern]) => {
    const value = args[key];
    const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
    const regex = /^\/(.*)\/([a-z]*)$/.exec(pattern);
    return regex ? new RegExp(regex[1]!, regex[2]).test(text) : globToRegExp(pattern).test(text);
  });
}

export interface InterimGate extends ApprovalGate {
  setYolo(on: boolean): void;
  isYolo(): boolean;
}

/**
 * Interim approval gate (rules, YOLO, headless, session "always") until core's createMlInternAgent
 * wires its approval policy with the spend ledger. Replace with it.
 */
export function createInterimApprovalGate(options: {
  rules: MlInternConfig["approval_rules"];
  yolo: boolean;
  headless: boolean;
}): InterimGate {
  let yolo = options.yolo;
  const always = new Set<string>();
  const rules = options.rules.map((r) => ({ ...r, re: globToRegExp(r.tool) }));
  const decideOne = (c: ApprovalCandidate): GateVerdict => {
    const rule = rules.filter((r) => r.re.test(c.name) && argsMatch(r.args, c.args)).at(-1);
    const req = c.requirement;
    if (rule?.action === "deny") return { action: "deny", reason: `denied by the rule for "${rule.tool}"` };
    if (always.has(c.name) && !req?.alwaysAsk) return { action: "allow" };
    const needsHuman = rule?.action === "ask" || (req !== null && !rule);
    if (!needsHuman) return { action: "allow" };
    const reason = req?.reason ?? `The rule for "${rule?.tool}" asks before running ${c.name}.`;
    if (req?.alwaysAsk) {
      return options.headless
        ? { action: "deny", reason: `${reason} Headless runs cannot ask a human.` }
        : { action: "ask", reason, kind: req.kind };
    }
    if (yolo || (options.headless && rule?.action !== "ask")) return { action: "allow" };
    if (options.headless) return { action: "deny", reason: `${reason} Headless runs cannot ask a human.` };
    return { action: "ask", reason, kind: req?.kind ?? "custom" };
  };
  return {
    decide: (batch) => batch.map(decideOne),
    approveManually: (candidate, opts) => {
      if (opts?.always) always.add(candidate.name);
      return null;
    },
    setYolo: (on) => {
      yolo = on;
    },
    isYolo: () => yolo,
  };
}
