// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax under test
import { describe, expect, test } from "bun:test";
import { parseEnvFile } from "../../src/config/env-file.ts";
import { substituteEnv } from "../../src/config/substitute.ts";

describe("parseEnvFile", () => {
  test("reads plain, exported, quoted and commented lines", () => {
    const parsed = parseEnvFile(
      [
        "# comment",
        "A=1",
        "export B = two ",
        'C="quoted # not a comment\\nnext"',
        "D='single $X'",
        "E=value # trailing",
        "not a line",
        'F="multi',
        'line"',
      ].join("\n"),
    );
    expect(parsed).toEqual({
      A: "1",
      B: "two",
      C: "quoted # not a comment\nnext",
      D: "single $X",
      E: "value",
      F: "multi\nline",
    });
  });
});

describe("substituteEnv", () => {
  test("substitutes recursively and rejects malformed references", () => {
    expect(substituteEnv({ a: ["${X}-${Y:-d}"], b: 3 }, { X: "x" })).toEqual({ a: ["x-d"], b: 3 });
    expect(() => substituteEnv({ a: "${X:default}" }, {})).toThrow("Invalid variable reference");
  });
});
