import { describe, expect, test } from "bun:test";
import { FAKE_HF_TOKEN } from "@ml-intern/testing/hf/fake-hub";
import { startHfEnv } from "../lib/hf-env.ts";

const approvalCtx = { confirmCpuJobs: true };

describe("hf_jobs approval", () => {
  test("GPU runs are spend approvals priced from the hardware table", async () => {
    await using env = await startHfEnv();
    const tool = env.tool("hf_jobs");
    const req = tool.needsApproval?.(
      { operation: "run", command: ["nvidia-smi"], hardware_flavor: "a10g-large", timeout: "2h" },
      approvalCtx,
    );
    expect(req).toMatchObject({ kind: "spend", estimatedCostUsd: 4 });
    expect(
      tool.needsApproval?.({ operation: "uv", script: "print(1)", hardware_flavor: "t4-small" }, approvalCtx)
        ?.estimatedCostUsd,
    ).toBe(0.3);
  });

  test("CPU runs ask only when confirmCpuJobs; scheduled mutations always ask", async () => {
    await using env = await startHfEnv();
    const tool = env.tool("hf_jobs");
    expect(tool.needsApproval?.({ operation: "run", command: ["ls"] }, approvalCtx)?.kind).toBe("spend");
    expect(tool.needsApproval?.({ operation: "run", command: ["ls"] }, { confirmCpuJobs: false })).toBeNull();
    expect(
      tool.needsApproval?.(
        { operation: "scheduled run", command: ["ls"], schedule: "@daily" },
        { confirmCpuJobs: false },
      ),
    ).toMatchObject({
      kind: "scheduled",
      alwaysAsk: true,
    });
    expect(tool.needsApproval?.({ operation: "ps" }, approvalCtx)).toBeNull();
    expect(tool.needsApproval?.({ operation: "logs", job_id: "x" }, approvalCtx)).toBeNull();
  });
});

