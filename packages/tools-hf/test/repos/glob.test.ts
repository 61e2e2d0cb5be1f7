import { describe, expect, test } from "bun:test";
import { createPathMatcher, hasGlob } from "../../src/repos/glob.ts";

describe("repo path globs", () => {
  test("**/config.json matches config.json in any folder, never myconfig.json", () => {
    const m = createPathMatcher(["**/config.json"]);
    expect(m("config.json")).toBe(true);
    expect(m("a/b/config.json")).toBe(true);
    expect(m("myconfig.json")).toBe(false);
    expect(m("sub/myconfig.json")).toBe(false);
    expect(m("config.json.bak")).toBe(false);
  });

  test("* and ? do not cross /", () => {
    const bin = createPathMatcher(["*.bin"]);
    expect(bin("model.bin")).toBe(true);
    expect(bin("ckpt/model.bin")).toBe(false);
    expect(createPathMatcher(["ckpt-?/a"])("ckpt-1/a")).toBe(true);
    expect(createPathMatcher(["ckpt?a"])("ckpt/a")).toBe(false);
    expect(createPathMatcher(["**/*.bin"])("a/b/c.bin")).toBe(true);
  });

  test("folder globs, character classes and braces", () => {
    expect(createPathMatcher(["checkpoints/**"])("checkpoints/step-1/model.safetensors")).toBe(true);
    expect(createPathMatcher(["checkpoints/**"])("checkpoints-old/a")).toBe(false);
    expect(createPathMatcher(["shard-[12].bin"])("shard-2.bin")).toBe(true);
    expect(createPathMatcher(["shard-[12].bin"])("shard-3.bin")).toBe(false);
    expect(createPathMatcher(["*.{bin,pt}"])("a.pt")).toBe(true);
  });

  test("regex metacharacters are literal and dotfiles need an explicit dot", () => {
    expect(createPathMatcher(["a+b.txt"])("a+b.txt")).toBe(true);
    expect(createPathMatcher(["a.b*"])("axb")).toBe(false);
    expect(createPathMatcher(["*"])(".gitattributes")).toBe(false);
    expect(createPathMatcher([".git*"])(".gitattributes")).toBe(true);
  });

  test("hasGlob tells a plain path from a pattern", () => {
    expect(hasGlob("config.json")).toBe(false);
    expect(hasGlob("ckpt/")).toBe(false);
    expect(hasGlob("*.bin")).toBe(true);
    expect(hasGlob("a[12].bin")).toBe(true);
    expect(hasGlob("{a,b}.bin")).toBe(true);
  });
});
