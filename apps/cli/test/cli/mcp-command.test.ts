import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { type FakeHub, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createIsolatedHome, type IsolatedHome, MAIN } from "../helpers/cli-harness.ts";
import { everythingStdioConfig } from "../helpers/everything-server.ts";

type TextContent = { type: "text"; text: string };
const textOf = (result: Record<string, unknown>) =>
  (result.content as TextContent[]).map((c) => c.text).join("\n");

interface AnthropicBody {
  model: string;
  thinking?: { type: string; budget_tokens: number };
  tools?: { name: string }[];
  messages: { role: string; content: string | { type: string; content?: unknown; tool_use_id?: string }[] }[];
}

let fake: FakeLlm;
let hub: FakeHub;
let iso: IsolatedHome;

beforeAll(async () => {
  [fake, hub, iso] = await Promise.all([startFakeAnthropic(), startFakeHub(), createIsolatedHome()]);
});
afterAll(async () => {
  await Promise.all([fake.close(), hub.close(), iso[Symbol.asyncDispose]()]);
});

/** `ml-intern mcp <args>` as a child process, driven by the SDK's real MCP client over stdio. */
async function connect(args: string[]): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MAIN, "mcp", ...args],
    cwd: iso.workspace,
    env: iso.env({
      ANTHROPIC_API_KEY: "sk-ant-test-key",
      ANTHROPIC_BASE_URL: fake.url,
      HF_ENDPOINT: hub.url,
    }),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "mcp-config-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe("ml-intern mcp --config <file>", () => {
  test("applies the file's toolsets, mcpServers, model (with thinking) and approval rules", async () => {
    const configFile = join(iso.workspace, "mcp-config.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        model_name: "anthropic/claude-config-model",
        toolsets: ["hf-papers", "mcp", "agent"],
        mcpServers: { everything: everythingStdioConfig() },
        approval_rules: [{ tool: "mcp__everything__echo", args: { message: "secret*" }, action: "deny" }],
      }),
    );
    const { client, stderr } = await connect(["--config", "mcp-config.json"]);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      // mcpServers: the configured server's tools are served; toolsets: only hf-papers, mcp and the agent tool.
      expect(names).toContain("mcp__everything__echo");
      expect(names).toContain("hf_papers");
      expect(names).toContain("ml_intern");
      expect(names).not.toContain("hub_repo_search");
      expect(names).not.toContain("github_read_file");

      const echoed = await client.callTool({ name: "mcp__everything__echo", arguments: { message: "hi" } });
      expect(echoed.isError).toBeFalsy();
      expect(textOf(echoed)).toContain("Echo: hi");

      fake.enqueue(
        {
          toolCalls: [
            { id: "toolu_secret", name: "mcp__everything__echo", input: { message: "secret plan" } },
          ],
        },
        {
          toolCalls: [
            { id: "toolu_public", name: "mcp__everything__echo", input: { message: "public note" } },
          ],
        },
        { text: "Done: one call refused, one echoed." },
      );
      const run = await client.callTool({ name: "ml_intern", arguments: { task: "Echo two messages." } });
      expect(run.isError, textOf(run)).toBeFalsy();
      expect(textOf(run)).toContain("Done: one call refused, one echoed.");

      const bodies = fake.bodies as unknown as AnthropicBody[];
      expect(bodies.length).toBe(3);
      // The model from the file, with the CLI's default reasoning effort (thinking on).
      expect(bodies[0]!.model).toBe("claude-config-model");
      expect(bodies[0]!.thinking?.type).toBe("enabled");
      // The agent sees the same filtered catalog.
      const agentTools = (bodies[0]!.tools ?? []).map((t) => t.name);
      expect(agentTools).toContain("mcp__everything__echo");
      expect(agentTools).not.toContain("hub_repo_search");
      // The deny rule refused the matching call; the other one ran on the configured MCP server.
      const resultOf = (body: AnthropicBody, id: string) => {
        for (const message of body.messages) {
          if (typeof message.content === "string") continue;
          const block = message.content.find((b) => b.type === "tool_result" && b.tool_use_id === id);
          if (block) return JSON.stringify(block.content);
        }
        return undefined;
      };
      expect(resultOf(bodies[1]!, "toolu_secret")).toContain("Not executed");
      expect(resultOf(bodies[2]!, "toolu_public")).toContain("Echo: public note");
    } finally {
      await client.close();
    }
    expect(stderr()).not.toContain("sk-ant-test-key");
  }, 60_000);

  test("without --config it uses the built-in defaults: the runtime's default model, every toolset", async () => {
    const { client } = await connect([]);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain("hub_repo_search");
      expect(names).toContain("ml_intern");
      expect(names.some((n) => n.startsWith("mcp__"))).toBe(false);
      const before = fake.bodies.length;
      fake.enqueue({ text: "ok" });
      const run = await client.callTool({ name: "ml_intern", arguments: { task: "Say ok." } });
      expect(textOf(run)).toContain("ok");
      const body = fake.bodies[before] as unknown as AnthropicBody;
      const { DEFAULT_MODEL } = await import("@ml-intern/runtime/model");
      expect(`anthropic/${body.model}`).toBe(DEFAULT_MODEL);
      expect(body.thinking?.type).toBe("enabled");
    } finally {
      await client.close();
    }
  }, 60_000);

  test("a bad --config is a configuration error (exit 3) naming the field", async () => {
    writeFileSync(join(iso.workspace, "bad.json"), JSON.stringify({ approval_rules: [{ tool: "x" }] }));
    const proc = Bun.spawn([process.execPath, MAIN, "mcp", "--config", "bad.json", "--transport", "http"], {
      cwd: iso.workspace,
      env: iso.env(),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
    expect(code).toBe(3);
    expect(err).toContain("approval_rules.0.action");
  }, 30_000);
});
