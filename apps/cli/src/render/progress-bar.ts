/**
 * `[#####.....] 50% message` or, without a total, the message alone (it usually carries the count, e.g.
 * "12 log lines"), else the bare count.
 */
export function progressBar(progress: number, total: number | undefined, message = "", width = 20): string {
  if (!total || total <= 0) {
    const text = message.trim();
    if (!text) return `${progress}`;
    return text.includes(String(progress)) ? text : `${progress} ${text}`;
  }
  const ratio = Math.max(0, Math.min(1, progress / total));
  const filled = Math.round(ratio * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.round(ratio * 100)}% ${message}`.trimEnd();
}

/** A label that ends in exactly one ellipsis, however many it (or a caller) already had. */
export function withEllipsis(label: string): string {
  return `${label.replace(/(\s*(…|\.\.\.))+\s*$/, "")}…`;
}
