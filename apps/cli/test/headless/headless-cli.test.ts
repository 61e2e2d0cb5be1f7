// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax under test
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createIsolatedHome, type IsolatedHome, jsonLines, runCliProcess } from "../helpers/cli-harness.ts";
import { everythingStdioConfig } from "../helpers/everything-server.ts";

let fake: FakeLlm;
let home: IsolatedHome;
let configPath: string;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  home = await createIsolatedHome();
  configPath = join(home.root.path, "test-config.json");
  writeFileSync(configPath, JSON.stringify({ sandbox: "bwrap" }));
});
afterAll(async () => {
  await fake.close();
  await home[Symbol.asyncDispose]();
});

const env = (extra: Record<string, string> = {}) =>
  home.env({ ANTHROPIC_API_KEY: "sk-ant-test-key-1234", ANTHROPIC_BASE_URL: fake.url, ...extra });

const run = (args: string[], extra: { stdin?: string; env?: Record<string, string> } = {}) =>
  runCliProcess(args, { cwd: home.workspace, env: env(extra.env), stdin: extra.stdin });

describe("headless runs against the fake Anthropic API", () => {
  test("stream-json: a tool call writes a file; events end with a result carrying the stats", async () => {
    fake.enqueue(
      { toolCalls: [{ name: "write", input: { path: "notes/hello.txt", content: "hi there\n" } }] },
      { text: "Wrote **notes/hello.txt**." },
    );
    const r = await run(["--config", configPath, "--output-format", "stream-json", "write hello"]);
    expect(r.exitCode).toBe(0);
    const events = jsonLines(r.stdout);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("ready");
    expect(types).toContain("tool_call");
    expect(types.at(-2)).toBe("turn_complete");
    expect(types.at(-1)).toBe("result");
    for (const e of events.slice(0, -1)) expect(typeof e.seq).toBe("number");
    const call = events.find((e) => e.type === "tool_call");
    expect(call).toMatchObject({ tool: "write", arguments: { path: "notes/hello.txt" } });
    const output = events.find((e) => e.type === "tool_output");
    expect(output).toMatchObject({ tool: "write", success: true });
    const result = events.at(-1)!;
    expect(result).toMatchObject({
      status: "success",
      response: "Wrote **notes/hello.txt**.",
      error: null,
      stats: { tool_calls: 1, llm_calls: 2, input_tokens: 200, output_tokens: 40 },
    });
    expect(result.session_id).toBe(events[0]!.session_id);
    expect(readFileSync(join(home.workspace, "notes/hello.txt"), "utf8")).toBe("hi there\n");
  }, 30_000);

  test("json: one object with session_id, response, stats and error", async () => {
    fake.enqueue({ text: "All done.", usage: { input: 50, output: 7 } });
    const r = await run(["--output-format", "json", "--sandbox", "none", "say done"]);
    expect(r.exitCode).toBe(0);
    const body = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["error", "response", "session_id", "spend", "stats"]);
    expect(body).toMatchObject({
      response: "All done.",
      error: null,
      stats: { input_tokens: 50, output_tokens: 7 },
    });
    expect(typeof (body.stats as { duration_ms: number }).duration_ms).toBe("number");
    expect(typeof (body.stats as { cost_usd: number }).cost_usd).toBe("number");
  }, 30_000);

  test("text: the answer alone on stdout, progress on stderr; a piped stdin is the prompt", async () => {
    fake.enqueue(
      { toolCalls: [{ name: "read", input: { path: "missing-file.txt" } }] },
      { text: "The file does not exist." },
    );
    const r = await run(["--sandbox", "none"], { stdin: "what is in missing-file.txt?\n" });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("The file does not exist.\n");
    expect(r.stderr).toContain("▸ read path=missing-file.txt");
    const lastBody = fake.bodies.at(-2) as { messages: { role: string; content: unknown }[] };
    expect(JSON.stringify(lastBody.messages[0])).toContain("what is in missing-file.txt?");
  }, 30_000);

  test("max iterations reached exits 5 with a json error", async () => {
    fake.enqueue({ toolCalls: [{ name: "bash", input: { command: "echo one" } }] });
    const r = await run(["--output-format", "json", "--sandbox", "none", "--max-iterations", "1", "loop"]);
    expect(r.exitCode).toBe(5);
    const body = JSON.parse(r.stdout) as { error: { type: string; code: number } };
    expect(body.error).toMatchObject({ type: "max_iterations", code: 5 });
  }, 30_000);

  test("a rejected API key exits 4 (authentication)", async () => {
    fake.enqueue({ httpError: { status: 401, message: "invalid x-api-key" } });
    const r = await run(["--output-format", "json", "--sandbox", "none", "hello"]);
    expect(r.exitCode).toBe(4);
    const body = JSON.parse(r.stdout) as { error: { type: string } };
    expect(body.error.type).toBe("auth");
    expect(r.stdout + r.stderr).not.toContain("sk-ant-test-key-1234");
  }, 30_000);

  test("a missing API key exits 4 before any model call", async () => {
    const before = fake.bodies.length;
    const r = await run(["--sandbox", "none", "hello"], { env: { ANTHROPIC_API_KEY: "" } });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain("ANTHROPIC_API_KEY");
    expect(fake.bodies.length).toBe(before);
  }, 30_000);

  test("a deny rule keeps a call from running in headless mode", async () => {
    const rules = join(home.root.path, "deny-bash.json");
    writeFileSync(rules, JSON.stringify({ approval_rules: [{ tool: "bash", action: "deny" }] }));
    fake.enqueue(
      { toolCalls: [{ name: "bash", input: { command: "touch should-not-exist" } }] },
      { text: "Could not run it." },
    );
    const r = await run([
      "--config",
      rules,
      "--output-format",
      "stream-json",
      "--sandbox",
      "none",
      "touch it",
    ]);
    expect(r.exitCode).toBe(0);
    const states = jsonLines(r.stdout)
      .filter((e) => e.type === "tool_state_change")
      .map((e) => e.state);
    expect(states).toEqual(["rejected"]);
    expect(existsSync(join(home.workspace, "should-not-exist"))).toBe(false);
  }, 30_000);

  test("an MCP server from config is called through the agent (server-everything echo)", async () => {
    const mcpConfig = join(home.root.path, "mcp.json");
    writeFileSync(mcpConfig, JSON.stringify({ mcpServers: { everything: everythingStdioConfig() } }));
    fake.enqueue(
      { toolCalls: [{ name: "mcp__everything__echo", input: { message: "ping through MCP" } }] },
      { text: "Echoed." },
    );
    const r = await run([
      "--config",
      mcpConfig,
      "--output-format",
      "stream-json",
      "--sandbox",
      "none",
      "echo",
    ]);
    expect(r.exitCode).toBe(0);
    const output = jsonLines(r.stdout).find((e) => e.type === "tool_output");
    expect(output).toMatchObject({ tool: "mcp__everything__echo", success: true });
    expect(String(output?.output)).toContain("ping through MCP");
    const request = fake.bodies.at(-2) as { tools: { name: string; input_schema: { properties: object } }[] };
    const echo = request.tools.find((t) => t.name === "mcp__everything__echo");
    expect(Object.keys(echo?.input_schema.properties ?? {})).toContain("message");
  }, 60_000);

  test("configuration errors exit 3 and name the variable or field; usage errors exit 2", async () => {
    const missing = join(home.root.path, "missing-var.json");
    writeFileSync(
      missing,
      JSON.stringify({
        mcpServers: { x: { url: "https://example.com/mcp", headers: { A: "${NOPE_TOKEN}" } } },
      }),
    );
    const r1 = await run(["--config", missing, "--output-format", "json", "hi"]);
    expect(r1.exitCode).toBe(3);
    expect(r1.stderr).toContain("'NOPE_TOKEN'");
    expect(JSON.parse(r1.stdout)).toMatchObject({ error: { type: "config", code: 3 } });

    writeFileSync(join(home.workspace, ".env"), "NOPE_TOKEN=from-dotenv\n");
    const bad = join(home.root.path, "bad-field.json");
    writeFileSync(
      bad,
      JSON.stringify({
        mcpServers: {
          x: { url: "https://example.com/mcp", headers: { A: "${NOPE_TOKEN}" }, enabled: "yes" },
        },
      }),
    );
    const r2 = await run(["--config", bad, "hi"]);
    expect(r2.exitCode).toBe(3);
    expect(r2.stderr).toContain("mcpServers.x.enabled");
    expect(r2.stderr).not.toContain("NOPE_TOKEN'");

    const r3 = await run(["--no-such-flag", "hi"]);
    expect(r3.exitCode).toBe(2);
    expect(r3.stderr.trim().split("\n")).toHaveLength(1);
  }, 30_000);
});

