import { expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import { createAnsiStripper } from "../../src/core/ansi.ts";
import { createOutputCollector } from "../../src/core/output-collector.ts";

test("short output is kept whole, long output keeps 25% head and 75% tail and spills the rest", async () => {
  await using dir = await createTempDir();
  const short = createOutputCollector({ spillDir: dir.path, spillName: "s", maxChars: 100 });
  short.push("hello");
  expect(await short.finish()).toEqual({ text: "hello", truncated: false, totalChars: 5 });
  const long = createOutputCollector({ spillDir: dir.path, spillName: "l", maxChars: 100 });
  const full = Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join("");
  for (let i = 0; i < full.length; i += 7) long.push(full.slice(i, i + 7));
  const out = await long.finish();
  expect(out.truncated).toBe(true);
  expect(out.text.startsWith(full.slice(0, 25))).toBe(true);
  expect(out.text).toContain(`${full.slice(-75)}\n\nFull output saved to`);
  expect(await readFile(out.spillPath as string, "utf8")).toBe(full);
});

test("ANSI sequences split across chunks are still stripped", () => {
  const s = createAnsiStripper();
  expect(s.push("a\u001b[3") + s.push("1mred\u001b") + s.push("[0m!") + s.flush()).toBe("ared!");
});
