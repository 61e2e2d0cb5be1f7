import { z } from "zod";

export type ApprovalAction = "allow" | "ask" | "deny";

export const approvalRuleSchema = z.object({
  tool: z
    .string()
    .min(1)
    .describe(
      'Tool name glob, e.g. "hf_jobs", "hf_repo_*", "mcp__github__*" ("*" matches any run of characters).',
    ),
  args: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      'Argument patterns that must all match, e.g. {"path": "/etc/*"}; a value written /like this/i is a regular expression, anything else a glob.',
    ),
  action: z
    .enum(["allow", "ask", "deny"])
    .describe("What to do with a matching call; the last matching rule wins."),
});

export type ApprovalRule = z.infer<typeof approvalRuleSchema>;

export interface CompiledRule {
  rule: ApprovalRule;
  tool: RegExp;
  args: { key: string; pattern: RegExp }[];
}

/** `*` (or `**`) matches any run of characters, `?` one character; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") {
      while (glob[i + 1] === "*") i++;
      source += "[\\s\\S]*";
    } else if (ch === "?") source += "[\\s\\S]";
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** `/expr/flags` is a regular expression (unanchored, like grep); anything else a glob. */
export function compilePattern(pattern: string): RegExp {
  const m = /^\/(.+)\/([dgimsuvy]*)$/s.exec(pattern);
  if (m) return new RegExp(m[1]!, m[2]!.replace(/[gy]/g, ""));
  return globToRegExp(pattern);
}

export function compileRules(rules: readonly ApprovalRule[]): CompiledRule[] {
  return rules.map((rule) => ({
    rule,
    tool: globToRegExp(rule.tool),
    args: Object.entries(rule.args ?? {}).map(([key, pattern]) => ({
      key,
      pattern: compilePattern(pattern),
    })),
  }));
}

function argText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** The last rule matching the tool name and every listed argument, or undefined. */
export function matchRule(
  rules: readonly CompiledRule[],
  toolName: string,
  args: Record<string, unknown>,
): ApprovalRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i]!;
    if (!r.tool.test(toolName)) continue;
    const ok = r.args.every(({ key, pattern }) => {
      const text = argText(args[key]);
      return text !== undefined && pattern.test(text);
    });
    if (ok) return r.rule;
  }
  return undefined;
}
