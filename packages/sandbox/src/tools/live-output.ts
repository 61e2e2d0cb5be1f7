import { createAnsiStripper } from "../core/ansi.ts";

/**
 * A command's output as it arrives, turned into bounded log messages for the user (never the model, which
 * gets the whole result at the end). Complete lines are batched and sent every `intervalMs`; a flood keeps
 * only the newest `maxLinesPerFlush` lines of each batch, and past `maxLines` lines in all it slows to the
 * newest line every `slowIntervalMs`, so an hour of chatter cannot fill the session file or the UI.
 */
export interface LiveOutputOptions {
  /** Receives one message of one or more lines. */
  emit(text: string): void;
  intervalMs?: number;
  maxLinesPerFlush?: number;
  /** Lines sent in full before slowing down. */
  maxLines?: number;
  slowIntervalMs?: number;
  /** A longer line is cut (with …). */
  maxLineChars?: number;
}

export interface LiveOutput {
  write(chunk: string): void;
  /** Sends what is pending, including a last line without a newline, and stops the timer. */
  end(): void;
}

export const LIVE_OUTPUT_DEFAULTS = {
  intervalMs: 250,
  maxLinesPerFlush: 20,
  maxLines: 1000,
  slowIntervalMs: 5000,
  maxLineChars: 400,
} as const;

export function createLiveOutput(options: LiveOutputOptions): LiveOutput {
  const o = { ...LIVE_OUTPUT_DEFAULTS, ...options };
  let partial = "";
  let pending: string[] = [];
  let skipped = 0;
  let sent = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ended = false;
  const ansi = createAnsiStripper();

  const cut = (line: string) =>
    line.length > o.maxLineChars ? `${line.slice(0, o.maxLineChars - 1)}…` : line;
  // A carriage return redraws the line (progress bars): only its last state is worth showing.
  const lastState = (line: string) => {
    const i = line.lastIndexOf("\r", line.length - 2);
    return (i === -1 ? line : line.slice(i + 1)).replace(/\r$/, "");
  };

  const flush = () => {
    timer = undefined;
    if (pending.length === 0) return;
    const slow = sent >= o.maxLines;
    const room = slow ? 1 : Math.min(o.maxLinesPerFlush, o.maxLines - sent);
    const lines = pending.slice(-room);
    skipped += pending.length - lines.length;
    pending = [];
    const head = skipped > 0 ? [`… ${skipped} line${skipped === 1 ? "" : "s"} not shown`] : [];
    skipped = 0;
    sent += lines.length;
    o.emit([...head, ...lines].join("\n"));
  };

  const schedule = () => {
    if (timer || ended) return;
    timer = setTimeout(flush, sent >= o.maxLines ? o.slowIntervalMs : o.intervalMs);
    timer.unref?.();
  };

  return {
    write(chunk) {
      if (ended || chunk.length === 0) return;
      const parts = (partial + ansi.push(chunk)).split("\n");
      partial = parts.pop() ?? "";
      if (partial.length > o.maxLineChars * 4) partial = partial.slice(-o.maxLineChars * 4);
      for (const line of parts) {
        const shown = lastState(line);
        if (shown.trim() !== "") pending.push(cut(shown));
      }
      if (pending.length > o.maxLinesPerFlush) {
        skipped += pending.length - o.maxLinesPerFlush;
        pending = pending.slice(-o.maxLinesPerFlush);
      }
      if (pending.length > 0) schedule();
    },
    end() {
      if (ended) return;
      ended = true;
      if (timer) clearTimeout(timer);
      const last = lastState(partial + ansi.flush());
      if (last.trim() !== "") pending.push(cut(last));
      partial = "";
      flush();
    },
  };
}
