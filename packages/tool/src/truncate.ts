/** The shared output budget: what any single tool result may cost the model's context. */
export const DEFAULT_OUTPUT_BUDGET_CHARS = 25_000;

export interface TruncateOptions {
  maxChars?: number;
  /** Fraction of the budget kept from the start; the rest comes from the end. */
  headRatio?: number;
  /** Where the full text was saved, so the model can read it back. */
  spillPath?: string;
}

export interface Truncated {
  text: string;
  truncated: boolean;
  omittedChars: number;
}

/** Keeps the head (25% by default) and tail (75%) of a long text, with a marker naming what was cut. */
export function truncateMiddle(text: string, options: TruncateOptions = {}): Truncated {
  const max = options.maxChars ?? DEFAULT_OUTPUT_BUDGET_CHARS;
  if (text.length <= max) return { text, truncated: false, omittedChars: 0 };
  const headLen = Math.floor(max * (options.headRatio ?? 0.25));
  const tailLen = max - headLen;
  const omitted = text.length - headLen - tailLen;
  const where = options.spillPath
    ? ` Full output saved to ${options.spillPath}; read it with offset/limit or grep it.`
    : "";
  const marker = `\n\n... [${omitted} characters omitted of ${text.length}.${where}] ...\n\n`;
  return {
    text: text.slice(0, headLen) + marker + text.slice(text.length - tailLen),
    truncated: true,
    omittedChars: omitted,
  };
}
