import { describe, expect, test } from "bun:test";
import { createDomainFilter, normalizeDomain, passesDomainFilter } from "../../src/web/domain-filter.ts";

describe("domain filter", () => {
  test("entries may be hosts, URLs or wildcards", () => {
    expect(normalizeDomain("https://Docs.Example.com/path?q=1")).toBe("docs.example.com");
    expect(normalizeDomain("*.example.com")).toBe("example.com");
    expect(normalizeDomain("www.example.com")).toBe("example.com");
    expect(normalizeDomain("   ")).toBeUndefined();
  });

  test("subdomains match, look-alike hosts do not", () => {
    const filter = createDomainFilter(["example.com"]);
    expect(passesDomainFilter("https://a.b.example.com/x", filter)).toBe(true);
    expect(passesDomainFilter("https://example.com", filter)).toBe(true);
    expect(passesDomainFilter("https://notexample.com", filter)).toBe(false);
    expect(passesDomainFilter("https://example.com.evil.io", filter)).toBe(false);
  });

  test("blocklist applies after the allowlist", () => {
    const filter = createDomainFilter(["example.com"], ["ads.example.com"]);
    expect(passesDomainFilter("https://docs.example.com", filter)).toBe(true);
    expect(passesDomainFilter("https://ads.example.com/x", filter)).toBe(false);
  });
});
