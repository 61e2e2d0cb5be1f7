/** `[#####.....] 50% message` or, without a total, `… 12 message`. */
export function progressBar(progress: number, total: number | undefined, message = "", width = 20): string {
  if (!total || total <= 0) return `… ${progress} ${message}`.trimEnd();
  const ratio = Math.max(0, Math.min(1, progress / total));
  const filled = Math.round(ratio * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.round(ratio * 100)}% ${message}`.trimEnd();
}
