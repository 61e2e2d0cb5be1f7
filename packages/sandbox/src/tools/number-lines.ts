import { DEFAULT_READ_LINES, MAX_LINE_CHARS } from "../core/limits.ts";

export interface NumberedPage {
  text: string;
  firstLine: number;
  lastLine: number;
  totalLines: number;
}

/** cat -n style page of a file: right-aligned numbers, a tab, each line cut at 4,000 chars. */
export function numberLines(content: string, offset = 1, limit = DEFAULT_READ_LINES): NumberedPage {
  const lines = content.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const totalLines = content === "" ? 0 : lines.length;
  const first = Math.max(1, Math.floor(offset));
  const count = Math.max(1, Math.floor(limit));
  const page = content === "" ? [] : lines.slice(first - 1, first - 1 + count);
  const text = page
    .map((line, i) => {
      const body = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}...` : line;
      return `${String(first + i).padStart(6)}\t${body.replace(/\r$/, "")}`;
    })
    .join("\n");
  return { text, firstLine: first, lastLine: first + page.length - 1, totalLines };
}
