import { type ApprovalRequirement, evaluateApprovalRequirement, type ToolDefinition } from "@ml-intern/tool";
import { type ApprovalAction, type ApprovalRule, compileRules, matchRule } from "./rules.ts";
import { createSpendLedger, type SpendLedger } from "./spend-ledger.ts";

export interface ApprovalPolicyOptions {
  /** User rules from config; the last matching rule wins. */
  rules?: readonly ApprovalRule[];
  /** Auto-approve calls that need approval (within the spend cap; never `alwaysAsk` ones). */
  yolo: boolean;
  /** Ceiling in dollars for auto-approved estimated spend; null = uncapped. */
  spendCapUsd: number | null;
  /** No human is present: auto-approve within the cap, deny whatever would need a human. */
  headless: boolean;
  /** Spend already incurred in this session (resumed sessions). */
  initialSpendUsd?: number;
  /**
   * How this host raises the cap, given the total the refused call needs, e.g.
   * (n) => `run again with --max-spend ${n}`. Appended to over-cap refusals.
   */
  raiseCapHint?: (neededUsd: number) => string;
}

/** The part of a tool the policy reads; MCP tools pass their qualified name (`mcp__server__tool`). */
export type ApprovalTool = Pick<ToolDefinition, "name" | "needsApproval">;

export interface ApprovalSubject {
  tool: ApprovalTool;
  toolCallId: string;
  /** Validated arguments. */
  args: Record<string, unknown>;
}

export type ApprovalSource = "none" | "tool" | "rule" | "yolo" | "headless" | "session";

export interface PolicyVerdict {
  action: ApprovalAction;
  /** Human-readable: why the call is allowed, needs a human, or is refused. */
  reason: string;
  source: ApprovalSource;
  /** The tool's own requirement (null when it needs none). */
  requirement: ApprovalRequirement | null;
  estimatedCostUsd?: number | null;
  /** Cap left after earlier spend and reservations (capped policies only). */
  remainingCapUsd?: number;
  /** Auto-approval would have applied but was refused (cost unknown, over the cap, always-ask). */
  autoApprovalBlocked?: boolean;
  blockReason?: string;
  /** Dollars reserved for this call: release it if the call fails, reconcile it with the actual cost. */
  reservedUsd?: number;
}

export type UserApprovalOutcome = { ok: true; reservedUsd?: number } | { ok: false; reason: string };

export interface ApprovalPolicy {
  /** Classifies one call; spend for an auto-approved call is reserved immediately. Never throws. */
  decide(subject: ApprovalSubject): PolicyVerdict;
  /**
   * Records a human approval of an "ask" verdict. `always` auto-approves the tool for the rest of the
   * session. Under YOLO/headless the cap stays a hard budget, so an over-cap approval is refused.
   */
  approveByUser(
    subject: ApprovalSubject,
    requirement: ApprovalRequirement | null,
    options?: { always?: boolean },
  ): UserApprovalOutcome;
  /** The call failed or was rejected: give its reservation back. */
  release(toolCallId: string): void;
  /** The call finished: replace its estimate with the actual cost. */
  reconcile(toolCallId: string, actualUsd: number, options?: { allowZero?: boolean }): void;
  setYolo(on: boolean): void;
  isYolo(): boolean;
  /** Tools the user chose to always allow in this session. */
  alwaysAllowed(): readonly string[];
  readonly ledger: SpendLedger;
}

const money = (n: number): string => `$${n.toFixed(2)}`;

