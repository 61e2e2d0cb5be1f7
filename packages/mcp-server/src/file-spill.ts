import { randomUUID } from "node:crypto";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SpillOutput } from "@ml-intern/core";

export interface FileSpillOptions {
  /** Directory the full outputs go to (created on first spill), e.g. `<state home>/mcp-spill`. */
  dir: string;
  /** Applied to the text before it is written (core's redactor in the real server). */
  redact?: (text: string) => string;
  /** Spill files kept; beyond it the oldest go (default 200). */
  maxFiles?: number;
  /** Bytes kept in all; beyond it the oldest go (default 256 MiB). */
  maxBytes?: number;
  /** Files older than this go (default 7 days): a pointer in a result is read soon or never. */
  maxAgeMs?: number;
  now?: () => number;
}

const SPILL_FILE = /\.txt$/;

/** Deletes the oldest spill files beyond the limits; the file just written is never among them. */
async function prune(
  dir: string,
  keep: string,
  limits: Required<Pick<FileSpillOptions, "maxFiles" | "maxBytes" | "maxAgeMs">>,
  now: number,
) {
  const names = (await readdir(dir)).filter((n) => SPILL_FILE.test(n));
  const files = (
    await Promise.all(
      names.map(async (name) => {
        const path = join(dir, name);
        const s = await stat(path).catch(() => undefined);
        return s?.isFile() ? { path, size: s.size, mtime: s.mtimeMs } : undefined;
      }),
    )
  )
    .filter((f) => f !== undefined)
    .sort((a, b) => b.mtime - a.mtime || (a.path === keep ? -1 : b.path === keep ? 1 : 0));
  let count = 0;
  let bytes = 0;
  for (const f of files) {
    count++;
    bytes += f.size;
    const over = count > limits.maxFiles || bytes > limits.maxBytes || now - f.mtime > limits.maxAgeMs;
    if (over && f.path !== keep) await rm(f.path, { force: true });
  }
}

/**
 * Where the MCP server saves the full text of an over-budget tool result: `<dir>/<call id>-<random>.txt`
 * (MCP request ids restart at 0 on every connection, so the id alone would collide across sessions).
 * The folder is bounded: after each write the oldest files beyond the count, size and age limits are deleted.
 */
export function createFileSpill(options: FileSpillOptions): SpillOutput {
  const limits = {
    maxFiles: options.maxFiles ?? 200,
    maxBytes: options.maxBytes ?? 256 * 1024 * 1024,
    maxAgeMs: options.maxAgeMs ?? 7 * 24 * 60 * 60_000,
  };
  const now = options.now ?? Date.now;
  return async (toolCallId, _toolName, text) => {
    const safe = toolCallId.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120) || "output";
    const path = join(options.dir, `${safe}-${randomUUID().slice(0, 8)}.txt`);
    try {
      await mkdir(options.dir, { recursive: true, mode: 0o700 });
      await writeFile(path, options.redact ? options.redact(text) : text, { mode: 0o600 });
    } catch {
      return undefined; // truncated without a pointer rather than failing the call
    }
    await prune(options.dir, path, limits, now()).catch(() => {});
    return path;
  };
}
