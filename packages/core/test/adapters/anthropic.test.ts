import { afterEach, beforeEach, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { createToolRegistry } from "@ml-intern/tool";
import {
  anthropicToolCalls,
  createAnthropicToolRunner,
  toAnthropicTools,
} from "../../src/adapters/anthropic.ts";
import { type Calls, sampleTools } from "./fixtures.ts";

let fake: FakeLlm;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(() => fake.close());

test("tool definitions become Messages API tools with their JSON Schema", () => {
  const tools = toAnthropicTools(sampleTools({ executed: [] }));
  expect(tools.map((t) => t.name)).toEqual(["add", "delete_repo", "explode", "wait"]);
  const add = tools[0]!;
  expect(add.description).toBe("Adds two integers.");
  expect(add.input_schema.type).toBe("object");
  expect(add.input_schema.required).toEqual(["a", "b"]);
  expect(add.input_schema.properties).toMatchObject({
    a: { type: "integer", description: "first addend" },
  });
  expect(tools[2]!.input_schema).toEqual({ type: "object", properties: {} });
});

test("a filtered registry only exposes its tools", () => {
  const registry = createToolRegistry({ tools: sampleTools({ executed: [] }), filter: { readOnly: true } });
  expect(toAnthropicTools(registry).map((t) => t.name)).toEqual(["add", "explode", "wait"]);
});

test("only tool_use blocks are run; text blocks are ignored", () => {
  const calls = anthropicToolCalls([
    { type: "text" },
    { type: "tool_use", id: "toolu_1", name: "add", input: { a: 1, b: 2 } } as { type: string },
  ]);
  expect(calls).toEqual([{ id: "toolu_1", name: "add", input: { a: 1, b: 2 } }]);
});

test("a full tool loop with the real @anthropic-ai/sdk: tool_use in, tool_result back, final text", async () => {
  const calls: Calls = { executed: [] };
  const runner = createAnthropicToolRunner({ tools: sampleTools(calls) });
  fake.enqueue(
    {
      text: "Let me add those.",
      toolCalls: [
        { id: "toolu_a", name: "add", input: { a: 20, b: 22 } },
        { id: "toolu_b", name: "delete_repo", input: { repo: "me/x" } },
      ],
    },
    { text: "The sum is 42." },
  );
  const client = new Anthropic({ apiKey: "sk-test", baseURL: fake.url, maxRetries: 0 });
  const messages: Anthropic.MessageParam[] = [{ role: "user", content: "What is 20 + 22?" }];
  let final = "";
  for (let i = 0; i < 4; i++) {
    const reply = await client.messages.create({
      model: "claude-test",
      max_tokens: 1024,
      tools: runner.tools,
      messages,
    });
    messages.push({ role: "assistant", content: reply.content });
    const results = await runner.runToolUses(reply.content);
    if (results.length === 0) {
      final = reply.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("");
      break;
    }
    messages.push({ role: "user", content: results });
  }
  expect(final).toBe("The sum is 42.");
  expect(calls.executed.map((c) => c.name)).toEqual(["add"]);
  const sent = fake.bodies[0]!;
  expect((sent.tools as { name: string }[]).map((t) => t.name)).toEqual([
    "add",
    "delete_repo",
    "explode",
    "wait",
  ]);
  const second = fake.bodies[1]!.messages as { role: string; content: unknown }[];
  expect(second[2]).toEqual({
    role: "user",
    content: [
      { type: "tool_result", tool_use_id: "toolu_a", content: "42" },
      {
        type: "tool_result",
        tool_use_id: "toolu_b",
        content:
          "Not executed: this call needs approval (destructive: deletes me/x) and this host has no approval handler.",
        is_error: true,
      },
    ],
  });
});
