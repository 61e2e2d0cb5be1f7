import { highlight } from "cli-highlight";
import type { Colors } from "./colors.ts";

const LANGUAGES: Record<string, string> = {
  py: "python",
  ts: "typescript",
  tsx: "typescript",
  js: "javascript",
  mjs: "javascript",
  json: "json",
  sh: "bash",
  bash: "bash",
  md: "markdown",
  yaml: "yaml",
  yml: "yaml",
  toml: "ini",
  rs: "rust",
  go: "go",
  html: "xml",
  css: "css",
};

/** The highlight.js language for a file path, or undefined. */
export function languageOf(path: string | undefined): string | undefined {
  const ext = path?.split(".").at(-1)?.toLowerCase();
  return ext ? LANGUAGES[ext] : undefined;
}

/** Source as the user reads it: highlighted when colours are on, numbered, at most `maxLines` lines. */
export function renderCode(
  code: string,
  c: Colors,
  options: { language?: string; maxLines?: number; indent?: string; numbers?: boolean } = {},
): string {
  const indent = options.indent ?? "  ";
  const maxLines = options.maxLines ?? 40;
  let text = code.replace(/\n$/, "");
  if (c.enabled && options.language) {
    try {
      text = highlight(text, { language: options.language, ignoreIllegals: true });
    } catch {
      // unknown language: plain
    }
  }
  const lines = text.split("\n");
  const shown = lines.slice(0, maxLines);
  const width = String(shown.length).length;
  const numbers = options.numbers ?? true;
  const body = shown.map((line, i) =>
    numbers ? `${indent}${c.dim(`${String(i + 1).padStart(width)} │`)} ${line}` : `${indent}${line}`,
  );
  if (lines.length > maxLines)
    body.push(`${indent}${c.dim(`… ${lines.length - maxLines} more lines (e opens all of it in $EDITOR)`)}`);
  return body.join("\n");
}
