import { afterEach, describe, expect, test } from "bun:test";
import { type ApprovalGate, toolCallText } from "@ml-intern/core";
import { createToolCatalog } from "@ml-intern/runtime";
import { type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { FAKE_HF_TOKEN, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  type CallToolResult,
  CallToolResultSchema,
  CreateTaskResultSchema,
  type Task,
} from "@modelcontextprotocol/sdk/types.js";
import { createMcpHttpApp } from "../src/http-app.ts";
import { createMcpServer } from "../src/server.ts";
import { createSessionRunner } from "../src/session-runner.ts";
import { connectInMemory, connectStdio } from "./lib/connect.ts";
import { createFakeOpenAgent } from "./lib/fake-agent.ts";
import { createSampleTools } from "./lib/sample-tools.ts";
import { waitFor } from "./lib/wait-for.ts";

const textOf = (result: CallToolResult) =>
  (result.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** tools/call with task augmentation, as a task-aware client sends it. */
function callAsTask(client: Client, name: string, args: Record<string, unknown>) {
  return client.request(
    { method: "tools/call", params: { name, arguments: args, task: { ttl: 60_000 } } },
    CreateTaskResultSchema,
  );
}

async function waitForTask(client: Client, taskId: string, until: (task: Task) => boolean): Promise<Task> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const task = await client.experimental.tasks.getTask(taskId);
    if (until(task)) return task;
    if (Date.now() > deadline) throw new Error(`task never reached the state: ${JSON.stringify(task)}`);
    await Bun.sleep(20);
  }
}

async function hubAndTools(logs: Parameters<typeof startFakeHub>[0]) {
  const hub = await startFakeHub(logs);
  cleanups.push(() => hub.close());
  const tools = createToolCatalog({
    env: { HF_TOKEN: FAKE_HF_TOKEN, HF_ENDPOINT: hub.url },
    cwd: process.cwd(),
  });
  return { hub, tools };
}

describe("long runs as MCP tasks", () => {
  test("tools/list offers tasks for hf_jobs and ml_intern only; the server declares task support", async () => {
    const sample = createSampleTools();
    const { tools } = await hubAndTools({});
    const server = createMcpServer({
      tools: [...tools, ...sample.tools],
      runAgent: async () => ({ sessionId: "s", status: "done", finalResponse: "ok", iterations: 1 }),
    });
    const { client, close } = await connectInMemory(server);
    cleanups.push(close);
    expect(client.getServerCapabilities()?.tasks).toEqual({
      list: {},
      cancel: {},
      requests: { tools: { call: {} } },
    });
    const listed = (await client.listTools()).tools;
    const withTasks = listed.filter((t) => t.execution?.taskSupport === "optional").map((t) => t.name);
    expect(withTasks.sort()).toEqual(["hf_jobs", "ml_intern"]);
  });

  test("a followed hf_jobs run as a task: working with the latest log line, tasks/cancel cancels the job on the Hub", async () => {
    const { hub, tools } = await hubAndTools({ jobLogs: { lines: ["epoch 1/3 loss=2.31"], hang: true } });
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    cleanups.push(close);

    const created = await callAsTask(client, "hf_jobs", {
      operation: "run",
      command: ["python", "train.py"],
    });
    expect(created.task.status).toBe("working");
    const { taskId } = created.task;
    const working = await waitForTask(client, taskId, (t) => (t.statusMessage ?? "").includes("epoch 1/3"));
    expect(working.status).toBe("working");
    const [job] = [...hub.jobs.values()];
    expect(job!.cancelRequests).toBe(0);

    const cancelled = await client.experimental.tasks.cancelTask(taskId);
    expect(cancelled.status).toBe("cancelled");
    await waitFor(() => job!.cancelRequests === 1, 5000, "the job cancel request");
    expect(job!.stage).toBe("CANCELED");

    const result = await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
    expect(textOf(result)).toMatch(/cancel/i);
    expect(JSON.stringify(result)).not.toContain(FAKE_HF_TOKEN);
    expect((await client.experimental.tasks.getTask(taskId)).status).toBe("cancelled");
  });

  test("a quick hf_jobs call asked as a task comes back completed at once, its result through tasks/result", async () => {
    const { tools } = await hubAndTools({});
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    cleanups.push(close);
    await client.callTool({ name: "hf_jobs", arguments: { operation: "run", command: ["echo", "hi"] } });
    const created = await callAsTask(client, "hf_jobs", { operation: "ps", all: true });
    expect(created.task.status).toBe("completed");
    const result = await client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema);
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain("COMPLETED");
  });

  test("a client that asks for no task gets the plain result and progress, as before", async () => {
    const { tools } = await hubAndTools({ jobLogs: { lines: ["epoch 1", "epoch 2"] } });
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    cleanups.push(close);
    const messages: string[] = [];
    const result = (await client.callTool(
      { name: "hf_jobs", arguments: { operation: "run", script: "print('hi')" } },
      undefined,
      { onprogress: (p) => messages.push(p.message ?? "") },
    )) as CallToolResult;
    expect(textOf(result)).toContain("finished: COMPLETED");
    expect(messages.at(-1)).toBe("2 log lines");
  });
});

