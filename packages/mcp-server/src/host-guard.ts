/** DNS-rebinding protection: which Host and Origin headers a server bound to `bindHost` accepts. */

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return LOOPBACK_NAMES.has(h) || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The hostname part of a Host header value ("localhost:8080" → "localhost", "[::1]:80" → "[::1]"). */
export function hostnameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return end > 0 ? value.slice(0, end + 1) : value;
  }
  const colon = value.indexOf(":");
  return colon >= 0 ? value.slice(0, colon) : value;
}

export interface HostGuardOptions {
  /** The address the server listens on. */
  bindHost: string;
  /** Extra Host names to accept (e.g. a public DNS name); checked on non-loopback binds. */
  allowedHosts?: readonly string[];
  /** Extra Origins to accept besides loopback ones; on non-loopback binds, when set, others are refused. */
  allowedOrigins?: readonly string[];
}

export type HostVerdict = { ok: true } | { ok: false; reason: string };

/**
 * On loopback, Host and (when present) Origin must be loopback forms; elsewhere only configured lists apply.
 * The returned checker is built once per server (it runs on every request).
 */
export function createHostGuard(
  options: HostGuardOptions,
): (host: string | null | undefined, origin: string | null | undefined) => HostVerdict {
  const loopback = isLoopbackHost(options.bindHost);
  const allowedHosts = new Set((options.allowedHosts ?? []).map((h) => hostnameOf(h)));
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  return (host, origin) => {
    if (loopback || allowedHosts.size > 0) {
      const name = host ? hostnameOf(host) : "";
      const fine = (loopback && isLoopbackHost(name)) || allowedHosts.has(name);
      if (!fine) return { ok: false, reason: `Host header "${host ?? ""}" is not allowed.` };
    }
    if (origin && origin !== "null") {
      let originHost: string;
      try {
        originHost = new URL(origin).hostname;
      } catch {
        return { ok: false, reason: `Origin "${origin}" is not a valid origin.` };
      }
      const fine = allowedOrigins.has(origin) || (loopback && isLoopbackHost(originHost));
      if (!fine && (loopback || allowedOrigins.size > 0)) {
        return { ok: false, reason: `Origin "${origin}" is not allowed.` };
      }
    } else if (origin === "null" && loopback) {
      return { ok: false, reason: 'Origin "null" is not allowed.' };
    }
    return ACCEPTED;
  };
}

const ACCEPTED: HostVerdict = { ok: true };

/** One-off form of createHostGuard. */
export function checkHostAndOrigin(
  options: HostGuardOptions,
  host: string | null | undefined,
  origin: string | null | undefined,
): HostVerdict {
  return createHostGuard(options)(host, origin);
}
