import { expect, test } from "bun:test";
import { startFakeAnthropic } from "../../src/llm/fake-anthropic.ts";
import { startFakeOpenAI } from "../../src/llm/fake-openai.ts";

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

test("Anthropic SSE frames carry both event: and data: lines whose type matches", async () => {
  await using fake = await startFakeAnthropic();
  fake.enqueue({ text: "hello", toolCalls: [{ name: "t", input: { a: 1 } }] });
  const res = await post(`${fake.url}/v1/messages`, { model: "m", stream: true, messages: [] });
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const frames = (await res.text()).trim().split("\n\n");
  for (const frame of frames) {
    const [eventLine, dataLine] = frame.split("\n");
    const name = eventLine!.replace("event: ", "");
    expect(JSON.parse(dataLine!.replace("data: ", "")).type).toBe(name);
  }
  const names = frames.map((f) => f.split("\n")[0]!.slice(7));
  expect(names[0]).toBe("message_start");
  expect(names.at(-1)).toBe("message_stop");
  const json = frames
    .map((f) => JSON.parse(f.split("\n")[1]!.slice(6)))
    .filter((d) => d.delta?.type === "input_json_delta")
    .map((d) => d.delta.partial_json)
    .join("");
  expect(JSON.parse(json)).toEqual({ a: 1 });
});

test("HTTP errors use Anthropic's error envelope and status", async () => {
  await using fake = await startFakeAnthropic();
  fake.enqueue({ httpError: { status: 529 } });
  const res = await post(`${fake.url}/v1/messages`, { model: "m", messages: [] });
  expect(res.status).toBe(529);
  expect(await res.json()).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
});

test("an empty script answers 500 so a test cannot pass by accident", async () => {
  await using fake = await startFakeAnthropic();
  const res = await post(`${fake.url}/v1/messages`, { model: "m", messages: [] });
  expect(res.status).toBe(500);
});

test("OpenAI chunks end with a usage chunk and [DONE]", async () => {
  await using fake = await startFakeOpenAI();
  fake.enqueue({ text: "hi", toolCalls: [{ name: "t", input: { b: 2 } }] });
  const res = await post(`${fake.url}/v1/chat/completions`, { model: "m", stream: true, messages: [] });
  const lines = (await res.text()).trim().split("\n\n");
  expect(lines.at(-1)).toBe("data: [DONE]");
  const usage = JSON.parse(lines.at(-2)!.slice(6));
  expect(usage.choices).toEqual([]);
  expect(usage.usage.total_tokens).toBeGreaterThan(0);
  const first = JSON.parse(lines.find((l) => l.includes('"tool_calls"'))!.slice(6));
  expect(first.choices[0].delta.tool_calls[0]).toMatchObject({
    index: 0,
    type: "function",
    function: { name: "t" },
  });
});

test("fake Anthropic answers token counting and a reachability probe without recording a model call", async () => {
  await using llm = await startFakeAnthropic();
  const counted = await fetch(`${llm.url}/v1/messages/count_tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "hello there" }] }),
  });
  expect(counted.status).toBe(200);
  expect(((await counted.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
  expect((await fetch(llm.url, { method: "HEAD" })).status).toBe(200);
  expect(llm.bodies).toHaveLength(0);
});