describe("an ml_intern task over Streamable HTTP", () => {
  let fake: FakeLlm | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function serve(now?: () => number) {
    fake = await startFakeAnthropic();
    const sample = createSampleTools();
    // The user's policy allows every call here (the approval paths have their own tests).
    const allowAll: ApprovalGate = { decide: (batch) => batch.map(() => ({ action: "allow" })) };
    const runner = createSessionRunner({
      open: createFakeOpenAgent(fake, sample.tools, { approval: allowAll }).open,
    });
    const app = createMcpHttpApp({
      tools: sample.tools,
      runAgent: runner.run,
      bindHost: "127.0.0.1",
      ...(now ? { now } : {}),
    });
    const http = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (request) => app.fetch(request) });
    cleanups.push(async () => {
      await app.close();
      await http.stop(true);
      await runner.dispose();
    });
    return { url: new URL(`http://127.0.0.1:${http.port}/mcp`), probe: sample.probe, app };
  }

  async function connect(url: URL, sessionId?: string) {
    const transport = new StreamableHTTPClientTransport(url, sessionId ? { sessionId } : {});
    const client = new Client({ name: "task-client", version: "1.0.0" });
    await client.connect(transport);
    return { client, transport };
  }

  test("survives the client disconnecting: a new connection to the session reads its progress and result", async () => {
    let clock = Date.now();
    const { url, probe, app } = await serve(() => clock);
    fake!.enqueue(
      { toolCalls: [{ name: "gated_job", input: {} }] },
      { text: "The gated job finished: gated done." },
    );
    const first = await connect(url);
    const sessionId = first.transport.sessionId!;
    const created = await callAsTask(first.client, "ml_intern", { task: "run the gated job" });
    const { taskId } = created.task;
    expect(created.task.status).toBe("working");
    await waitForTask(first.client, taskId, (t) => (t.statusMessage ?? "").includes("first half"));
    await first.client.close(); // the connection drops; the session is not terminated

    const second = await connect(url, sessionId);
    cleanups.push(() => second.client.close());
    const seen = await second.client.experimental.tasks.getTask(taskId);
    expect(seen.status).toBe("working");
    expect(seen.statusMessage).toContain("gated_job: first half");
    clock += 60 * 60_000; // an hour with no request: a session holding a working task is not idle
    expect(await app.sweepIdle()).toBe(0);
    probe.release();
    const result = await second.client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
    expect(textOf(result)).toStartWith("The gated job finished: gated done.");
    expect((result.structuredContent as { status: string }).status).toBe("done");
    expect((await second.client.experimental.tasks.getTask(taskId)).status).toBe("completed");
    clock += 60 * 60_000;
    expect(await app.sweepIdle()).toBe(1);
  });

  test("tasks/cancel interrupts the agent and stops the tool it is running", async () => {
    const { url, probe } = await serve();
    fake!.enqueue({ toolCalls: [{ name: "slow_job", input: { steps: 1, wait: true } }] });
    const { client } = await connect(url);
    cleanups.push(() => client.close());
    const created = await callAsTask(client, "ml_intern", { task: "run the slow job" });
    const signal = await Promise.race([probe.slowStarted, Bun.sleep(5000).then(() => undefined)]);
    expect(signal).toBeDefined();
    await client.experimental.tasks.cancelTask(created.task.taskId);
    await probe.slowStopped;
    expect(signal!.aborted).toBe(true);
    const result = await client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema);
    expect(textOf(result)).toBe(toolCallText.cancelled("ml_intern"));
  });

  test("a stateless server declares no tasks and lists no task support", async () => {
    const sample = createSampleTools();
    const app = createMcpHttpApp({
      tools: sample.tools,
      runAgent: async () => ({ sessionId: "s", status: "done", finalResponse: "ok", iterations: 1 }),
      bindHost: "127.0.0.1",
      stateless: true,
    });
    const http = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (request) => app.fetch(request) });
    cleanups.push(async () => {
      await app.close();
      await http.stop(true);
    });
    const { client } = await connect(new URL(`http://127.0.0.1:${http.port}/mcp`));
    cleanups.push(() => client.close());
    expect(client.getServerCapabilities()?.tasks).toBeUndefined();
    const tools = (await client.listTools()).tools;
    expect(tools.find((t) => t.name === "ml_intern")?.execution).toBeUndefined();
    const answer = await client.callTool({ name: "ml_intern", arguments: { task: "hi" } });
    expect(textOf(answer as CallToolResult)).toStartWith("ok");
  });
});

describe("tasks over stdio, from a real child process", () => {
  test("ml-intern's MCP server runs a followed job as a task and cancels it on tasks/cancel", async () => {
    const { hub } = await hubAndTools({ jobLogs: { lines: ["step 10 loss=0.5"], hang: true } });
    const client = await connectStdio(["--no-agent", "--toolsets", "hf-jobs"], hub.url, "stdio-task-client");
    cleanups.push(() => client.close());
    expect(client.getServerCapabilities()?.tasks?.requests?.tools?.call).toEqual({});
    const created = await callAsTask(client, "hf_jobs", { operation: "run", command: ["train"] });
    const working = await waitForTask(client, created.task.taskId, (t) =>
      (t.statusMessage ?? "").includes("step 10"),
    );
    expect(working.statusMessage).toContain("[hf_jobs] step 10 loss=0.5");
    await client.experimental.tasks.cancelTask(created.task.taskId);
    const job = [...hub.jobs.values()][0]!;
    await waitFor(() => job.cancelRequests === 1, 5000, "the job cancel request");
    expect(job.stage).toBe("CANCELED");
  });
});
