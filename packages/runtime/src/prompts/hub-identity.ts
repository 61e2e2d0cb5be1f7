import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Who the Hugging Face token belongs to, as the system prompt shows it. */
export type HubIdentity =
  | { status: "resolved"; user: string; orgs: readonly string[] }
  /** No HF token is configured. */
  | { status: "anonymous" }
  /** A token is set but the Hub did not tell us whose it is (offline, slow, rejected). */
  | { status: "unknown"; reason: string };

export interface ResolveHubIdentityOptions {
  token: string | undefined;
  /** Hub base URL (HF_ENDPOINT); default https://huggingface.co. */
  hubUrl?: string;
  fetch?: typeof fetch;
  /** JSON file caching answers per token hash (never the token); none = no cache. */
  cacheFile?: string;
  /** How long a cached answer is trusted (default 24 h). */
  maxAgeMs?: number;
  /** Bound on the whoami request (default 3 s). */
  timeoutMs?: number;
  now?: () => number;
}

interface CacheEntry {
  user: string;
  orgs: string[];
  at: number;
}

const DEFAULT_HUB = "https://huggingface.co";
const DAY_MS = 24 * 60 * 60 * 1000;

function tokenKey(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 24);
}

function readCache(path: string): Record<string, CacheEntry> {
  try {
    if (!existsSync(path)) return {};
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, CacheEntry>)
      : {};
  } catch {
    return {};
  }
}

function writeCache(path: string, cache: Record<string, CacheEntry>): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(cache), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch {
    // A cache that cannot be written only costs one whoami call next time.
  }
}

/**
 * Resolves the HF user and their organisations once (whoami-v2), with a per-token disk cache so later
 * start-ups need no request. Never throws: failures become `unknown`, and the request is bounded, so a slow
 * or unreachable Hub never holds up a session.
 */
export async function resolveHubIdentity(options: ResolveHubIdentityOptions): Promise<HubIdentity> {
  const token = options.token?.trim();
  if (!token) return { status: "anonymous" };
  const now = options.now ?? Date.now;
  const key = tokenKey(token);
  const cache = options.cacheFile ? readCache(options.cacheFile) : {};
  const hit = cache[key];
  if (hit && typeof hit.user === "string" && now() - hit.at < (options.maxAgeMs ?? DAY_MS)) {
    return { status: "resolved", user: hit.user, orgs: Array.isArray(hit.orgs) ? hit.orgs : [] };
  }
  const base = (options.hubUrl?.trim() || DEFAULT_HUB).replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(`${base}/api/whoami-v2`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { status: "unknown", reason: `whoami answered HTTP ${response.status}` };
    }
    const body = (await response.json()) as { name?: unknown; orgs?: { name?: unknown }[] };
    if (typeof body.name !== "string" || body.name === "")
      return { status: "unknown", reason: "whoami gave no user name" };
    const orgs = (Array.isArray(body.orgs) ? body.orgs : [])
      .map((o) => o?.name)
      .filter((n): n is string => typeof n === "string" && n !== "")
      .sort();
    if (options.cacheFile) {
      writeCache(options.cacheFile, { ...cache, [key]: { user: body.name, orgs, at: now() } });
    }
    return { status: "resolved", user: body.name, orgs };
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    return {
      status: "unknown",
      reason: name === "TimeoutError" ? "the Hub did not answer in time" : "the Hub could not be reached",
    };
  }
}

/** Waits for an identity being resolved, at most `waitMs`; after that the session starts with `unknown`. */
export async function settleHubIdentity(
  pending: HubIdentity | Promise<HubIdentity>,
  waitMs: number,
): Promise<HubIdentity> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<HubIdentity>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: "unknown", reason: "the Hub did not answer in time" }),
      waitMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve(pending), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The session-context line about the Hugging Face account. */
export function describeHubIdentity(identity: HubIdentity | undefined): string {
  if (!identity) return "unknown";
  switch (identity.status) {
    case "resolved": {
      const namespaces = [identity.user, ...identity.orgs].join(", ");
      return `${identity.user} (namespaces you can use for repos and jobs: ${namespaces}; default ${identity.user})`;
    }
    case "anonymous":
      return "not logged in (no HF token is configured): Hub uploads, private repos and jobs will fail; ask the user to set HF_TOKEN";
    case "unknown":
      return `unknown (an HF token is configured, but ${identity.reason}); call hf_whoami if you need the user name`;
  }
}
