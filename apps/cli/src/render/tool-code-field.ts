import { languageOf } from "./code-view.ts";

export interface CodeField {
  key: string;
  code: string;
  language?: string;
}

/**
 * The argument of a call that is code (a job's script, a bash command, a file's content), shown as code and
 * edited as its own file instead of as an escaped JSON string.
 */
export function codeField(tool: string, args: Record<string, unknown>): CodeField | undefined {
  const str = (k: string) => (typeof args[k] === "string" ? (args[k] as string) : undefined);
  const script = str("script");
  if (script !== undefined && (script.includes("\n") || tool === "hf_jobs"))
    return { key: "script", code: script, language: /^https?:\/\//.test(script) ? undefined : "python" };
  if (tool === "bash" && str("command") !== undefined)
    return { key: "command", code: str("command") ?? "", language: "bash" };
  if (tool === "write" && str("content") !== undefined)
    return { key: "content", code: str("content") ?? "", language: languageOf(str("path")) };
  for (const [key, value] of Object.entries(args)) {
    if (typeof value === "string" && value.includes("\n")) return { key, code: value };
  }
  return undefined;
}
