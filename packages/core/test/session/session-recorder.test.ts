import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import type { AgentEvent } from "../../src/agent/events.ts";
import { createRedactor } from "../../src/redact/redactor.ts";
import { createSessionLoader, createSessionRecorder } from "../../src/session/session-recorder.ts";
import { createSessionStore } from "../../src/session/session-store.ts";

const event = (session_id: string, seq: number): AgentEvent => ({
  type: "processing",
  turn: 1,
  seq,
  timestamp: "2026-01-01T00:00:00.000Z",
  session_id,
});

test("records messages, events and rewrites into the current session, creating files lazily", async () => {
  await using dir = await createTempDir();
  const store = createSessionStore({
    home: dir.path,
    redactor: createRedactor({ secrets: ["sekrit-value"] }),
  });
  let current = "s-one";
  const rec = createSessionRecorder({ store, sessionId: () => current, meta: { model: "m", user: "alice" } });
  rec.event(event("s-one", 1));
  rec.message({ role: "user", content: "task with sekrit-value" });
  rec.message({ role: "assistant", content: "done", toolCalls: [] });
  rec.message({ role: "user", content: "more" });
  rec.replaced([{ role: "user", content: "task with sekrit-value" }], "undo");
  current = "s-two";
  rec.replaced([], "new");
  rec.message({ role: "user", content: "fresh" });
  store.close();
  expect(store.load("s-one").history.map((m) => m.content)).toEqual(["task with [REDACTED]"]);
  expect(store.load("s-one").meta.user).toBe("alice");
  expect(store.load("s-two").history.map((m) => m.content)).toEqual(["fresh"]);
  expect(readFileSync(store.transcriptPath("s-one"), "utf8")).not.toContain("sekrit-value");
});

test("loader continues the user's own session and forks someone else's", async () => {
  await using dir = await createTempDir();
  let n = 0;
  const store = createSessionStore({ home: dir.path, redactor: createRedactor(), idGen: () => `id${++n}` });
  store.create({ model: "m", user: "alice" });
  store.appendMessage("id1", { role: "user", content: "hello" });
  store.close();
  const asAlice = await createSessionLoader(store, "alice")("id1");
  expect(asAlice).toEqual({
    sessionId: "id1",
    messages: [{ role: "user", content: "hello" }],
    forked: false,
  });
  const asBob = await createSessionLoader(store, "bob")("1");
  expect(asBob.forked).toBe(true);
  expect(asBob.sessionId).toBe("id2");
  expect(store.load("id2").meta).toMatchObject({ user: "bob", forked_from: "id1" });
  await expect(createSessionLoader(store, "bob")("zzz")).rejects.toThrow("No session matches");
});
