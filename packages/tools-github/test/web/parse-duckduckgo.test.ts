import { describe, expect, test } from "bun:test";
import { parseDuckDuckGoHtml, resolveResultUrl } from "../../src/web/parse-duckduckgo.ts";

const PAGE = "https://html.duckduckgo.com/html/?q=x";

describe("parseDuckDuckGoHtml", () => {
  test("resolves uddg redirects and drops tracking/ad links and non-http targets", () => {
    expect(resolveResultUrl("//duckduckgo.com/l/?uddg=https%3A%2F%2Fa.io%2Fp%3Fq%3D1&rut=z", PAGE)).toBe(
      "https://a.io/p?q=1",
    );
    expect(resolveResultUrl("https://duckduckgo.com/y.js?ad_domain=x", PAGE)).toBeUndefined();
    expect(resolveResultUrl("javascript:alert(1)", PAGE)).toBeUndefined();
  });

  test("unknown markup falls back to outbound anchors, unescaping and collapsing titles", () => {
    const html = `<html><body><a href="/html/?q=next">Next</a>
      <a href="https://x.org/a">  Fish &amp;
        Chips </a><a href="https://y.org/b"></a></body></html>`;
    const page = parseDuckDuckGoHtml(html, PAGE);
    expect(page.hits).toEqual([{ title: "Fish & Chips", url: "https://x.org/a" }]);
    expect(page.blocked).toBe(false);
  });
});
