import { describe, expect, test } from "bun:test";
import { createToolCatalog } from "@ml-intern/runtime";
import { FAKE_HF_TOKEN, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createMcpServer } from "../src/server.ts";
import { connectInMemory } from "./lib/connect.ts";

const textOf = (result: CallToolResult) =>
  (result.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");

describe("hf_jobs through an MCP client, against the fake Hub", () => {
  test("run follows to COMPLETED with progress notifications; the token reaches the job as secrets only", async () => {
    await using hub = await startFakeHub({ jobLogs: { lines: ["epoch 1", "epoch 2"] } });
    const tools = createToolCatalog({
      env: { HF_TOKEN: FAKE_HF_TOKEN, HF_ENDPOINT: hub.url },
      cwd: process.cwd(),
    });
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    const progress: number[] = [];
    const result = (await client.callTool(
      { name: "hf_jobs", arguments: { operation: "run", script: "print('hi')\nprint('there')" } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    )) as CallToolResult;
    await close();
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain("finished: COMPLETED");
    expect(textOf(result)).toContain("epoch 2");
    expect(JSON.stringify(result)).not.toContain(FAKE_HF_TOKEN);
    expect(progress.at(-1)).toBe(2);
    const [job] = [...hub.jobs.values()];
    expect(job!.spec.secrets).toEqual({ HF_TOKEN: FAKE_HF_TOKEN, HUGGINGFACE_HUB_TOKEN: FAKE_HF_TOKEN });
  });

  test("a client cancelling the call (notifications/cancelled) cancels the job on the Hub", async () => {
    await using hub = await startFakeHub({ jobLogs: { lines: ["step 1"], hang: true } });
    const tools = createToolCatalog({
      env: { HF_TOKEN: FAKE_HF_TOKEN, HF_ENDPOINT: hub.url },
      cwd: process.cwd(),
    });
    const { client, close } = await connectInMemory(createMcpServer({ tools }));
    const controller = new AbortController();
    const pending = client
      .callTool({ name: "hf_jobs", arguments: { operation: "run", command: ["train"] } }, undefined, {
        signal: controller.signal,
        onprogress: () => controller.abort(),
      })
      .catch((error: unknown) => error);
    await pending;
    const job = [...hub.jobs.values()][0]!;
    const deadline = Date.now() + 5000;
    while (job.cancelRequests === 0 && Date.now() < deadline) await Bun.sleep(10);
    await close();
    expect(job.cancelRequests).toBe(1);
    expect(job.stage).toBe("CANCELED");
  });
});
