import { describe, expect, test } from "bun:test";
import { fenceFor, notebookToMarkdown } from "../../src/github/notebook-to-markdown.ts";
import { NOTEBOOK } from "../lib/fixtures.ts";

describe("notebookToMarkdown", () => {
  test("markdown and code cells in order, outputs trimmed, hidden cells dropped, ANSI stripped", () => {
    const md = notebookToMarkdown(NOTEBOOK, { maxOutputLines: 3 });
    expect(md).toBeDefined();
    const text = md ?? "";
    expect(text.indexOf("# GRPO quickstart")).toBeLessThan(text.indexOf("```python\nfrom trl"));
    expect(text).toContain("step 2 loss 0.2\n… (47 more lines)");
    expect(text).not.toContain("step 3 loss");
    expect(text).toContain("<Figure size 640x480>");
    expect(text).toContain("ValueError: bad reward");
    expect(text).not.toContain("\u001b[");
    expect(text).not.toContain("SECRET_SETUP");
  });

  test("image-only outputs become a placeholder; long outputs are cut by characters", () => {
    const nb = JSON.stringify({
      cells: [
        {
          cell_type: "code",
          source: "plot()",
          outputs: [
            { output_type: "display_data", data: { "image/png": "AAAA" } },
            { output_type: "stream", name: "stdout", text: "x".repeat(5000) },
          ],
        },
      ],
    });
    const md = notebookToMarkdown(nb, { maxOutputChars: 100 }) ?? "";
    expect(md).toContain("[image/png output omitted]");
    expect(md).toContain("… (4900 more characters)");
    expect(md).not.toContain("AAAA");
  });

  test("code containing backticks gets a longer fence", () => {
    expect(fenceFor("a ``` b")).toBe("````");
    const nb = JSON.stringify({ cells: [{ cell_type: "code", source: 'print("```")', outputs: [] }] });
    expect(notebookToMarkdown(nb)).toBe('````python\nprint("```")\n````');
  });

  test("not a notebook returns undefined", () => {
    expect(notebookToMarkdown("{not json")).toBeUndefined();
    expect(notebookToMarkdown('{"foo": 1}')).toBeUndefined();
  });
});
