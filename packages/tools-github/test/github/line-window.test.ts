import { describe, expect, test } from "bun:test";
import { selectLines } from "../../src/github/line-window.ts";

const content = Array.from({ length: 10 }, (_, i) => `L${i + 1}`).join("\n");

describe("selectLines", () => {
  test("default window and next start", () => {
    const w = selectLines(content, { defaultLines: 4, maxChars: 1000 });
    expect(w).toEqual({ text: "L1\nL2\nL3\nL4", start: 1, end: 4, total: 10, nextStart: 5 });
  });

  test("the character budget cuts at a line boundary and points to the next line", () => {
    const w = selectLines(content, { lineStart: 2, lineEnd: 10, defaultLines: 300, maxChars: 8 });
    expect(w).toMatchObject({ text: "L2\nL3", start: 2, end: 3, nextStart: 4 });
  });

  test("a single over-long line is cut but still shown", () => {
    const w = selectLines("x".repeat(50), { defaultLines: 10, maxChars: 10 });
    expect(w).toMatchObject({ start: 1, end: 1, total: 1 });
    expect("text" in w && w.text.startsWith("xxxxxxxxxx…")).toBe(true);
  });

  test("a trailing newline is not an extra line", () => {
    expect(selectLines("a\nb\n", { defaultLines: 10, maxChars: 100 })).toMatchObject({ total: 2, end: 2 });
  });
});
