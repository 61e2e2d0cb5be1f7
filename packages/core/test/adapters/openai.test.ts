import { afterEach, beforeEach, expect, test } from "bun:test";
import { type FakeLlm, startFakeOpenAI } from "@ml-intern/testing";
import OpenAI from "openai";
import { createOpenAIToolRunner, toOpenAITools } from "../../src/adapters/openai.ts";
import { type Calls, sampleTools } from "./fixtures.ts";

let fake: FakeLlm;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(() => fake.close());

test("tool definitions become function tools", () => {
  const [add] = toOpenAITools(sampleTools({ executed: [] }));
  expect(add?.type).toBe("function");
  expect(add?.function.name).toBe("add");
  expect(add?.function.parameters).toMatchObject({ type: "object", required: ["a", "b"] });
});

test("every call gets exactly one tool message, custom calls and bad JSON included", async () => {
  const calls: Calls = { executed: [] };
  const runner = createOpenAIToolRunner({ tools: sampleTools(calls) });
  const out = await runner.runToolCalls([
    { id: "1", type: "function", function: { name: "add", arguments: '{"a":1,"b":2}' } },
    { id: "2", type: "custom", custom: { name: "grammar_tool", input: "x" } },
    { id: "3", type: "function", function: { name: "add", arguments: "{oops" } },
    { id: "4", type: "function", function: { name: "add", arguments: "" } },
  ]);
  expect(out.map((m) => m.tool_call_id)).toEqual(["1", "2", "3", "4"]);
  expect(out[0]).toEqual({ role: "tool", tool_call_id: "1", content: "3" });
  expect(out[1]?.content).toContain("'grammar_tool' is not a function tool");
  expect(out[2]?.content).toStartWith("ERROR: ");
  expect(out[2]?.content).toContain("not valid JSON");
  expect(out[3]?.content).toContain("Invalid arguments for tool 'add'");
  expect(calls.executed).toHaveLength(1);
  expect(await runner.runToolCalls(undefined)).toEqual([]);
});

test("a full tool loop with the real openai SDK against an OpenAI-compatible server", async () => {
  const calls: Calls = { executed: [] };
  const runner = createOpenAIToolRunner({ tools: sampleTools(calls), approve: () => true });
  fake.enqueue(
    { toolCalls: [{ id: "call_1", name: "delete_repo", input: { repo: "me/tmp" } }] },
    { text: "Deleted." },
  );
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${fake.url}/v1`, maxRetries: 0 });
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: "user", content: "delete me/tmp" }];
  let final: string | null = null;
  for (let i = 0; i < 4 && final === null; i++) {
    const completion = await client.chat.completions.create({
      model: "gpt-test",
      messages,
      tools: runner.tools,
    });
    const message = completion.choices[0]!.message;
    messages.push(message);
    if (!message.tool_calls?.length) final = message.content;
    else messages.push(...(await runner.runToolCalls(message.tool_calls)));
  }
  expect(final).toBe("Deleted.");
  expect(calls.executed.map((c) => c.args.repo)).toEqual(["me/tmp"]);
  const second = fake.bodies[1]!.messages as Record<string, unknown>[];
  expect(second.at(-1)).toEqual({ role: "tool", tool_call_id: "call_1", content: "deleted me/tmp" });
});
