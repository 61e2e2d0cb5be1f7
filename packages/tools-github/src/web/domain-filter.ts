/** Normalises a domain entry ("Example.com", "https://docs.example.com/x", "*.example.com") to a lowercase host. */
export function normalizeDomain(entry: string): string | undefined {
  let value = entry.trim().toLowerCase().replace(/^\*\./, "");
  if (!value) return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(value)) value = `http://${value}`;
  try {
    const host = new URL(value).hostname.replace(/^www\./, "").replace(/\.$/, "");
    return host || undefined;
  } catch {
    return undefined;
  }
}

/** True when `host` equals `domain` or is a subdomain of it. */
export function hostMatches(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/^www\./, "");
  return h === domain || h.endsWith(`.${domain}`);
}

export interface DomainFilter {
  allowed: string[];
  blocked: string[];
}

export function createDomainFilter(
  allowed: readonly string[] = [],
  blocked: readonly string[] = [],
): DomainFilter {
  const norm = (list: readonly string[]) => list.map(normalizeDomain).filter((d): d is string => Boolean(d));
  return { allowed: norm(allowed), blocked: norm(blocked) };
}

/** Applies the allowlist (if any) and then the blocklist. */
export function passesDomainFilter(url: string, filter: DomainFilter): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  if (filter.allowed.length && !filter.allowed.some((d) => hostMatches(host, d))) return false;
  return !filter.blocked.some((d) => hostMatches(host, d));
}
