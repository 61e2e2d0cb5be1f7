import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTempDir } from "@ml-intern/testing";
import { createFileSpill } from "../src/file-spill.ts";

const DAY = 24 * 60 * 60_000;

describe("the MCP spill folder", () => {
  test("writes the redacted full text, readable only by the user, and returns its path", async () => {
    await using tmp = await createTempDir("spill-");
    const spill = createFileSpill({
      dir: join(tmp.path, "mcp-spill"),
      redact: (t) => t.replace("hf_secret", "[REDACTED]"),
    });
    const path = await spill("mcp-7", "hf_repo_files", "token hf_secret and more");
    expect(path).toBeDefined();
    expect(readFileSync(path!, "utf8")).toBe("token [REDACTED] and more");
    expect(statSync(path!).mode & 0o777).toBe(0o600);
  });

  test("keeps at most maxFiles: the oldest go, the new one stays", async () => {
    await using tmp = await createTempDir("spill-");
    const spill = createFileSpill({ dir: tmp.path, maxFiles: 3 });
    const paths: string[] = [];
    const base = Date.now() - 60_000;
    for (let i = 0; i < 5; i++) {
      const path = (await spill(`mcp-${i}`, "t", `output ${i}`))!;
      // mtimes one second apart, oldest first, whatever the file system's clock resolution
      utimesSync(path, new Date(base + i * 1000), new Date(base + i * 1000));
      paths.push(path);
    }
    const left = readdirSync(tmp.path)
      .map((n) => join(tmp.path, n))
      .sort();
    expect(left).toEqual(paths.slice(2).sort());
  });

  test("bounds the bytes and the age; files that are not spills are left alone", async () => {
    await using tmp = await createTempDir("spill-");
    writeFileSync(join(tmp.path, "notes.md"), "x".repeat(5000));
    const old = join(tmp.path, "mcp-old-aaaaaaaa.txt");
    writeFileSync(old, "old");
    const now = Date.now();
    utimesSync(old, new Date(now - 8 * DAY), new Date(now - 8 * DAY));
    const spill = createFileSpill({ dir: tmp.path, maxBytes: 2500, now: () => now });
    const first = (await spill("a", "t", "y".repeat(2000)))!;
    utimesSync(first, new Date(now - 1000), new Date(now - 1000));
    const second = (await spill("b", "t", "z".repeat(2000)))!;
    const names = readdirSync(tmp.path).sort();
    expect(names).toEqual(["notes.md", second.split("/").at(-1)!].sort());
  });
});
