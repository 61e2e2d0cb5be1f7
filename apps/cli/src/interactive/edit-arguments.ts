import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AnyToolDefinition } from "@ml-intern/core";
import { codeField } from "../render/tool-code-field.ts";
import { parseEditedArguments } from "./approval-answer.ts";

const EXTENSIONS: Record<string, string> = { python: "py", bash: "sh", typescript: "ts", javascript: "js" };

export interface EditFile {
  name: string;
  content: string;
  /** Turns the edited file back into the call's arguments (or an error to show). */
  parse(edited: string): Record<string, unknown> | string;
}

/**
 * What the user edits: the call's code field alone as a file of its language (a job's script as a .py), or
 * else the arguments as pretty JSON.
 */
export function editFileFor(tool: string, args: Record<string, unknown>): EditFile {
  const field = codeField(tool, args);
  if (field) {
    const ext = (field.language && EXTENSIONS[field.language]) ?? "txt";
    return {
      name: `${tool}-${field.key}.${ext}`,
      content: field.code,
      parse: (edited) => ({ ...args, [field.key]: edited }),
    };
  }
  return {
    name: `${tool}-arguments.json`,
    content: `${JSON.stringify(args, null, 2)}\n`,
    parse: (edited) => parseEditedArguments(edited),
  };
}

/** Validates edited arguments against the tool's schema: the arguments, or one line naming the bad field. */
export function validateArguments(
  definition: AnyToolDefinition | undefined,
  args: Record<string, unknown>,
): Record<string, unknown> | string {
  if (!definition) return args;
  const result = definition.input.safeParse(args);
  if (result.success) return args;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.join(".") : "arguments";
  return `${path}: ${issue?.message ?? "invalid"}`;
}

/**
 * Opens the file in $VISUAL/$EDITOR (vi when neither is set) with the terminal handed over, and returns the
 * saved text, or an error when the editor failed.
 */
export function runEditor(
  file: EditFile,
  env: Record<string, string | undefined>,
): string | { error: string } {
  const editor = env.VISUAL || env.EDITOR || "vi";
  const dir = mkdtempSync(join(tmpdir(), "ml-intern-edit-"));
  const path = join(dir, file.name);
  try {
    writeFileSync(path, file.content, { mode: 0o600 });
    const proc = Bun.spawnSync(["sh", "-c", `${editor} "$1"`, "sh", path], {
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
      env: env as Record<string, string>,
    });
    if (proc.exitCode !== 0)
      return { error: `${editor} exited with code ${proc.exitCode}; arguments unchanged` };
    return readFileSync(path, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
