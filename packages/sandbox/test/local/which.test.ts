import { describe, expect, test } from "bun:test";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import { findExecutable } from "../../src/local/which.ts";

describe("findExecutable", () => {
  test("returns the first executable file on PATH, skipping non-executables, directories and relative entries", async () => {
    await using dir = await createTempDir("sandbox-which-");
    const [a, b, c] = ["a", "b", "c"].map((d) => join(dir.path, d)) as [string, string, string];
    await Promise.all([a, b, c].map((d) => mkdir(d)));
    await writeFile(join(a, "tool"), "not executable");
    await mkdir(join(b, "tool"));
    await writeFile(join(c, "tool"), "#!/bin/sh\n");
    await chmod(join(c, "tool"), 0o755);
    await writeFile(join(b, "other"), "#!/bin/sh\n");
    await chmod(join(b, "other"), 0o755);
    const path = ["", "relative/dir", a, b, c].join(":");
    expect(findExecutable("tool", path)).toBe(join(c, "tool"));
    expect(findExecutable("other", `${c}:${b}`)).toBe(join(b, "other"));
    expect(findExecutable("missing", path)).toBeUndefined();
  });

  test("a name with a slash is checked as given", async () => {
    await using dir = await createTempDir("sandbox-which-");
    const script = join(dir.path, "run.sh");
    await writeFile(script, "#!/bin/sh\n");
    expect(findExecutable(script, "")).toBeUndefined();
    await chmod(script, 0o700);
    expect(findExecutable(script, "")).toBe(script);
  });

  test("finds real programs on this machine's PATH by default", () => {
    expect(findExecutable("sh")).toMatch(/\/sh$/);
  });
});