export function createApprovalPolicy(options: ApprovalPolicyOptions): ApprovalPolicy {
  const rules = compileRules(options.rules ?? []);
  const ledger = createSpendLedger({ capUsd: options.spendCapUsd, initialSpendUsd: options.initialSpendUsd });
  const always = new Set<string>();
  let yolo = options.yolo;
  const capped = options.spendCapUsd !== null;
  const remaining = (): number | undefined => (capped ? ledger.remainingUsd() : undefined);
  const capHint = (needed: number): string => {
    const at = Math.ceil(Math.round(needed * 1e6) / 1e4) / 100;
    const how = options.raiseCapHint?.(at) ?? `raise spend_cap_usd in the configuration to at least ${at}`;
    return `To allow it, ${how}.`;
  };

  /** What happens to a call that needs a human when none will answer, or when auto-approval is blocked. */
  const needsHuman = (
    base: Omit<PolicyVerdict, "action" | "reason" | "source">,
    reason: string,
    source: ApprovalSource,
  ): PolicyVerdict => {
    if (options.headless) {
      const why = base.blockReason ?? reason;
      return {
        ...base,
        action: "deny",
        source: "headless",
        reason: `${why} Headless mode has no one to approve it, so the call was refused.`,
      };
    }
    return { ...base, action: "ask", source, reason };
  };

  const spendFields = (requirement: ApprovalRequirement) => {
    const estimatedCostUsd =
      requirement.kind === "spend" ? (requirement.estimatedCostUsd ?? null) : undefined;
    const rem = remaining();
    return {
      ...(estimatedCostUsd !== undefined ? { estimatedCostUsd } : {}),
      ...(rem !== undefined ? { remainingCapUsd: rem } : {}),
    };
  };

  /** Auto-approval of a requirement, subject to always-ask, known cost and the cap. */
  const autoApprove = (
    subject: ApprovalSubject,
    requirement: ApprovalRequirement,
    source: ApprovalSource,
  ): PolicyVerdict => {
    const base = { requirement, ...spendFields(requirement) };
    if (requirement.alwaysAsk) {
      const blockReason = `${requirement.reason} This always requires manual approval, even in YOLO mode.`;
      return needsHuman({ ...base, autoApprovalBlocked: true, blockReason }, blockReason, "tool");
    }
    if (requirement.kind !== "spend") {
      return { ...base, action: "allow", source, reason: `Auto-approved (${source}): ${requirement.reason}` };
    }
    const cost = requirement.estimatedCostUsd;
    if (cost === undefined || cost === null || !Number.isFinite(cost)) {
      const blockReason = `The cost of this call could not be estimated, so it cannot be auto-approved. ${requirement.reason}`;
      return needsHuman({ ...base, autoApprovalBlocked: true, blockReason }, blockReason, "tool");
    }
    if (!ledger.fits(cost)) {
      const blockReason = `Estimated cost ${money(cost)} exceeds the remaining spend cap ${money(ledger.remainingUsd())} (cap ${money(options.spendCapUsd ?? 0)}, ${money(ledger.totalUsd())} already spent or reserved). ${capHint(ledger.totalUsd() + cost)}`;
      return needsHuman({ ...base, autoApprovalBlocked: true, blockReason }, blockReason, "tool");
    }
    ledger.reserve(subject.toolCallId, cost);
    return {
      ...base,
      ...(capped ? { remainingCapUsd: ledger.remainingUsd() } : {}),
      action: "allow",
      source,
      reservedUsd: cost,
      reason: `Auto-approved (${source}) with estimated cost ${money(cost)}: ${requirement.reason}`,
    };
  };

  const decide = (subject: ApprovalSubject): PolicyVerdict => {
    const name = subject.tool.name;
    const toolRequirement = evaluateApprovalRequirement(subject.tool, subject.args);
    const rule = matchRule(rules, name, subject.args);

    if (rule?.action === "deny") {
      return {
        action: "deny",
        source: "rule",
        requirement: toolRequirement,
        reason: `Denied by your approval rule for '${rule.tool}'. Change the call or ask the user to change the rule.`,
      };
    }
    const requirement: ApprovalRequirement | null =
      toolRequirement ??
      (rule?.action === "ask"
        ? { kind: "custom", reason: `Your approval rule for '${rule.tool}' asks first.` }
        : null);
    if (!requirement)
      return { action: "allow", source: "none", requirement: null, reason: "No approval needed." };

    if (rule?.action === "allow") return autoApprove(subject, requirement, "rule");
    if (always.has(name)) return autoApprove(subject, requirement, "session");
    if (options.headless) return autoApprove(subject, requirement, "headless");
    if (yolo) return autoApprove(subject, requirement, "yolo");
    return needsHuman(
      { requirement, ...spendFields(requirement) },
      requirement.reason,
      rule ? "rule" : "tool",
    );
  };

  return {
    decide(subject) {
      try {
        return decide(subject);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return needsHuman({ requirement: null }, `Approval check failed (${message}).`, "tool");
      }
    },
    approveByUser(subject, requirement, opts) {
      if (opts?.always) always.add(subject.tool.name);
      const cost = requirement?.kind === "spend" ? requirement.estimatedCostUsd : undefined;
      if (cost === undefined || cost === null) return { ok: true };
      if ((yolo || options.headless) && !ledger.fits(cost)) {
        return {
          ok: false,
          reason: `Estimated cost ${money(cost)} exceeds the remaining spend cap ${money(ledger.remainingUsd())}. ${capHint(ledger.totalUsd() + cost)} Or turn YOLO mode off to approve it yourself.`,
        };
      }
      ledger.reserve(subject.toolCallId, cost);
      return { ok: true, reservedUsd: cost };
    },
    release: (id) => {
      ledger.release(id);
    },
    reconcile: (id, actual, opts) => ledger.reconcile(id, actual, opts),
    setYolo(on) {
      yolo = on;
    },
    isYolo: () => yolo,
    alwaysAllowed: () => [...always],
    ledger,
  };
}
