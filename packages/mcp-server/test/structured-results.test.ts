import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { type AnyToolDefinition, defineTool } from "@ml-intern/core";
import { createToolCatalog } from "@ml-intern/runtime";
import { createLocalBackend } from "@ml-intern/sandbox";
import { createTempDir } from "@ml-intern/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { createAgentTool } from "../src/agent-tool.ts";
import { createMcpServer } from "../src/server.ts";
import { toolListResult } from "../src/tool-list.ts";
import { connectInMemory } from "./lib/connect.ts";
import { type FakeWorld, GRPO_SCRIPT, PAPER, SAMPLE_ROWS, startFakeWorld } from "./lib/fake-world.ts";

const BIN = join(import.meta.dir, "..", "src", "bin.ts");
const textOf = (result: CallToolResult) => (result.content as { type: "text"; text: string }[])[0]!.text;

describe("structured results are complete or absent", () => {
  const summary = defineTool({
    name: "summary_only",
    description: "Returns structured data without declaring an output schema.",
    toolset: "demo",
    input: z.object({}),
    annotations: { readOnlyHint: true },
    async execute() {
      return { text: "the whole answer", structured: { just: "metadata" } };
    },
  });
  const wrong = defineTool({
    name: "breaks_its_schema",
    description: "Declares an output schema and returns something else.",
    toolset: "demo",
    input: z.object({}),
    output: z.object({ content: z.string() }),
    annotations: { readOnlyHint: true },
    async execute() {
      return { text: "text", structured: { lines: 3 } };
    },
  });
  const tools = [summary, wrong] as AnyToolDefinition[];

  test("a tool without an output schema sends text only, and lists no outputSchema", async () => {
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    const listed = (await client.listTools()).tools.find((t) => t.name === "summary_only")!;
    expect(listed.outputSchema).toBeUndefined();
    const result = (await client.callTool({ name: "summary_only", arguments: {} })) as CallToolResult;
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toBe("the whole answer");
    await close();
  });

  test("the SDK validates structuredContent against the declared output schema", async () => {
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    // The SDK client validates too; a raw request shows what the server sent.
    const result = (await client.request(
      { method: "tools/call", params: { name: "breaks_its_schema", arguments: {} } },
      z.object({}).passthrough(),
    )) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("Output validation error");
    await close();
  });
});

describe("over stdio with the MCP SDK client, against the fakes", () => {
  let world: FakeWorld;
  let client: Client;
  let listed: Tool[];
  beforeAll(async () => {
    world = await startFakeWorld();
    client = new Client({ name: "structured-test", version: "1.0.0" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, "--no-agent"],
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...world.env },
        stderr: "pipe",
      }),
    );
    listed = (await client.listTools()).tools;
  });
  afterAll(async () => {
    await client.close();
    await world.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const tool = listed.find((t) => t.name === name)!;
    // Structured content only from a tool that declares (and so validates) its schema.
    if (result.structuredContent !== undefined) expect(tool.outputSchema).toBeDefined();
    return result;
  };

  test("github_read_file: the file's lines in the text and in structuredContent", async () => {
    const result = await call("github_read_file", {
      repo: "huggingface/trl",
      path: "examples/scripts/grpo.py",
    });
    expect(listed.find((t) => t.name === "github_read_file")!.outputSchema).toBeDefined();
    expect(textOf(result)).toContain(GRPO_SCRIPT);
    expect(result.structuredContent).toMatchObject({ type: "file", content: GRPO_SCRIPT, totalLines: 6 });
  });

  test("hf_inspect_dataset: the sample rows in the text (and in structuredContent when it has one)", async () => {
    const result = await call("hf_inspect_dataset", { dataset: "org/qa" });
    for (const row of SAMPLE_ROWS) expect(textOf(result)).toContain(row.answer);
    if (result.structuredContent !== undefined) {
      const structured = JSON.stringify(result.structuredContent);
      for (const row of SAMPLE_ROWS) expect(structured).toContain(row.answer);
    }
  });

  test("hf_papers: the summary and the URL in the text (and in structuredContent when it has one)", async () => {
    const result = await call("hf_papers", { operation: "search", query: "mathematical reasoning" });
    expect(textOf(result)).toContain(PAPER.summary.slice(0, 40));
    expect(textOf(result)).toContain(PAPER.id);
    if (result.structuredContent !== undefined) {
      const structured = JSON.stringify(result.structuredContent);
      expect(structured).toContain(PAPER.summary.slice(0, 40));
      expect(structured).toContain(PAPER.id);
    }
  });
});

describe("schema snapshots", () => {
  test("the input and output JSON schema of every tool the server can serve", async () => {
    await using dir = await createTempDir();
    const backend = await createLocalBackend({ workspace: dir.path, isolation: "none", warn: () => {} });
    const tools = createToolCatalog({
      env: { ML_INTERN_NOTIFY_WEBHOOK_URL: "http://127.0.0.1:9/hook" },
      cwd: dir.path,
      sandbox: { backend },
      enableLocalTools: true,
    });
    const agent = createAgentTool({
      runAgent: async () => ({ sessionId: "s", status: "done", finalResponse: null, iterations: 0 }),
    });
    const schemas = Object.fromEntries(
      toolListResult([...tools, agent]).tools.map((t) => [
        t.name,
        { inputSchema: t.inputSchema, outputSchema: t.outputSchema ?? null },
      ]),
    );
    expect(Object.keys(schemas)).toContain("github_read_file");
    expect(Object.keys(schemas)).toContain("bash");
    expect(Object.keys(schemas)).toContain("notify");
    expect(schemas).toMatchSnapshot();
    await backend.dispose();
  });
});
