import { afterAll, beforeAll, expect, test } from "bun:test";
import { DEFAULT_MODEL } from "@ml-intern/runtime/model";
import { createTempDir, type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import {
  FAKE_HF_READ_TOKEN,
  FAKE_HF_TOKEN,
  type FakeHub,
  startFakeHub,
} from "@ml-intern/testing/hf/fake-hub";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { runMcpCommand } from "../src/run-mcp-command.ts";

type TextContent = { type: "text"; text: string };
const textOf = (result: Record<string, unknown>) => (result.content as TextContent[])[0]!.text;

let hub: FakeHub;
let llm: FakeLlm;
beforeAll(async () => {
  hub = await startFakeHub();
  llm = await startFakeAnthropic();
});
afterAll(async () => {
  await hub.close();
  await llm.close();
});

async function startServer(home: string) {
  const controller = new AbortController();
  const logs: string[] = [];
  let onUrl!: (url: string) => void;
  const listening = new Promise<string>((resolve) => {
    onUrl = resolve;
  });
  const exit = runMcpCommand(
    ["--transport", "http", "--port", "0", "--no-auth", "--model", DEFAULT_MODEL],
    {
      PATH: process.env.PATH ?? "",
      HOME: home,
      HF_ENDPOINT: hub.url,
      ANTHROPIC_API_KEY: "sk-test",
      ANTHROPIC_BASE_URL: llm.url,
      ML_INTERN_HOME: home,
    },
    { signal: controller.signal, log: (m) => logs.push(m), onListening: onUrl },
  );
  const url = await Promise.race([
    listening,
    exit.then((code) => Promise.reject(new Error(`exited ${code}: ${logs.join("\n")}`))),
  ]);
  const connect = async (hfToken: string) => {
    const client = new Client({ name: "isolation-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${hfToken}` } },
      }),
    );
    return client;
  };
  return {
    connect,
    stop: async () => {
      controller.abort();
      return exit;
    },
  };
}

test("caller B cannot list, read or resume caller A's ml_intern sessions, live or after the server restarts", async () => {
  await using home = await createTempDir();
  let server = await startServer(home.path);
  let alice = await server.connect(FAKE_HF_TOKEN);
  let bob = await server.connect(FAKE_HF_READ_TOKEN);
  llm.enqueue({ text: "Alice's private plan." });
  const first = await alice.callTool({ name: "ml_intern", arguments: { task: "Plan my secret fine-tune." } });
  expect(first.isError).toBeFalsy();
  const sessionId = (first.structuredContent as { session_id: string }).session_id;
  const uri = `ml-intern://sessions/${sessionId}`;

  const assertBobLockedOut = async () => {
    expect((await bob.listResources()).resources.map((r) => r.uri)).not.toContain(uri);
    await expect(bob.readResource({ uri })).rejects.toThrow(/No session/);
    const resumed = await bob.callTool({
      name: "ml_intern",
      arguments: { task: "What was the plan?", session_id: sessionId },
    });
    expect(resumed.isError).toBe(true);
    expect(textOf(resumed)).toContain("belongs to another caller");
  };

  // Live session.
  expect((await alice.listResources()).resources.map((r) => r.uri)).toContain(uri);
  const requestsBefore = llm.bodies.length;
  await assertBobLockedOut();
  expect(llm.bodies.length).toBe(requestsBefore); // bob's attempt never reached the model

  // Evicted: a new server process over the same state has no live session; ownership still holds.
  await alice.close();
  await bob.close();
  expect(await server.stop()).toBe(0);
  server = await startServer(home.path);
  alice = await server.connect(FAKE_HF_TOKEN);
  bob = await server.connect(FAKE_HF_READ_TOKEN);
  await assertBobLockedOut();
  const trace = await alice.readResource({ uri });
  expect(JSON.stringify(trace.contents)).toContain("Plan my secret fine-tune.");
  llm.enqueue({ text: "It was the secret plan." });
  const again = await alice.callTool({
    name: "ml_intern",
    arguments: { task: "What was the plan?", session_id: sessionId },
  });
  expect(again.isError).toBeFalsy();
  expect(JSON.stringify(llm.bodies.at(-1)!.messages)).toContain("Plan my secret fine-tune.");
  await alice.close();
  await bob.close();
  expect(await server.stop()).toBe(0);
});