describe("hf_jobs operations", () => {
  test("uv runs an inline script; the token goes into secrets only when asked", async () => {
    await using env = await startHfEnv();
    const plain = await env.call("hf_jobs", {
      operation: "uv",
      script: "import torch\nprint(torch.__version__)",
      dependencies: ["torch"],
    });
    expect(plain.isError).toBeUndefined();
    const first = JSON.parse(env.hub.server.requestsTo("/api/jobs/alice")[0]!.body) as Record<
      string,
      unknown
    >;
    expect(first.secrets).toBeUndefined();
    expect(first.dockerImage).toBe("ghcr.io/astral-sh/uv:python3.12-bookworm");
    expect((first.command as string[]).join(" ")).toContain("uv run --with torch -");
    expect(first.timeoutSeconds).toBe(1800);
    await env.call("hf_jobs", {
      operation: "run",
      command: ["python", "-c", "print(1)"],
      include_hf_token: true,
    });
    const second = JSON.parse(env.hub.server.requestsTo("/api/jobs/alice")[1]!.body) as {
      secrets: Record<string, string>;
    };
    expect(second.secrets.HF_TOKEN).toBe(FAKE_HF_TOKEN);
  });

  test("ps, inspect, cancel and hardware", async () => {
    await using env = await startHfEnv();
    const run = await env.call("hf_jobs", {
      operation: "run",
      command: ["sleep", "100"],
      image: "python:3.12",
    });
    const id = (run.structured?.job as { id: string } | undefined)?.id ?? "";
    const ps = await env.call("hf_jobs", { operation: "ps" });
    expect(ps.text).toContain(id);
    expect(ps.text).toContain("RUNNING");
    const inspect = await env.call("hf_jobs", { operation: "inspect", job_id: id });
    expect(inspect.structured?.job).toMatchObject({ id, stage: "RUNNING" });
    await env.call("hf_jobs", { operation: "cancel", job_id: id });
    expect(env.hub.jobs.get(id)?.stage).toBe("CANCELED");
    const none = await env.call("hf_jobs", { operation: "ps" });
    expect(none.text).toContain("all=true");
    const hw = await env.call("hf_jobs", { operation: "hardware" });
    expect(hw.text).toContain("a10g-large");
    expect(hw.text).toContain("$1.50/h");
  });

  test("a namespace outside the user's orgs is refused", async () => {
    await using env = await startHfEnv();
    const result = await env.call("hf_jobs", { operation: "ps", namespace: "not-mine" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("alice, ml-org");
  });

  test("logs resume after the stream drops mid-way, without duplicates", async () => {
    await using env = await startHfEnv({
      hub: { jobLogs: { lines: ["step 1", "step 2", "step 3", "step 4"], dropAfter: { 0: 2 } } },
    });
    const run = await env.call("hf_jobs", { operation: "run", command: ["train"] });
    const id = (run.structured?.job as { id: string } | undefined)?.id ?? "";
    const logs = await env.call("hf_jobs", {
      operation: "logs",
      job_id: id,
      follow: true,
      max_wait_seconds: 20,
    });
    expect(logs.structured).toMatchObject({
      reconnects: 1,
      stopReason: "finished",
      finalStage: "COMPLETED",
      totalLines: 4,
    });
    expect(logs.text.match(/step 1/g)?.length).toBe(1);
    expect(logs.text).toContain("step 4");
    expect(env.hub.jobs.get(id)?.logConnections).toBe(2);
    expect(env.logs).toContain("step 3");
    expect(env.progress.at(-1)).toBe(4);
  });

  test("tail is sent on the first connection; a hanging stream stops at the time limit", async () => {
    await using env = await startHfEnv({ hub: { jobLogs: { lines: ["a", "b", "c"], hang: true } } });
    const run = await env.call("hf_jobs", { operation: "run", command: ["serve"] });
    const id = (run.structured?.job as { id: string } | undefined)?.id ?? "";
    const logs = await env.call("hf_jobs", {
      operation: "logs",
      job_id: id,
      tail: 2,
      follow: true,
      max_wait_seconds: 1,
    });
    expect(logs.structured?.stopReason).toBe("time_limit");
    expect(logs.text).toContain("c");
    expect(env.hub.jobs.get(id)?.tailRequests[0]).toBe("2");
  });

  test("cancelling the call stops a followed log stream", async () => {
    await using env = await startHfEnv({ hub: { jobLogs: { lines: ["x"], hang: true } } });
    const run = await env.call("hf_jobs", { operation: "run", command: ["serve"] });
    const id = (run.structured?.job as { id: string } | undefined)?.id ?? "";
    const controller = new AbortController();
    const pending = env.call(
      "hf_jobs",
      { operation: "logs", job_id: id, follow: true, max_wait_seconds: 600 },
      { signal: controller.signal },
    );
    const deadline = Date.now() + 5000;
    while (!env.logs.includes("x") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const result = await pending;
    expect(result.structured?.stopReason).toBe("cancelled");
  });

  test("scheduled jobs: create, list, suspend, inspect, delete", async () => {
    await using env = await startHfEnv();
    const created = await env.call("hf_jobs", {
      operation: "scheduled uv",
      script: "print('nightly')",
      schedule: "@daily",
    });
    const id = (created.structured?.scheduledJob as { id: string } | undefined)?.id ?? "";
    expect((await env.call("hf_jobs", { operation: "scheduled ps" })).text).toContain(id);
    await env.call("hf_jobs", { operation: "scheduled suspend", scheduled_job_id: id });
    expect((await env.call("hf_jobs", { operation: "scheduled ps" })).text).not.toContain(id);
    const inspected = await env.call("hf_jobs", { operation: "scheduled inspect", scheduled_job_id: id });
    expect(inspected.structured?.scheduledJob).toMatchObject({ id, suspend: true });
    await env.call("hf_jobs", { operation: "scheduled delete", scheduled_job_id: id });
    expect((await env.call("hf_jobs", { operation: "scheduled ps", all: true })).text).toContain(
      "No scheduled jobs",
    );
  });
});
