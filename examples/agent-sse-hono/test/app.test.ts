import { afterEach, beforeEach, expect, test } from "bun:test";
import { createProvider } from "@ml-intern/core";
import { type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { FAKE_HF_TOKEN, type FakeHub, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { createHfConfig } from "@ml-intern/tools-hf";
import { createAgentApp } from "../src/app.ts";
import { createHfAgent } from "../src/hf-agent.ts";

let llm: FakeLlm;
let hub: FakeHub;
let server: ReturnType<typeof Bun.serve>;
let base: string;

beforeEach(async () => {
  llm = await startFakeAnthropic();
  hub = await startFakeHub({ repos: [{ id: "alice/demo", files: { "README.md": "# demo\n" } }] });
  const provider = await createProvider("anthropic/claude-test", {
    env: { ANTHROPIC_API_KEY: "sk-test", ANTHROPIC_BASE_URL: llm.url },
  });
  const app = createAgentApp({
    createAgent: () => createHfAgent(provider, createHfConfig({ hubUrl: hub.url, token: FAKE_HF_TOKEN })),
  });
  server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch, idleTimeout: 0 });
  base = `http://127.0.0.1:${server.port}`;
});
afterEach(async () => {
  await server.stop(true);
  await Promise.all([llm.close(), hub.close()]);
});

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads SSE frames, handing each to `onEvent` as it arrives; resolves when the server ends the stream. */
async function readSse(
  response: Response,
  onEvent: (e: SseEvent) => void | Promise<void>,
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event && data) {
        const parsed = { event, data: JSON.parse(data) as Record<string, unknown> };
        events.push(parsed);
        await onEvent(parsed);
      }
      end = buffer.indexOf("\n\n");
    }
  }
  return events;
}

async function newSession(): Promise<string> {
  const res = await fetch(`${base}/sessions`, { method: "POST" });
  expect(res.status).toBe(201);
  return ((await res.json()) as { session_id: string }).session_id;
}

test("a turn streams as SSE; an upload waits for the HTTP client's approval, then reaches the Hub", async () => {
  llm.enqueue(
    {
      toolCalls: [
        {
          id: "toolu_up",
          name: "hf_repo_files_write",
          input: { operation: "upload", repo_id: "alice/demo", path: "notes.md", content: "hello hub\n" },
        },
      ],
    },
    { text: "Uploaded notes.md." },
  );
  const id = await newSession();
  const res = await fetch(`${base}/sessions/${id}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: "add notes.md to alice/demo" }),
  });
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const events = await readSse(res, async (e) => {
    if (e.event !== "approval_required") return;
    const tools = e.data.tools as { tool_call_id: string; kind: string }[];
    expect(tools).toEqual([expect.objectContaining({ tool_call_id: "toolu_up", kind: "destructive" })]);
    expect(hub.fileText("model", "alice/demo", "notes.md")).toBeUndefined();
    const answer = await fetch(`${base}/sessions/${id}/approvals`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ approvals: [{ tool_call_id: "toolu_up", decision: "approve" }] }),
    });
    expect(answer.status).toBe(202);
  });
  const types = events.map((e) => e.event);
  expect(types).toContain("tool_call");
  expect(types.indexOf("approval_required")).toBeLessThan(types.indexOf("tool_output"));
  expect(events.at(-1)).toMatchObject({
    event: "turn_complete",
    data: { final_response: "Uploaded notes.md." },
  });
  expect(hub.fileText("model", "alice/demo", "notes.md")).toBe("hello hub\n");
});

test("a rejected approval never reaches the Hub and the model hears why", async () => {
  llm.enqueue(
    {
      toolCalls: [
        {
          id: "toolu_del",
          name: "hf_repo_files_write",
          input: { operation: "delete", repo_id: "alice/demo", patterns: "README.md" },
        },
      ],
    },
    { text: "Left it alone." },
  );
  const id = await newSession();
  const res = await fetch(`${base}/sessions/${id}/messages`, {
    method: "POST",
    body: JSON.stringify({ text: "delete the readme" }),
  });
  await readSse(res, async (e) => {
    if (e.event === "approval_required") {
      await fetch(`${base}/sessions/${id}/approvals`, {
        method: "POST",
        body: JSON.stringify({
          approvals: [{ tool_call_id: "toolu_del", decision: "reject", feedback: "keep it" }],
        }),
      });
    }
  });
  expect(hub.fileText("model", "alice/demo", "README.md")).toBe("# demo\n");
  const toolResult = (llm.bodies[1]!.messages as { content: { type: string; content: string }[] }[]).at(-1)
    ?.content[0];
  expect(toolResult?.content).toContain("keep it");
});

test("interrupting a streaming turn ends the stream with an interrupted event", async () => {
  llm.enqueue({ text: "thinking very slowly about it", chunks: 20, frameDelayMs: 200 });
  const id = await newSession();
  const res = await fetch(`${base}/sessions/${id}/messages`, {
    method: "POST",
    body: JSON.stringify({ text: "go" }),
  });
  let interrupted = false;
  const events = await readSse(res, async (e) => {
    if (e.event === "assistant_chunk" && !interrupted) {
      interrupted = true;
      const r = await fetch(`${base}/sessions/${id}/interrupt`, { method: "POST" });
      expect(r.status).toBe(202);
    }
  });
  expect(events.map((e) => e.event)).toContain("interrupted");
  expect(events.map((e) => e.event)).not.toContain("turn_complete");
});

test("bad requests are rejected", async () => {
  expect((await fetch(`${base}/sessions/nope/messages`, { method: "POST", body: "{}" })).status).toBe(404);
  const id = await newSession();
  expect((await fetch(`${base}/sessions/${id}/messages`, { method: "POST", body: "{}" })).status).toBe(400);
  const bad = await fetch(`${base}/sessions/${id}/approvals`, {
    method: "POST",
    body: JSON.stringify({ approvals: [{ tool_call_id: "x", decision: "maybe" }] }),
  });
  expect(bad.status).toBe(400);
  expect((await fetch(`${base}/sessions/${id}`, { method: "DELETE" })).status).toBe(204);
  expect((await fetch(`${base}/sessions/${id}/interrupt`, { method: "POST" })).status).toBe(404);
});
