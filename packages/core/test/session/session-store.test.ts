import { describe, expect, test } from "bun:test";
import { appendFileSync, readFileSync, utimesSync } from "node:fs";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import { createRedactor } from "../../src/redact/redactor.ts";
import { dropLastTurn } from "../../src/session/records.ts";
import { createSessionStore, resumeMode } from "../../src/session/session-store.ts";
import { resolveStateHome } from "../../src/session/state-home.ts";

function makeClock(start = Date.parse("2026-01-01T00:00:00Z")) {
  let t = start;
  return () => {
    t += 1000;
    return new Date(t);
  };
}
function makeIds(...ids: string[]) {
  let i = 0;
  return () => ids[i++] ?? `id-${i}`;
}

describe("resolveStateHome", () => {
  test("ML_INTERN_HOME, then XDG_DATA_HOME, then ~/.local/share", () => {
    expect(resolveStateHome({ env: { ML_INTERN_HOME: "/s", XDG_DATA_HOME: "/x" }, homeDir: "/h" })).toBe(
      "/s",
    );
    expect(resolveStateHome({ env: { XDG_DATA_HOME: "/x" }, homeDir: "/h" })).toBe("/x/ml-intern");
    expect(resolveStateHome({ env: {}, homeDir: "/h" })).toBe("/h/.local/share/ml-intern");
  });
});

