import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SpillOutput } from "@ml-intern/core";

export interface FileSpillOptions {
  /** Directory the full outputs go to (created on first spill), e.g. `<state home>/mcp-spill`. */
  dir: string;
  /** Applied to the text before it is written (core's redactor in the real server). */
  redact?: (text: string) => string;
}

/**
 * Where the MCP server saves the full text of an over-budget tool result: `<dir>/<call id>-<random>.txt`
 * (MCP request ids restart at 0 on every connection, so the id alone would collide across sessions).
 */
export function createFileSpill(options: FileSpillOptions): SpillOutput {
  return async (toolCallId, _toolName, text) => {
    const safe = toolCallId.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120) || "output";
    const path = join(options.dir, `${safe}-${randomUUID().slice(0, 8)}.txt`);
    try {
      await mkdir(options.dir, { recursive: true });
      await writeFile(path, options.redact ? options.redact(text) : text);
      return path;
    } catch {
      return undefined; // truncated without a pointer rather than failing the call
    }
  };
}
