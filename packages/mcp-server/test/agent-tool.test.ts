import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { ElicitRequestSchema, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { createMcpServer } from "../src/server.ts";
import { createSessionRunner, type SessionRunner } from "../src/session-runner.ts";
import { connectInMemory } from "./lib/connect.ts";
import { createFakeOpenAgent } from "./lib/fake-agent.ts";
import { createSampleTools } from "./lib/sample-tools.ts";

let fake: FakeLlm;
let runner: SessionRunner | undefined;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await runner?.dispose();
  runner = undefined;
  await fake.close();
});

type TextContent = { type: "text"; text: string };
const textOf = (result: Record<string, unknown>) => (result.content as TextContent[])[0]!.text;
const lastToolResult = (body: Record<string, unknown>): string =>
  JSON.stringify((body.messages as unknown[]).at(-1));

function setup() {
  const sample = createSampleTools();
  const agentSide = createFakeOpenAgent(fake, sample.tools);
  runner = createSessionRunner({ open: agentSide.open });
  const server = createMcpServer({ tools: sample.tools, runAgent: runner.run });
  return { server, probe: sample.probe, agentSide };
}

describe("ml_intern agent tool", () => {
  test("runs a full agent turn, streams progress, returns the answer and a session id that continues the session", async () => {
    const { server, agentSide } = setup();
    const { client, close } = await connectInMemory(server);
    const tools = (await client.listTools()).tools;
    const agentTool = tools.find((t) => t.name === "ml_intern")!;
    expect(agentTool.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      openWorldHint: true,
    });
    expect(agentTool.inputSchema.required).toEqual(["task"]);

    fake.enqueue(
      { toolCalls: [{ name: "echo_text", input: { text: "abc" } }] },
      { text: "The echo said abc." },
    );
    const progress: Progress[] = [];
    const first = await client.callTool({ name: "ml_intern", arguments: { task: "echo abc" } }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    expect(first.isError).toBeUndefined();
    expect(textOf(first)).toStartWith("The echo said abc.");
    const structured = first.structuredContent as { session_id: string; status: string; iterations: number };
    expect(structured.status).toBe("done");
    expect(structured.iterations).toBe(2);
    expect(progress.map((p) => p.message)).toContain("Calling echo_text");
    expect(progress.map((p) => p.message)).toContain("echo_text finished");
    expect(lastToolResult(fake.bodies[1]!)).toContain("echo: abc");

    fake.enqueue({ text: "Still here." });
    const second = await client.callTool({
      name: "ml_intern",
      arguments: { task: "and now?", session_id: structured.session_id },
    });
    expect((second.structuredContent as { session_id: string }).session_id).toBe(structured.session_id);
    const history = JSON.stringify(fake.bodies[2]!.messages);
    expect(history).toContain("echo abc");
    expect(history).toContain("and now?");
    expect(agentSide.requests).toHaveLength(1);
    expect(agentSide.requests[0]!.interactive).toBe(false);

    const unknown = await client.callTool({
      name: "ml_intern",
      arguments: { task: "x", session_id: "nope" },
    });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain('No stored session "nope"');
    await close();
  });

  test("asks approval through elicitation when the client supports it", async () => {
    const { server, probe } = setup();
    const { client, close } = await connectInMemory(server, { capabilities: { elicitation: { form: {} } } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: "accept", content: { approve: true } };
    });
    fake.enqueue({ toolCalls: [{ name: "slow_job", input: { steps: 1 } }] }, { text: "Job ran." });
    const result = await client.callTool({ name: "ml_intern", arguments: { task: "run the job" } });
    expect(textOf(result)).toStartWith("Job ran.");
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("slow_job");
    expect(asked[0]).toContain("runs a job");
    expect(lastToolResult(fake.bodies[1]!)).toContain("done");
    expect(probe.seenAuth).toEqual([]);
    await close();
  });

  test("a declined elicitation rejects the call, with the user's feedback passed to the model", async () => {
    const { server } = setup();
    const { client, close } = await connectInMemory(server, { capabilities: { elicitation: { form: {} } } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: "accept",
      content: { approve: false, feedback: "too expensive" },
    }));
    fake.enqueue(
      { toolCalls: [{ name: "slow_job", input: { steps: 1 } }] },
      { text: "Okay, not running it." },
    );
    await client.callTool({ name: "ml_intern", arguments: { task: "run the job" } });
    const toolResult = lastToolResult(fake.bodies[1]!);
    expect(toolResult).toContain("rejected");
    expect(toolResult).toContain("too expensive");
    await close();
  });

  test("without elicitation, approval-needing calls are refused (the server policy decides)", async () => {
    const { server, agentSide } = setup();
    const { client, close } = await connectInMemory(server);
    fake.enqueue({ toolCalls: [{ name: "slow_job", input: { steps: 1 } }] }, { text: "Could not run it." });
    await client.callTool({ name: "ml_intern", arguments: { task: "run the job" } });
    expect(lastToolResult(fake.bodies[1]!)).toContain("cannot answer approval requests");
    expect(agentSide.requests[0]!.interactive).toBe(false);
    await close();
  });

  test("cancelling the MCP call interrupts the agent and stops the running tool", async () => {
    const { server, probe } = setup();
    const { client, close } = await connectInMemory(server, { capabilities: { elicitation: { form: {} } } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: "accept",
      content: { approve: true },
    }));
    fake.enqueue({ toolCalls: [{ name: "slow_job", input: { steps: 1, wait: true } }] });
    const controller = new AbortController();
    const call = client.callTool({ name: "ml_intern", arguments: { task: "long job" } }, undefined, {
      signal: controller.signal,
    });
    const toolSignal = await probe.slowStarted;
    controller.abort(new Error("stop"));
    await expect(call).rejects.toThrow();
    await probe.slowStopped;
    expect(toolSignal.aborted).toBe(true);
    expect(fake.bodies).toHaveLength(1);
    await close();
  });

  test("read-only mode hides the agent tool", async () => {
    const sample = createSampleTools();
    const server = createMcpServer({
      tools: sample.tools,
      runAgent: async () => {
        throw new Error("unused");
      },
      filter: { readOnly: true },
    });
    const { client, close } = await connectInMemory(server);
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain("ml_intern");
    await close();
  });
});

describe("session ownership", () => {
  test("a live session cannot be continued by a caller with another token", async () => {
    const sample = createSampleTools();
    const agentSide = createFakeOpenAgent(fake, sample.tools);
    runner = createSessionRunner({ open: agentSide.open });
    fake.enqueue({ text: "first answer" }, { text: "second answer" });
    const alice = { hfToken: "hf_alice_token_1234567890" };
    const first = await runner.run({
      task: "hello",
      auth: alice,
      signal: new AbortController().signal,
      onEvent: () => {},
    });
    const sessionId = first.sessionId;
    const stolen = await runner
      .run({
        task: "continue",
        sessionId,
        auth: { hfToken: "hf_mallory_token_123456" },
        signal: new AbortController().signal,
        onEvent: () => {},
      })
      .catch((e: unknown) => e);
    expect(String(stolen)).toContain("belongs to another caller");
    const own = await runner.run({
      task: "continue",
      sessionId,
      auth: alice,
      signal: new AbortController().signal,
      onEvent: () => {},
    });
    expect(own.finalResponse).toBe("second answer");
    expect(fake.bodies.length).toBe(2);
  });
});
