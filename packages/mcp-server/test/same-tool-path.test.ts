/**
 * The MCP server answers tool calls on the one tool-call path of `@ml-intern/tool`: the same validation
 * text, the same truncation (naming a spill file that holds the full text) and the same cancellation
 * result as the agent loop, which runs calls through `runToolCall` with the same registry settings.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import {
  createRedactor,
  createToolRegistry,
  defineTool,
  formatZodIssues,
  runToolCall,
  type SpillOutput,
  toolCallText,
} from "@ml-intern/core";
import { createTempDir } from "@ml-intern/testing";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { createFileSpill } from "../src/file-spill.ts";
import { createToolHandler, type ToolCallExtra } from "../src/register-tool.ts";
import { createMcpServer } from "../src/server.ts";
import { connectInMemory } from "./lib/connect.ts";

const BUDGET = 1_000;
const FULL = Array.from({ length: 500 }, (_, i) => `line ${i} of the big output`).join("\n");

const add = defineTool({
  name: "add",
  description: "Adds.",
  toolset: "t",
  input: z.object({ a: z.number().describe("a") }),
  annotations: { readOnlyHint: true },
  execute: async ({ a }) => ({ text: String(a) }),
});
const big = defineTool({
  name: "big",
  description: "Large output.",
  toolset: "t",
  input: z.object({}),
  annotations: { readOnlyHint: true },
  execute: async () => ({ text: FULL }),
});

const textOf = (result: CallToolResult) => (result.content as { type: "text"; text: string }[])[0]?.text;

test("MCP tools/call gives the agent loop's validation text and truncation, with the full text in the spill file", async () => {
  await using dir = await createTempDir();
  const spill = createFileSpill({ dir: dir.path });
  const { client, close } = await connectInMemory(
    createMcpServer({ tools: [add, big], outputBudgetChars: BUDGET, spill }),
  );
  try {
    const invalid = (await client.callTool({ name: "add", arguments: { a: "one" } })) as CallToolResult;
    const parsed = add.input.safeParse({ a: "one" });
    if (parsed.success) throw new Error("expected a validation failure");
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toBe(toolCallText.invalidArguments("add", formatZodIssues(parsed.error)));

    const cut = (await client.callTool({ name: "big", arguments: {} })) as CallToolResult;
    const text = textOf(cut) ?? "";
    expect(cut.isError).toBeUndefined();
    expect(text.length).toBeLessThan(FULL.length);
    const named = /Full output saved to (\S+?\.txt)/.exec(text)?.[1];
    expect(named).toBeDefined();
    expect(named?.startsWith(dir.path)).toBe(true);
    expect(readFileSync(named as string, "utf8")).toBe(FULL);

    // The agent loop's path with the same budget and a spill that names the same file gives the same text.
    const same: SpillOutput = async () => named;
    const registry = createToolRegistry({ tools: [add, big], outputBudgetChars: BUDGET, spill: same });
    const agentInvalid = await runToolCall(
      { id: "c1", name: "add", input: { a: "one" } },
      { registry, sessionId: "s" },
    );
    const agentBig = await runToolCall({ id: "c2", name: "big", input: {} }, { registry, sessionId: "s" });
    expect(textOf(invalid)).toBe(agentInvalid.text);
    expect(text).toBe(agentBig.text);
  } finally {
    await close();
  }
});

test("MCP tools/call answers a cancelled call with the agent loop's cancellation text, without waiting for the tool", async () => {
  let started: () => void = () => {};
  const wait = defineTool({
    name: "wait",
    description: "Never finishes on its own.",
    toolset: "t",
    input: z.object({}),
    annotations: { readOnlyHint: true },
    execute: () => {
      started();
      return new Promise(() => {});
    },
  });
  const controller = new AbortController();
  started = () => controller.abort();
  const extra = {
    signal: controller.signal,
    requestId: 7,
    sendNotification: async () => {},
  } as unknown as ToolCallExtra;
  const result = await createToolHandler(wait)({}, extra);
  expect(result).toEqual({
    content: [{ type: "text", text: toolCallText.cancelled("wait") }],
    isError: true,
  });

  const agentController = new AbortController();
  started = () => agentController.abort();
  const agent = await runToolCall(
    { id: "w", name: "wait", input: {} },
    { registry: createToolRegistry({ tools: [wait] }), sessionId: "s", signal: agentController.signal },
  );
  expect(textOf(result)).toBe(agent.text);
});

test("the MCP spill file is redacted with core's redactor", async () => {
  await using dir = await createTempDir();
  const redactor = createRedactor({});
  const spill = createFileSpill({ dir: dir.path, redact: (t) => redactor.redact(t) });
  const token = `hf_${"a".repeat(34)}`;
  const path = await spill("mcp-1", "big", `token ${token} in a long output`);
  expect(path?.startsWith(dir.path)).toBe(true);
  const saved = readFileSync(path as string, "utf8");
  expect(saved).not.toContain(token);
  expect(saved).toContain("token [REDACTED_HF_TOKEN] in a long output");
});
