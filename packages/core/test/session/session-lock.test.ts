import { expect, test } from "bun:test";
import { join } from "node:path";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import type { Message } from "../../src/llm/messages.ts";
import { createRedactor } from "../../src/redact/redactor.ts";
import { SessionLockedError } from "../../src/session/session-lock.ts";
import { createSessionLoader } from "../../src/session/session-recorder.ts";
import { createSessionStore } from "../../src/session/session-store.ts";

const newStore = (home: string) => createSessionStore({ home, redactor: createRedactor() });

async function startHolder(home: string, sessionId: string) {
  const child = Bun.spawn(["bun", join(import.meta.dir, "lock-child.ts"), home, sessionId], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = child.stdout.getReader();
  let out = "";
  while (!out.includes("held")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`holder exited: ${await new Response(child.stderr).text()}`);
    out += new TextDecoder().decode(value);
  }
  return child;
}

test("a second process resuming a session another process writes is refused, naming the holder", async () => {
  await using dir = await createTempDir();
  const first = newStore(dir.path);
  first.create({ model: "test/model", sessionId: "shared-1" });
  first.close();
  const holder = await startHolder(dir.path, "shared-1");
  try {
    const store = newStore(dir.path);
    const load = createSessionLoader(store, null);
    const attempt = load("shared-1");
    await expect(attempt).rejects.toBeInstanceOf(SessionLockedError);
    await expect(load("shared-1")).rejects.toThrow(`pid ${holder.pid}`);
    // Appending directly is refused too, and nothing was written by the refused writer.
    expect(() => store.appendMessage("shared-1", { role: "user", content: "intruder" })).toThrow(
      SessionLockedError,
    );
    expect(store.load("shared-1").history.map((m) => m.content)).toEqual(["from the child"]);
  } finally {
    holder.kill(9);
    await holder.exited;
  }
  // The holder died without releasing: its lock is stale and the session resumes.
  const store = newStore(dir.path);
  const resumed = await createSessionLoader(store, null)("shared-1");
  expect(resumed.forked).toBe(false);
  store.appendMessage("shared-1", { role: "user", content: "after the crash" });
  expect(store.load("shared-1").history.map((m) => m.content)).toEqual(["from the child", "after the crash"]);
  store.close();
});

test("two stores in one process: the second writer is refused until the first closes", async () => {
  await using dir = await createTempDir();
  const a = newStore(dir.path);
  const b = newStore(dir.path);
  a.create({ model: "test/model", sessionId: "s-2" });
  expect(() => b.claim("s-2")).toThrow(SessionLockedError);
  a.close();
  b.claim("s-2");
  b.appendMessage("s-2", { role: "user", content: "b writes now" });
  expect(() => a.appendMessage("s-2", { role: "user", content: "a again" })).toThrow(SessionLockedError);
  b.close();
});

test("a history interleaved by two writers loads as a valid conversation", async () => {
  await using dir = await createTempDir();
  const store = newStore(dir.path);
  store.create({ model: "test/model", sessionId: "mixed" });
  const call = (id: string): Message => ({
    role: "assistant",
    content: "",
    toolCalls: [{ id, name: "bash", arguments: "{}" }],
  });
  const result = (id: string): Message => ({
    role: "tool",
    toolCallId: id,
    name: "bash",
    content: `out ${id}`,
  });
  // Writer A and writer B both answered a prompt; their records landed interleaved, one result twice.
  for (const m of [
    { role: "user", content: "go" } as Message,
    call("a1"),
    call("b1"),
    result("a1"),
    result("b1"),
    result("b1"),
    { role: "user", content: "next" } as Message,
  ]) {
    store.appendMessage("mixed", m);
  }
  const loaded = store.load("mixed");
  expect(loaded.repairedToolResults).toBeGreaterThan(0);
  // Every assistant's calls are answered exactly once, immediately after it.
  const h = loaded.history;
  for (let i = 0; i < h.length; i++) {
    const m = h[i]!;
    if (m.role === "tool") {
      const prev = h
        .slice(0, i)
        .reverse()
        .find((x) => x.role !== "tool");
      expect(prev?.role).toBe("assistant");
      expect(prev?.role === "assistant" && prev.toolCalls.some((c) => c.id === m.toolCallId)).toBe(true);
    }
  }
  const ids = h.filter((m) => m.role === "tool").map((m) => (m.role === "tool" ? m.toolCallId : ""));
  expect(ids).toEqual(["a1", "b1"]);
  expect(h.find((m) => m.role === "tool" && m.toolCallId === "b1")?.content).toBe("out b1");
  store.close();
});
