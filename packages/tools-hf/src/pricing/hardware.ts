/**
 * Static Hugging Face hardware prices in dollars per hour. Only an offline fallback: the live price list is the
 * Hub's `GET /api/jobs/hardware` (see createHardwarePriceCatalog), which wins whenever it has answered.
 */
export const JOB_HARDWARE_PRICES_USD_PER_HOUR: Readonly<Record<string, number>> = {
  "cpu-basic": 0.05,
  "cpu-upgrade": 0.25,
  "cpu-performance": 0.5,
  "cpu-xl": 1,
  "t4-small": 0.6,
  "t4-medium": 0.9,
  l4x1: 1,
  l4x4: 4,
  l40sx1: 2,
  l40sx4: 8,
  l40sx8: 16,
  "a10g-small": 1,
  "a10g-large": 2,
  "a10g-largex2": 4,
  "a10g-largex4": 8,
  "a100-large": 4,
  a100x4: 16,
  a100x8: 32,
  h200: 10,
  h200x2: 20,
  h200x4: 40,
  h200x8: 80,
  inf2x6: 6,
};

export const SPACE_HARDWARE_PRICES_USD_PER_HOUR: Readonly<Record<string, number>> = {
  ...JOB_HARDWARE_PRICES_USD_PER_HOUR,
  "cpu-basic": 0,
  "cpu-upgrade": 0.05,
};

export const CPU_FLAVORS: ReadonlySet<string> = new Set([
  "cpu-basic",
  "cpu-upgrade",
  "cpu-performance",
  "cpu-xl",
]);

export function isCpuFlavor(flavor: string): boolean {
  return CPU_FLAVORS.has(flavor) || flavor.startsWith("cpu-");
}

/** Parses "30m", "2h", "1d", "90s" or bare seconds; returns hours, or null when unparseable. */
export function parseTimeoutHours(timeout: string | number | undefined, defaultHours = 0.5): number | null {
  if (timeout === undefined || timeout === "") return defaultHours;
  if (typeof timeout === "number") return timeout > 0 ? timeout / 3600 : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/i.exec(timeout);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? "s").toLowerCase();
  const hours = unit === "d" ? n * 24 : unit === "h" ? n : unit === "m" ? n / 60 : n / 3600;
  return hours > 0 ? hours : null;
}

/** Dollars for running `flavor` for `hours`; null when the price is unknown. */
export function estimateHardwareCost(
  flavor: string,
  hours: number | null,
  prices: Readonly<Record<string, number>> = JOB_HARDWARE_PRICES_USD_PER_HOUR,
): number | null {
  const price = prices[flavor];
  if (price === undefined || hours === null) return null;
  return Math.round(price * hours * 10_000) / 10_000;
}
