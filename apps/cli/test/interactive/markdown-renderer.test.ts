import { expect, test } from "bun:test";
import { createMarkdownRenderer } from "../../src/render/markdown-renderer.ts";

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

const MD = [
  "## Results &amp; next steps",
  "",
  "- **bold item** with `code` and *emphasis*",
  "- see [the docs](https://hf.co/docs)",
  "  1. nested **step**",
  "",
  "| model | score | n |",
  "|:--|--:|:-:|",
  "| llama | 12.5 | a |",
  "| qwen-long-name | 3 | bbb |",
  "",
].join("\n");

for (const colors of [true, false]) {
  test(`markdown (${colors ? "colours" : "NO_COLOR"}): inline formatting in list items, headings without #, aligned tables`, async () => {
    const render = await createMarkdownRenderer({ colors, width: 80, structure: true });
    const out = strip(render(MD));
    expect(out).not.toContain("**");
    expect(out).not.toContain("`");
    expect(out).not.toContain("##");
    expect(out).not.toContain("&amp;");
    expect(out).toContain("Results & next steps");
    expect(out).toContain("• bold item with code and emphasis");
    expect(out).toContain("• see the docs (https://hf.co/docs)");
    expect(out).toContain("  1. nested step");
    // left, right and centre alignment from the separator row
    expect(out).toContain("│ llama          │  12.5 │  a  │");
    expect(out).toContain("│ qwen-long-name │     3 │ bbb │");
    if (colors) expect(render(MD)).toContain("\x1b[1mbold item\x1b[22m");
    else expect(render(MD)).not.toContain("\x1b[");
  });
}

test("line mode into a pipe keeps the markdown as written", async () => {
  const render = await createMarkdownRenderer({ colors: false, width: 80 });
  expect(render(MD)).toBe(MD);
});
