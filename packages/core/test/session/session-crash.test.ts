import { expect, test } from "bun:test";
import { join } from "node:path";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import { createRedactor } from "../../src/redact/redactor.ts";
import { createSessionStore } from "../../src/session/session-store.ts";

test("kill -9 mid-write loses no completed message and the session resumes", async () => {
  await using dir = await createTempDir();
  const child = Bun.spawn(["bun", join(import.meta.dir, "crash-child.ts"), dir.path, "crash-1"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let out = "";
  const acked = (): number => (out.match(/^ok \d+$/gm) ?? []).length;
  const deadline = Date.now() + 20_000;
  while (acked() < 150) {
    if (Date.now() > deadline) throw new Error(`child too slow: ${out.slice(-200)}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`child exited early: ${await new Response(child.stderr).text()}`);
    out += decoder.decode(value, { stream: true });
  }
  child.kill(9);
  await child.exited;
  expect(child.signalCode).toBe("SIGKILL");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    out += decoder.decode(value, { stream: true });
  }
  const lastAcked = Math.max(...(out.match(/^ok \d+$/gm) ?? []).map((l) => Number(l.slice(3))));

  const store = createSessionStore({ home: dir.path, redactor: createRedactor() });
  const loaded = store.load("crash-1");
  const indices = loaded.history.map((m) => Number(/^message (\d+) /.exec(m.content)?.[1]));
  // A contiguous prefix 0..k that covers every acknowledged append (k may be one more: written, not yet acked).
  expect(indices.length).toBeGreaterThanOrEqual(lastAcked + 1);
  expect(indices).toEqual(indices.map((_, i) => i));
  expect(loaded.droppedLines).toBe(0);

  // Resuming appends after whatever the kill left behind, and the new message loads too.
  store.appendMessage("crash-1", { role: "user", content: "after resume" });
  store.close();
  const again = store.load("crash-1");
  expect(again.history.at(-1)?.content).toBe("after resume");
  expect(again.history.length).toBe(indices.length + 1);
  expect(again.droppedLines).toBe(0);
}, 30_000);
