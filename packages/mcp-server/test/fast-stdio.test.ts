import { describe, expect, test } from "bun:test";
import { PassThrough } from "node:stream";
import { SUPPORTED_PROTOCOL_VERSIONS as SDK_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { acceptEarlyInitialize } from "../src/fast-stdio.ts";
import { serveStdio } from "../src/serve-stdio.ts";
import { createMcpServer } from "../src/server.ts";
import { initializeResult, SUPPORTED_PROTOCOL_VERSIONS } from "../src/server-identity.ts";
import { connectInMemory } from "./lib/connect.ts";
import { createSampleTools } from "./lib/sample-tools.ts";
import { waitFor } from "./lib/wait-for.ts";

describe("stdio fast initialize", () => {
  test("the early answer is exactly what the SDK server answers", async () => {
    expect(SUPPORTED_PROTOCOL_VERSIONS).toEqual(SDK_VERSIONS);
    const { client, close } = await connectInMemory(
      createMcpServer({
        tools: createSampleTools().tools,
        runAgent: async () => {
          throw new Error("unused");
        },
        traces: { list: () => [], read: async () => undefined },
      }),
    );
    const early = initializeResult("2025-11-25");
    expect(early.capabilities).toEqual(client.getServerCapabilities() as typeof early.capabilities);
    expect(early.serverInfo).toEqual(client.getServerVersion() as typeof early.serverInfo);
    expect(early.instructions).toBe(client.getInstructions()!);
    expect(initializeResult("1999-01-01").protocolVersion).toBe("2025-11-25");
    expect(initializeResult("2025-06-18").protocolVersion).toBe("2025-06-18");
    await close();
  });

  test("answers initialize once, replays it to the real server, and buffers later messages", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: { id?: number; result?: Record<string, unknown> }[] = [];
    let text = "";
    output.on("data", (chunk) => {
      text += chunk.toString();
      let nl = text.indexOf("\n");
      while (nl >= 0) {
        lines.push(JSON.parse(text.slice(0, nl)));
        text = text.slice(nl + 1);
        nl = text.indexOf("\n");
      }
    });
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: { elicitation: {} },
        clientInfo: { name: "t", version: "1" },
      },
    };
    input.write(
      `${JSON.stringify(init)}\n${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`,
    );
    input.write(`${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" })}\n`);
    const early = await acceptEarlyInitialize(input, output);
    expect(early.answered).toBe(true);
    await waitFor(() => lines.length === 1, 5000, "the early initialize answer");
    expect(lines[0]!.result!.protocolVersion).toBe("2025-06-18");

    const serving = await serveStdio(
      { tools: createSampleTools().tools },
      { stdin: early.stdin, stdout: early.stdout },
    );
    await waitFor(() => lines.some((l) => l.id === 2), 5000, "the tools/list answer");
    expect(lines.filter((l) => l.id === 1)).toHaveLength(1);
    expect(((lines.find((l) => l.id === 2)!.result!.tools as unknown[]) ?? []).length).toBe(6);
    input.end();
    await serving.closed;
  });

  test("a first message that is not initialize is left to the real server", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    input.write(`${JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" })}\n`);
    const early = await acceptEarlyInitialize(input, output);
    expect(early.answered).toBe(false);
    let text = "";
    early.stdin.on("data", (c) => {
      text += c.toString();
    });
    await waitFor(() => text.includes('"ping"'), 5000, "the replayed ping");
    input.end();
  });
});
