import { type FileHandle, mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import { createAnsiStripper } from "./ansi.ts";
import { MAX_OUTPUT_CHARS, MAX_SPILL_BYTES, OUTPUT_HEAD_RATIO } from "./limits.ts";

export interface CollectedOutput {
  /** ANSI-stripped output, cut to the budget (head + marker + tail) when it was longer. */
  text: string;
  truncated: boolean;
  totalChars: number;
  /** Where the full (stripped) output was saved when it was truncated. */
  spillPath?: string;
}

export interface OutputCollectorOptions {
  maxChars?: number;
  /** Directory for the spill file; without one, a truncated output is not saved. */
  spillDir?: string;
  /** Unique part of the spill file name. */
  spillName: string;
  /** Most bytes written to the spill file; the rest of the output is dropped from it (default 32 MiB). */
  maxSpillBytes?: number;
}

export interface OutputCollector {
  push(chunk: string): void;
  finish(): Promise<CollectedOutput>;
}

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * Collects streamed output within a fixed memory budget: the first 25% and the last 75% of the budget are
 * kept, and once the output outgrows the budget everything is streamed to a spill file.
 */
export function createOutputCollector(options: OutputCollectorOptions): OutputCollector {
  const max = options.maxChars ?? MAX_OUTPUT_CHARS;
  const headLen = Math.floor(max * OUTPUT_HEAD_RATIO);
  const tailLen = max - headLen;
  const stripper = createAnsiStripper();
  let full = ""; // everything, while it fits the budget
  let head = "";
  let tail = "";
  let total = 0;
  let overflow = false;
  let spillPath: string | undefined;
  let handle: Promise<FileHandle | undefined> | undefined;
  let writes: Promise<void> = Promise.resolve();
  const spillBudget = options.maxSpillBytes ?? MAX_SPILL_BYTES;
  let spilled = 0;
  let spillCapped = false;

  const spill = (whole: string) => {
    if (!options.spillDir || spillCapped) return;
    let text = whole;
    const bytes = Buffer.byteLength(text);
    if (spilled + bytes > spillBudget) {
      spillCapped = true;
      // Cut by characters with a safe margin (a character is at most 4 bytes in UTF-8).
      text = text.slice(0, Math.max(0, Math.floor((spillBudget - spilled) / 4)));
    }
    spilled += Buffer.byteLength(text);
    if (!handle) {
      const dir = options.spillDir;
      spillPath = join(dir, `bash_output_${options.spillName}.txt`);
      const path = spillPath;
      handle = mkdir(dir, { recursive: true })
        .then(() => open(path, "w", 0o644))
        .catch(() => {
          spillPath = undefined;
          return undefined;
        });
    }
    const h = handle;
    writes = writes.then(async () => {
      const fh = await h;
      if (fh) await fh.write(text);
    });
  };

  const add = (text: string) => {
    if (!text) return;
    total += text.length;
    if (!overflow) {
      full += text;
      if (full.length <= max) return;
      overflow = true;
      head = full.slice(0, headLen);
      tail = full.slice(-tailLen);
      spill(full);
      full = "";
      return;
    }
    tail = (tail + text).slice(-tailLen);
    spill(text);
  };

  return {
    push(chunk) {
      add(stripper.push(chunk));
    },
    async finish() {
      add(stripper.flush());
      if (!overflow) return { text: full, truncated: false, totalChars: total };
      await writes.catch(() => undefined);
      const fh = handle ? await handle : undefined;
      await fh?.close().catch(() => undefined);
      const omitted = total - head.length - tail.length;
      const marker = `\n\n... (${fmt(omitted)} of ${fmt(total)} chars omitted, showing first ${fmt(head.length)} + last ${fmt(tail.length)}) ...\n\n`;
      const where = spillPath
        ? spillCapped
          ? `\n\nThe first ${fmt(spilled)} bytes of the output were saved to ${spillPath} (the spill file is capped; the rest was dropped) — use the read tool with offset/limit (or grep) to inspect specific sections.`
          : `\n\nFull output saved to ${spillPath} — use the read tool with offset/limit (or grep) to inspect specific sections.`
        : "";
      return { text: head + marker + tail + where, truncated: true, totalChars: total, spillPath };
    },
  };
}
