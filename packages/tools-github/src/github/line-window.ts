export interface LineWindow {
  text: string;
  start: number;
  end: number;
  total: number;
  /** Set when more lines follow the window. */
  nextStart?: number;
}

export interface LineWindowOptions {
  lineStart?: number;
  lineEnd?: number;
  /** Lines shown when no range is given. */
  defaultLines: number;
  /** Character budget for the window; cut at a line boundary. */
  maxChars: number;
}

/** Selects 1-based inclusive lines, clamped to the file and to the character budget. */
export function selectLines(content: string, options: LineWindowOptions): LineWindow | { error: string } {
  const lines = content.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const total = lines.length;
  const start = options.lineStart ?? 1;
  if (options.lineEnd !== undefined && options.lineEnd < start) {
    return { error: `line_start (${start}) must not be greater than line_end (${options.lineEnd}).` };
  }
  if (start > total) {
    return { error: `line_start (${start}) is past the end of the file, which has ${total} lines.` };
  }
  let end = Math.min(total, options.lineEnd ?? start + options.defaultLines - 1);
  let chars = 0;
  for (let i = start; i <= end; i++) {
    chars += (lines[i - 1]?.length ?? 0) + 1;
    if (chars > options.maxChars && i > start) {
      end = i - 1;
      break;
    }
  }
  let text = lines.slice(start - 1, end).join("\n");
  if (text.length > options.maxChars) text = `${text.slice(0, options.maxChars)}… [line cut]`;
  return { text, start, end, total, ...(end < total ? { nextStart: end + 1 } : {}) };
}
