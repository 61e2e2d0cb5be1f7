import { describe, expect, test } from "bun:test";
import { markdownToSlack } from "../../src/notify/slack-format.ts";

describe("markdownToSlack", () => {
  test("converts emphasis, headers, links and strikethrough", () => {
    expect(markdownToSlack("# Done\n**bold** and *it* and ~~old~~ [hf](https://hf.co)")).toBe(
      "*Done*\n*bold* and _it_ and ~old~ <https://hf.co|hf>",
    );
  });

  test("bold italic stays bold italic", () => {
    expect(markdownToSlack("***both***")).toBe("*_both_*");
  });

  test("escapes & < > but keeps code, Slack entities and quote prefixes", () => {
    expect(markdownToSlack("a < b && c > d `x<y>` <@U123> <https://a.io>\n> quoted")).toBe(
      "a &lt; b &amp;&amp; c &gt; d `x<y>` <@U123> <https://a.io>\n> quoted",
    );
  });
});
