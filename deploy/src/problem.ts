/** One failed check: which rule, where in the template, and what to fix. */
export interface Problem {
  rule: string;
  path: string;
  message: string;
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `[${p.rule}] ${p.path}: ${p.message}`).join("\n");
}
