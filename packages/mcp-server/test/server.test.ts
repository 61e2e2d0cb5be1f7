import { describe, expect, test } from "bun:test";
import type { LoggingMessageNotification, Progress } from "@modelcontextprotocol/sdk/types.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { createMcpServer } from "../src/server.ts";
import { connectInMemory } from "./lib/connect.ts";
import { createSampleTools } from "./lib/sample-tools.ts";

describe("createMcpServer over an in-memory transport", () => {
  test("lists every tool with its JSON schema, annotations, title and output schema", async () => {
    const { tools } = createSampleTools();
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    const list = await client.listTools();
    expect(list.tools.map((t) => t.name)).toEqual(tools.map((t) => t.name));
    const echo = list.tools.find((t) => t.name === "echo_text")!;
    expect(echo.title).toBe("Echo");
    expect(echo.annotations).toEqual({
      title: "Echo",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(echo.inputSchema.properties?.text).toMatchObject({ type: "string", description: "Text to echo" });
    expect(echo.inputSchema.required).toEqual(["text"]);
    expect(echo.outputSchema?.properties?.length).toMatchObject({ type: "number" });
    await close();
  });

  test("maps text to content and structured to structuredContent", async () => {
    const { tools } = createSampleTools();
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    await client.listTools();
    const result = await client.callTool({ name: "echo_text", arguments: { text: "ab", times: 2 } });
    expect(result.content).toEqual([{ type: "text", text: "echo: abab" }]);
    expect(result.structuredContent).toEqual({ text: "abab", length: 4 });
    expect(result.isError).toBeUndefined();
    await close();
  });

  test("passes isError through, and turns thrown errors and invalid input into error results", async () => {
    const { tools } = createSampleTools();
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    const failed = await client.callTool({ name: "always_fails", arguments: { repo: "a/b" } });
    expect(failed.isError).toBe(true);
    expect(JSON.stringify(failed.content)).toContain("Repository a/b not found");
    const thrown = await client.callTool({ name: "throws_error", arguments: {} });
    expect(thrown.isError).toBe(true);
    expect(JSON.stringify(thrown.content)).toContain("Tool 'throws_error' failed: boom");
    const invalid = await client.callTool({ name: "echo_text", arguments: { times: 9 } });
    expect(invalid.isError).toBe(true);
    await close();
  });

  test("truncates oversized text to the output budget", async () => {
    const { tools } = createSampleTools();
    const { client, close } = await connectInMemory(createMcpServer({ tools, outputBudgetChars: 1000 }));
    const result = await client.callTool({ name: "big_output", arguments: { chars: 5000 } });
    const text = (result.content as { text: string }[])[0]!.text;
    expect(text.length).toBeLessThan(1200);
    expect(text).toContain("characters omitted of 5000");
    await close();
  });

  test("streams progress (increasing) and logs, and cancellation aborts the tool", async () => {
    const { tools, probe } = createSampleTools();
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    const logs: LoggingMessageNotification["params"][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    const progress: Progress[] = [];
    const controller = new AbortController();
    const call = client.callTool({ name: "slow_job", arguments: { steps: 3, wait: true } }, undefined, {
      signal: controller.signal,
      onprogress: (p) => progress.push(p),
    });
    const signal = await probe.slowStarted;
    expect(signal.aborted).toBe(false);
    controller.abort(new Error("user cancelled"));
    await expect(call).rejects.toThrow();
    await probe.slowStopped;
    expect(signal.aborted).toBe(true);
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 3]);
    expect(progress[2]).toMatchObject({ total: 3, message: "step 3" });
    expect(logs.map((l) => l.data)).toEqual(["log line 1", "log line 2", "log line 3"]);
    expect(logs[0]).toMatchObject({ level: "info", logger: "slow_job" });
    await close();
  });

  test("logging/setLevel above info silences tool logs", async () => {
    const { tools } = createSampleTools();
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    const logs: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    await client.setLoggingLevel("warning");
    await client.callTool({ name: "slow_job", arguments: { steps: 2 } });
    expect(logs).toEqual([]);
    await client.setLoggingLevel("debug");
    await client.callTool({ name: "slow_job", arguments: { steps: 1 } });
    expect(logs).toHaveLength(1);
    await close();
  });

  test("filters: read-only beats an explicitly requested write tool; exclude and toolsets apply", async () => {
    const { tools } = createSampleTools();
    const names = async (filter: Parameters<typeof createMcpServer>[0]["filter"]) => {
      const { client, close } = await connectInMemory(createMcpServer({ tools, filter }));
      const list = (await client.listTools()).tools.map((t) => t.name);
      await close();
      return list;
    };
    expect(await names({ readOnly: true, tools: ["slow_job"] })).not.toContain("slow_job");
    expect(await names({ toolsets: ["jobs"] })).toEqual(["slow_job", "gated_job"]);
    expect(await names({ toolsets: ["jobs"], tools: ["echo_text"] })).toEqual([
      "echo_text",
      "slow_job",
      "gated_job",
    ]);
    expect(await names({ excludeTools: ["echo_text"] })).not.toContain("echo_text");
    const { client, close } = await connectInMemory(createMcpServer({ tools, filter: { readOnly: true } }));
    const hidden = await client.callTool({ name: "slow_job", arguments: { steps: 0 } });
    expect(hidden.isError).toBe(true);
    await close();
  });

  test("passes per-call auth from getAuth to the tool context", async () => {
    const { tools, probe } = createSampleTools();
    const server = createMcpServer({ tools, getAuth: () => ({ hfToken: "hf_caller" }) });
    const { client, close } = await connectInMemory(server);
    await client.callTool({ name: "echo_text", arguments: { text: "a" } });
    expect(probe.seenAuth).toEqual(["hf_caller"]);
    await close();
  });

  test("serves the three workflow prompts", async () => {
    const { client, close } = await connectInMemory(createMcpServer({ tools: [] }));
    const prompts = await client.listPrompts();
    expect(prompts.prompts.map((p) => p.name).sort()).toEqual([
      "evaluate_model",
      "fine_tune_model",
      "state_of_the_art",
    ]);
    const got = await client.getPrompt({
      name: "fine_tune_model",
      arguments: { model: "Qwen/Qwen3-0.6B", dataset: "trl-lib/Capybara" },
    });
    const text = (got.messages[0]!.content as { text: string }).text;
    expect(text).toContain("Fine-tune Qwen/Qwen3-0.6B on the dataset trl-lib/Capybara.");
    expect(text).not.toContain("{{");
    await close();
  });
});
