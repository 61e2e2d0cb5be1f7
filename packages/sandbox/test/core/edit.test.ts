import { describe, expect, test } from "bun:test";
import { applyEdit } from "../../src/core/edit.ts";

const edit = (content: string, oldStr: string, newStr: string, extra: Record<string, unknown> = {}) =>
  applyEdit(content, { oldStr, newStr, ...extra });

describe("applyEdit", () => {
  test("exact replace, replace_all and the replace_all mode alias", () => {
    expect(edit("a b a", "b", "c")).toEqual({ ok: true, content: "a c a", replacements: 1 });
    expect(edit("a b a", "a", "x", { replaceAll: true })).toMatchObject({
      content: "x b x",
      replacements: 2,
    });
    expect(edit("a b a", "a", "x", { mode: "replace_all" })).toMatchObject({ content: "x b x" });
  });

  test("regression: a fuzzy match keeps the rest of the line", () => {
    const out = edit("foo = bar  # comment\n", "bar  # comment   ", "baz");
    expect(out).toMatchObject({ ok: true, content: "foo = baz\n" });
  });

  test("regression: a unicode-tolerant match keeps indentation", () => {
    const out = edit("def f():\n    return \u201chi\u201d\n", 'return "hi"', "return 1");
    expect(out).toMatchObject({
      ok: true,
      content: "def f():\n    return 1\n",
      note: "(matched after unicode normalization)",
    });
  });

  test("multi-line fuzzy match with lost indentation re-indents the continuation lines", () => {
    const file = "class A:\n    def f(self):\n        x = 1\n        return x\n";
    const out = edit(file, "def f(self):\n    x = 1\n    return x", "def f(self):\n    x = 2\n    return x");
    expect(out).toMatchObject({
      ok: true,
      content: "class A:\n    def f(self):\n        x = 2\n        return x\n",
    });
  });

  test("CRLF files keep CRLF line endings", () => {
    const out = edit("a\r\nb\r\nc\r\n", "a\nb", "x\ny");
    expect(out).toMatchObject({ ok: true, content: "x\r\ny\r\nc\r\n" });
  });

  test("append_after and prepend_before keep the match; uniqueness applies to every mode", () => {
    expect(edit("a\nb\n", "a\n", "x\n", { mode: "append_after" })).toMatchObject({ content: "a\nx\nb\n" });
    expect(edit("a\nb\n", "b", "x", { mode: "prepend_before" })).toMatchObject({ content: "a\nxb\n" });
    expect(edit("a a", "a", "x", { mode: "append_after" })).toMatchObject({ ok: false, code: "not_unique" });
    expect(edit("a a", "a", "!", { mode: "append_after", replaceAll: true })).toMatchObject({
      content: "a! a!",
    });
  });

  test("fuzzy matches are counted too", () => {
    expect(edit("  x = 1  \n  x = 1\n", "x  =  1", "y")).toMatchObject({ ok: false, code: "not_unique" });
  });

  test("errors: identical, empty, unknown mode, not found with the closest candidate", () => {
    expect(edit("a", "a", "a")).toMatchObject({ ok: false, code: "identical" });
    expect(edit("a", "", "b")).toMatchObject({ ok: false, code: "empty_old_str" });
    expect(applyEdit("a", { oldStr: "a", newStr: "b", mode: "sideways" as "replace" })).toMatchObject({
      code: "bad_mode",
    });
    const miss = edit("import os\n\ndef train(model):\n    model.fit()\n", "def train(modle):", "x");
    expect(miss.ok).toBe(false);
    if (!miss.ok) expect(miss.message).toContain("Closest match (lines 3-3");
    const nothing = edit("alpha\n", "zzzzqqqq", "x");
    if (!nothing.ok) expect(nothing.message).not.toContain("Closest match");
  });
});