describe("session store", () => {
  test("create, append and load rebuild messages and metadata", async () => {
    await using dir = await createTempDir();
    const store = createSessionStore({
      home: dir.path,
      redactor: createRedactor(),
      clock: makeClock(),
      idGen: makeIds("s-1"),
    });
    const meta = store.create({ model: "anthropic/claude", cwd: "/work", user: "alice" });
    expect(meta.session_id).toBe("s-1");
    store.appendMessage("s-1", { role: "user", content: "fine-tune a model" });
    store.appendMessage("s-1", {
      role: "assistant",
      content: "",
      toolCalls: [{ id: "c1", name: "bash", arguments: '{"command":"ls"}' }],
    });
    store.appendMessage("s-1", { role: "tool", toolCallId: "c1", name: "bash", content: "train.py" });
    store.appendEvent("s-1", { type: "assistant_chunk", content: "tok" });
    store.appendEvent("s-1", {
      type: "turn_complete",
      final_response: "done",
      reason: "done",
      iterations: 1,
    });
    store.close();
    const loaded = store.load("s-1");
    expect(loaded.meta).toMatchObject({
      session_id: "s-1",
      model: "anthropic/claude",
      cwd: "/work",
      user: "alice",
    });
    expect(loaded.history.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect(loaded.events.map((e) => e.event.type)).toEqual(["turn_complete"]); // chunks are not persisted
    expect(loaded.messages[0]!.at).toBe("2026-01-01T00:00:02.000Z");
    expect(loaded.tornTail).toBe(false);
  });

  test("everything written goes through the redactor; configured tokens never reach the file", async () => {
    await using dir = await createTempDir();
    const token = "hf_configuredTokenValue1234567890abcd";
    const store = createSessionStore({
      home: dir.path,
      redactor: createRedactor({ secrets: [token, "gh-secret-99"] }),
    });
    const { session_id: id } = store.create({ model: "m" });
    store.appendMessage(id, { role: "user", content: `use ${token} and gh-secret-99` });
    store.appendEvent(id, { type: "tool_log", tool: "bash", log: `HF_TOKEN=${token}` });
    const spilled = store.spill(id, "call/1", `output ${token}`);
    store.close();
    const raw = readFileSync(store.transcriptPath(id), "utf8");
    expect(raw).not.toContain(token);
    expect(raw).not.toContain("gh-secret-99");
    expect(raw).toContain("[REDACTED]");
    expect(readFileSync(spilled, "utf8")).toBe("output [REDACTED]");
    expect(spilled.startsWith(store.sessionDir(id))).toBe(true);
  });

  test("a torn last line is ignored and the next append starts on a fresh line", async () => {
    await using dir = await createTempDir();
    const store = createSessionStore({ home: dir.path, redactor: createRedactor() });
    const { session_id: id } = store.create({ model: "m" });
    store.appendMessage(id, { role: "user", content: "one" });
    store.close();
    appendFileSync(store.transcriptPath(id), '{"type":"message","at":"x","message":{"role":"us');
    const torn = store.load(id);
    expect(torn.tornTail).toBe(true);
    expect(torn.history.map((m) => m.content)).toEqual(["one"]);

    const reopened = createSessionStore({ home: dir.path, redactor: createRedactor() });
    reopened.appendMessage(id, { role: "user", content: "two" });
    reopened.close();
    const after = reopened.load(id);
    expect(after.history.map((m) => m.content)).toEqual(["one", "two"]);
    expect(after.droppedLines).toBe(1); // the old fragment, now an isolated bad line
    expect(after.tornTail).toBe(false);
  });

  test("undo drops the last turn, including synthetic nudges inside it", async () => {
    await using dir = await createTempDir();
    const store = createSessionStore({ home: dir.path, redactor: createRedactor() });
    const { session_id: id } = store.create({ model: "m" });
    store.appendMessage(id, { role: "user", content: "first" });
    store.appendMessage(id, { role: "assistant", content: "ok", toolCalls: [] });
    store.appendMessage(id, { role: "user", content: "second" });
    store.appendMessage(id, { role: "assistant", content: "thinking", toolCalls: [] });
    store.appendMessage(id, { role: "user", content: "[SYSTEM: continue]", synthetic: true });
    store.appendMessage(id, { role: "assistant", content: "done", toolCalls: [] });
    store.undo(id);
    expect(store.load(id).history.map((m) => m.content)).toEqual(["first", "ok"]);
    store.undo(id);
    expect(store.load(id).history).toEqual([]);
    store.undo(id);
    expect(store.load(id).history).toEqual([]);
    store.close();
  });

  test("replace records (compaction) swap the history", async () => {
    await using dir = await createTempDir();
    const store = createSessionStore({ home: dir.path, redactor: createRedactor() });
    const { session_id: id } = store.create({ model: "m" });
    store.appendMessage(id, { role: "user", content: "a" });
    store.appendMessage(id, { role: "assistant", content: "b", toolCalls: [] });
    store.append(id, {
      type: "replace",
      reason: "compaction",
      messages: [
        { role: "user", content: "a" },
        { role: "user", content: "summary", synthetic: true },
      ],
    });
    store.appendMessage(id, { role: "assistant", content: "c", toolCalls: [] });
    store.append(id, { type: "meta_update", patch: { model: "other/model" } });
    store.close();
    const loaded = store.load(id);
    expect(loaded.history.map((m) => m.content)).toEqual(["a", "summary", "c"]);
    expect(loaded.meta.model).toBe("other/model");
  });

  test("list is newest first with the first prompt as title; resolve by id, index and unique prefix", async () => {
    await using dir = await createTempDir();
    const store = createSessionStore({
      home: dir.path,
      redactor: createRedactor(),
      clock: makeClock(),
      idGen: makeIds("abc111", "abc222", "xyz333"),
    });
    const prompts = ["train llama", "eval mistral", "push dataset"];
    for (const [i, prompt] of prompts.entries()) {
      const { session_id } = store.create({ model: "m" });
      store.appendMessage(session_id, { role: "user", content: prompt });
      store.close(session_id);
      // Updated-time order is what list() sorts by: make it explicit rather than relying on write timing.
      const t = new Date(Date.parse("2026-02-01T00:00:00Z") + i * 60_000);
      utimesSync(store.transcriptPath(session_id), t, t);
    }
    const listed = store.list();
    expect(listed.map((s) => s.id)).toEqual(["xyz333", "abc222", "abc111"]);
    expect(listed.map((s) => s.title)).toEqual(["push dataset", "eval mistral", "train llama"]);
    expect(store.resolve("1")).toEqual({ ok: true, id: "xyz333" });
    expect(store.resolve("3")).toEqual({ ok: true, id: "abc111" });
    expect(store.resolve("abc2")).toEqual({ ok: true, id: "abc222" });
    expect(store.resolve("abc111")).toEqual({ ok: true, id: "abc111" });
    const ambiguous = store.resolve("abc");
    expect(ambiguous.ok).toBe(false);
    if (!ambiguous.ok) expect(ambiguous.error).toContain("matches 2 sessions");
    expect(store.resolve("nope").ok).toBe(false);
    expect(store.resolve("9").ok).toBe(false);
  });

  test("fork copies the history into a new session and never touches the source", async () => {
    await using dir = await createTempDir();
    const store = createSessionStore({
      home: dir.path,
      redactor: createRedactor(),
      idGen: makeIds("src", "dst"),
    });
    store.create({ model: "m", user: "alice" });
    store.appendMessage("src", { role: "user", content: "task" });
    store.close();
    const before = readFileSync(store.transcriptPath("src"), "utf8");
    const forked = store.fork("src", { user: "bob" });
    expect(forked).toMatchObject({ session_id: "dst", forked_from: "src", user: "bob", model: "m" });
    store.appendMessage("dst", { role: "assistant", content: "on it", toolCalls: [] });
    store.close();
    expect(store.load("dst").history.map((m) => m.content)).toEqual(["task", "on it"]);
    expect(readFileSync(store.transcriptPath("src"), "utf8")).toBe(before);
    expect(store.list().find((s) => s.id === "dst")?.forkedFrom).toBe("src");
  });

  test("unsafe or unknown ids are refused", async () => {
    await using dir = await createTempDir();
    const store = createSessionStore({ home: dir.path, redactor: createRedactor() });
    expect(() => store.appendMessage("../etc", { role: "user", content: "x" })).toThrow("Invalid session id");
    expect(() => store.appendMessage("missing", { role: "user", content: "x" })).toThrow();
    expect(() => store.load("missing")).toThrow();
  });

  test("resumeMode forks when the user differs", () => {
    const meta = { version: 1, session_id: "s", created_at: "", model: "m", user: "alice" };
    expect(resumeMode(meta, "alice")).toBe("continue");
    expect(resumeMode(meta, "bob")).toBe("fork");
    expect(resumeMode({ ...meta, user: null }, undefined)).toBe("continue");
    expect(resumeMode({ ...meta, user: null }, "alice")).toBe("fork");
  });

  test("dropLastTurn counts removed messages", () => {
    const items = [
      { role: "user" as const, content: "a" },
      { role: "assistant" as const, content: "b", toolCalls: [] },
    ];
    expect(dropLastTurn(items, (m) => m)).toBe(2);
    expect(items).toEqual([]);
  });
});

test("spillMany writes one redacted file and returns exact line ranges", async () => {
  await using dir = await createTempDir();
  const store = createSessionStore({ home: dir.path, redactor: createRedactor({ secrets: ["topsecret1"] }) });
  const { session_id: id } = store.create({ model: "m" });
  const items = [
    { toolCallId: "c1", toolName: "bash", content: "a1\na2\na3" },
    { toolCallId: "c2", toolName: "read", content: "b1 topsecret1\n" },
    { toolCallId: "c3", toolName: "bash", content: "" },
  ];
  const locations = store.spillMany(id, items);
  expect(locations).toHaveLength(3);
  const path = locations[0]!.split(", lines ")[0]!;
  expect(locations.every((l) => l.startsWith(`${path}, lines `))).toBe(true);
  const lines = readFileSync(path, "utf8").split("\n");
  const range = (loc: string) => loc.split(", lines ")[1]!.split("-").map(Number) as [number, number];
  const slice = (loc: string) => {
    const [a, b] = range(loc);
    return lines.slice(a - 1, b).join("\n");
  };
  expect(slice(locations[0]!)).toBe("a1\na2\na3");
  expect(slice(locations[1]!)).toBe("b1 [REDACTED]");
  expect(slice(locations[2]!)).toBe("");
  expect(lines[range(locations[1]!)[0] - 2]).toBe("===== read output for c2 =====");
  expect(store.spillMany(id, [])).toEqual([]);
  store.close();
});
