import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createTempDir, type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { installClaudeCode } from "./lib/claude-code.ts";
import { type FakeWorld, GRPO_SCRIPT, SAMPLE_ROWS, startFakeWorld } from "./lib/fake-world.ts";

const BIN = join(import.meta.dir, "..", "src", "bin.ts");
const READ = "mcp__ml-intern__github_read_file";
const INSPECT = "mcp__ml-intern__hf_inspect_dataset";

const claude = await installClaudeCode();
if ("reason" in claude) console.warn(`SKIPPED the Claude Code client test: ${claude.reason}`);

type Block = { type: string; tool_use_id?: string; content?: unknown; text?: string };
type Message = { role: string; content: string | Block[] };

/** The text of every tool result Claude Code sent its model, by tool_use id. */
function toolResults(bodies: Record<string, unknown>[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const body of bodies) {
    for (const message of (body.messages as Message[] | undefined) ?? []) {
      if (typeof message.content === "string") continue;
      for (const block of message.content) {
        if (block.type !== "tool_result" || !block.tool_use_id) continue;
        const content = block.content;
        const text =
          typeof content === "string"
            ? content
            : Array.isArray(content)
              ? (content as Block[]).map((b) => b.text ?? "").join("\n")
              : "";
        out.set(block.tool_use_id, text);
      }
    }
  }
  return out;
}

/** The result as the model saw it: structured JSON when Claude Code passed structuredContent, else text. */
function parsed(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

describe.skipIf("reason" in claude)(
  "Claude Code as the MCP client (claude -p against the fake Anthropic API)",
  () => {
    let world: FakeWorld;
    let llm: FakeLlm;
    beforeAll(async () => {
      world = await startFakeWorld();
      llm = await startFakeAnthropic();
      // Its model calls our two tools at once, then answers. Requests without our tools (titles, summaries) get text.
      llm.respondWith((body) => {
        const names = ((body.tools as { name: string }[] | undefined) ?? []).map((t) => t.name);
        const answered = JSON.stringify(body.messages ?? []).includes('"tool_result"');
        if (!names.includes(READ) || answered)
          return { text: "Done: read the script and inspected the dataset." };
        return {
          toolCalls: [
            {
              id: "toolu_read",
              name: READ,
              input: { repo: "huggingface/trl", path: "examples/scripts/grpo.py" },
            },
            { id: "toolu_inspect", name: INSPECT, input: { dataset: "org/qa" } },
          ],
        };
      });
    });
    afterAll(async () => {
      await llm?.close();
      await world?.close();
    });

    test("the tool results its model receives carry the file contents and the sample rows", async () => {
      if ("reason" in claude) return;
      await using home = await createTempDir();
      const configPath = join(home.path, "mcp.json");
      await Bun.write(
        configPath,
        JSON.stringify({
          mcpServers: {
            "ml-intern": {
              command: process.execPath,
              args: [BIN, "--no-agent"],
              env: { PATH: process.env.PATH ?? "", HOME: home.path, ...world.env },
            },
          },
        }),
      );
      const child = Bun.spawn(
        [
          claude.bin,
          "-p",
          "Read the GRPO example script of huggingface/trl and inspect the dataset org/qa.",
          "--mcp-config",
          configPath,
          "--strict-mcp-config",
          "--allowedTools",
          `${READ},${INSPECT}`,
          "--output-format",
          "json",
        ],
        {
          cwd: home.path,
          env: {
            PATH: process.env.PATH ?? "",
            HOME: home.path,
            ANTHROPIC_BASE_URL: llm.url,
            ANTHROPIC_API_KEY: "sk-ant-fake-key",
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
            DISABLE_TELEMETRY: "1",
            DISABLE_AUTOUPDATER: "1",
            DISABLE_ERROR_REPORTING: "1",
            // In -p mode Claude Code does not wait for MCP servers by default: on a loaded machine its first
            // model request would go out before our tools are listed. Make it wait (as a slow start showed).
            MCP_CONNECTION_NONBLOCKING: "false",
            MCP_TIMEOUT: "60000",
          },
          stdin: "ignore",
          stdout: "pipe",
          stderr: "pipe",
        },
      );
      const timer = setTimeout(() => child.kill(), 100_000);
      const [code, stdout, stderr] = await Promise.all([
        child.exited,
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
      ]);
      clearTimeout(timer);
      expect({ code, stderr: stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
      expect((JSON.parse(stdout) as { result: string }).result).toContain("Done");

      const results = toolResults(llm.bodies);
      const read = results.get("toolu_read");
      const inspect = results.get("toolu_inspect");
      expect(read).toBeDefined();
      expect(inspect).toBeDefined();
      // Claude Code shows its model structuredContent when present: it must be the file, not metadata about it.
      const file = parsed(read!);
      if (file) expect(file.content).toBe(GRPO_SCRIPT);
      else expect(read).toContain(GRPO_SCRIPT);
      for (const row of SAMPLE_ROWS) {
        expect(inspect).toContain(row.prompt);
        expect(inspect).toContain(row.answer);
      }
    }, 120_000);
  },
);