describe("sessions", () => {
  test("--continue resumes the most recent session with its history", async () => {
    fake.enqueue({ text: "The secret word is noted." });
    const first = await run(["--output-format", "json", "--sandbox", "none", "remember the word pineapple"]);
    expect(first.exitCode).toBe(0);
    const firstId = (JSON.parse(first.stdout) as { session_id: string }).session_id;
    fake.enqueue({ text: "It was pineapple." });
    const second = await run([
      "--continue",
      "--output-format",
      "json",
      "--sandbox",
      "none",
      "what was the word?",
    ]);
    expect(second.exitCode).toBe(0);
    expect((JSON.parse(second.stdout) as { session_id: string }).session_id).toBe(firstId);
    const body = JSON.stringify(fake.bodies.at(-1));
    expect(body).toContain("remember the word pineapple");
    expect(body).toContain("what was the word?");
  }, 30_000);

  test("--resume with an unknown ref is a usage error", async () => {
    const r = await run(["--resume", "no-such-session", "--sandbox", "none", "hi"]);
    expect(r.exitCode).toBe(2);
  }, 30_000);
});

describe("trace sharing", () => {
  test("share_traces uploads the redacted session to the user's private dataset on the fake Hub", async () => {
    const { startFakeHub, FAKE_HF_TOKEN } = await import("@ml-intern/testing/hf/fake-hub");
    await using hub = await startFakeHub();
    const shareConfig = join(home.root.path, "share-config.json");
    writeFileSync(shareConfig, JSON.stringify({ share_traces: true }));
    fake.enqueue({ text: `Your token ${FAKE_HF_TOKEN} is safe.` });
    const r = await run(["--config", shareConfig, "--output-format", "json", "--sandbox", "none", "hello"], {
      env: { HF_TOKEN: FAKE_HF_TOKEN, HF_ENDPOINT: hub.url },
    });
    expect(r.exitCode).toBe(0);
    const sessionId = (JSON.parse(r.stdout) as { session_id: string }).session_id;
    const repo = hub.repo("dataset", "alice/ml-intern-sessions");
    expect(repo?.init.private).toBe(true);
    const trace = hub.fileText("dataset", "alice/ml-intern-sessions", `sessions/${sessionId}.jsonl`);
    expect(trace).toBeDefined();
    const lines = trace!
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; uuid: string });
    expect(lines.map((l) => l.type)).toEqual(["user", "assistant"]);
    expect(trace).not.toContain(FAKE_HF_TOKEN);
    expect(r.stderr).toContain("Trace uploaded");
  }, 30_000);
});
