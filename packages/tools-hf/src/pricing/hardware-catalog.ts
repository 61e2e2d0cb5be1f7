import { JOB_HARDWARE_PRICES_USD_PER_HOUR } from "./hardware.ts";

/** One hardware flavor as the Hub lists it (`GET /api/jobs/hardware`), reduced to what estimates need. */
export interface HardwareOffer {
  name: string;
  prettyName?: string;
  cpu?: string;
  ram?: string;
  /** e.g. "1× A10G (24 GB)"; undefined for CPU flavors. */
  accelerator?: string;
  usdPerHour: number;
}

export interface HardwarePrice {
  flavor: string;
  usdPerHour: number;
  /** "hub": the Hub's own price list; "fallback": the static table (the Hub was not reachable yet). */
  source: "hub" | "fallback";
}

export interface HardwarePriceCatalog {
  /** Loads the Hub's list unless a fresh one is cached; never throws (an unreachable Hub keeps the fallback). */
  load(signal?: AbortSignal): Promise<void>;
  /** The price now: the Hub's when loaded, else the static fallback table; undefined when neither knows it. */
  price(flavor: string): HardwarePrice | undefined;
  /** The Hub's offers from the last successful load (empty before). */
  offers(): readonly HardwareOffer[];
  /** True once a Hub answer is cached and fresh. */
  isFresh(): boolean;
}

export interface HardwarePriceCatalogOptions {
  /** Fetches the raw `GET /api/jobs/hardware` JSON. */
  fetchHardware: (signal: AbortSignal) => Promise<unknown>;
  now?: () => number;
  /** How long a Hub answer stays fresh (default 6 h, as the original). */
  ttlMs?: number;
  /** Per-load timeout (default 3 s). */
  timeoutMs?: number;
  /** Offline fallback (default JOB_HARDWARE_PRICES_USD_PER_HOUR). */
  fallback?: Readonly<Record<string, number>>;
}

const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;

function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function perHour(unitUsd: number, unit: unknown): number | undefined {
  const label = typeof unit === "string" ? unit.toLowerCase() : "minute";
  if (label.startsWith("second")) return unitUsd * 3600;
  if (label.startsWith("minute") || label === "min") return unitUsd * 60;
  if (label.startsWith("hour")) return unitUsd;
  return undefined;
}

/**
 * Reads the Hub's hardware list tolerantly: `unitCostUSD` (or `unitCostMicroUSD` / 1e6) per `unitLabel`
 * ("minute" today), with `pricePerHour`-style fields accepted too. Entries without a usable price are skipped.
 */
export function parseHubHardware(raw: unknown): HardwareOffer[] {
  const list = Array.isArray(raw)
    ? raw
    : raw && typeof raw === "object" && Array.isArray((raw as { hardware?: unknown }).hardware)
      ? (raw as { hardware: unknown[] }).hardware
      : [];
  const offers: HardwareOffer[] = [];
  for (const item of list) {
    if (!item || typeof item !== "object") continue;
    const h = item as Record<string, unknown>;
    const name = typeof h.name === "string" ? h.name : typeof h.flavor === "string" ? h.flavor : undefined;
    if (!name) continue;
    const micro = num(h.unitCostMicroUSD);
    const unitUsd = num(h.unitCostUSD) ?? (micro !== undefined ? micro / 1_000_000 : undefined);
    const hourly =
      num(h.pricePerHour) ??
      num(h.priceUsdPerHour) ??
      (unitUsd !== undefined ? perHour(unitUsd, h.unitLabel) : undefined);
    if (hourly === undefined || hourly < 0) continue;
    const acc = h.accelerator as Record<string, unknown> | null | undefined;
    const accelerator =
      acc && typeof acc === "object"
        ? `${String(acc.quantity ?? 1)}× ${String(acc.model ?? acc.type ?? "accelerator")}${acc.vram ? ` (${String(acc.vram)})` : ""}`
        : undefined;
    offers.push({
      name,
      ...(typeof h.prettyName === "string" ? { prettyName: h.prettyName } : {}),
      ...(typeof h.cpu === "string" ? { cpu: h.cpu } : {}),
      ...(typeof h.ram === "string" ? { ram: h.ram } : {}),
      ...(accelerator ? { accelerator } : {}),
      usdPerHour: round4(hourly),
    });
  }
  return offers;
}

/**
 * The one price source for job estimates and the spend ledger: the Hub's `/api/jobs/hardware` answer, cached,
 * with the static table used only until the Hub has answered (or when it cannot be reached).
 */
export function createHardwarePriceCatalog(options: HardwarePriceCatalogOptions): HardwarePriceCatalog {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 6 * 3600_000;
  const timeoutMs = options.timeoutMs ?? 3000;
  const fallback = options.fallback ?? JOB_HARDWARE_PRICES_USD_PER_HOUR;
  let cached: { at: number; offers: HardwareOffer[]; byName: Map<string, HardwareOffer> } | undefined;
  let inflight: Promise<void> | undefined;
  const isFresh = () => cached !== undefined && now() - cached.at < ttlMs;

  return {
    isFresh,
    load(signal) {
      if (isFresh()) return Promise.resolve();
      if (inflight) return inflight;
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      inflight = options
        .fetchHardware(combined)
        .then((raw) => {
          const offers = parseHubHardware(raw);
          if (offers.length > 0)
            cached = { at: now(), offers, byName: new Map(offers.map((o) => [o.name, o])) };
        })
        .catch(() => {})
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    price(flavor) {
      const hub = cached?.byName.get(flavor);
      if (hub) return { flavor, usdPerHour: hub.usdPerHour, source: "hub" };
      const table = fallback[flavor];
      return table === undefined ? undefined : { flavor, usdPerHour: table, source: "fallback" };
    },
    offers: () => cached?.offers ?? [],
  };
}
