import { describe, expect, test } from "bun:test";
import { FAKE_HF_TOKEN } from "@ml-intern/testing/hf/fake-hub";
import { DEFAULT_JOB_TIMEOUT, renderJobsHardwareGuide } from "../../src/jobs/hardware-guide.ts";
import { MAX_INLINE_SCRIPT_BYTES } from "../../src/jobs/job-spec.ts";
import { createJobTracker } from "../../src/jobs/job-tracker.ts";
import { createHardwarePriceCatalog } from "../../src/pricing/hardware-catalog.ts";
import { type HfEnv, startHfEnv } from "../lib/hf-env.ts";

interface SentJob {
  dockerImage?: string;
  command: string[];
  environment: Record<string, string>;
  secrets?: Record<string, string>;
  timeoutSeconds: number;
  flavor: string;
}

const submitted = (env: HfEnv): SentJob[] =>
  env.hub.server
    .requestsTo("/api/jobs/alice")
    .filter((r) => r.method === "POST" && r.path === "/api/jobs/alice")
    .map((r) => JSON.parse(r.body) as SentJob);

const jobIdOf = (structured: Record<string, unknown> | undefined): string =>
  (structured?.job as { id: string } | undefined)?.id ?? "";

/** The base64 payload of an inline-script command, decoded. */
function shippedScript(job: SentJob): string {
  const m = /echo "([A-Za-z0-9+/=]+)" \| base64 -d/.exec(job.command.join(" "));
  return m ? Buffer.from(m[1]!, "base64").toString("utf8") : "";
}

function expectNoToken(env: HfEnv, ...texts: unknown[]) {
  for (const t of [...texts, env.logs.join("\n")]) expect(JSON.stringify(t)).not.toContain(FAKE_HF_TOKEN);
}

const until = async (predicate: () => boolean, what: string) => {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
};

describe("hf_jobs description", () => {
  test("renders the one hardware guide and says what the code does about the token, script paths and following", async () => {
    await using env = await startHfEnv();
    const { description, input } = env.tool("hf_jobs");
    expect(description).toContain(renderJobsHardwareGuide());
    expect(description).not.toContain("{{");
    expect(description).toContain("HF_TOKEN and HUGGINGFACE_HUB_TOKEN");
    expect(description).toContain('"train.py"');
    expect(description).toContain("By default run follows the job");
    expect(renderJobsHardwareGuide()).toContain(`default timeout is ${DEFAULT_JOB_TIMEOUT}`);
    // The parameter docs agree with the defaults the code applies.
    const shape = input.shape as Record<string, { description?: string }>;
    expect(shape.include_hf_token?.description).toContain("Default true");
    expect(shape.follow?.description).toContain("default true");
  });
});

describe("hf_jobs approval and prices", () => {
  test("estimates use the Hub's /api/jobs/hardware prices once loaded (the static table only before)", async () => {
    await using env = await startHfEnv();
    const prices = createHardwarePriceCatalog({
      fetchHardware: async (signal) => (await fetch(`${env.hub.url}/api/jobs/hardware`, { signal })).json(),
    });
    await using hubEnv = await startHfEnv({ tools: { prices } });
    const tool = hubEnv.tool("hf_jobs");
    const args = { operation: "run", command: ["nvidia-smi"], hardware_flavor: "a10g-large", timeout: "2h" };
    // Nothing cached yet: the offline table ($2/h).
    expect(tool.needsApproval?.(args)).toMatchObject({ kind: "spend", estimatedCostUsd: 4 });
    await prices.load();
    // The Hub's price: 0.025 $/minute = $1.50/h.
    expect(tool.needsApproval?.(args)).toMatchObject({ kind: "spend", estimatedCostUsd: 3 });
    expect(prices.price("a10g-large")).toEqual({ flavor: "a10g-large", usdPerHour: 1.5, source: "hub" });
  });

  test("CPU runs ask only when confirmCpuJobs; scheduled mutations always ask", async () => {
    await using env = await startHfEnv();
    const tool = env.tool("hf_jobs");
    expect(tool.needsApproval?.({ operation: "run", command: ["ls"] })?.kind).toBe("spend");
    await using relaxedEnv = await startHfEnv({ tools: { confirmCpuJobs: false } });
    const relaxed = relaxedEnv.tool("hf_jobs");
    expect(relaxed.needsApproval?.({ operation: "run", command: ["ls"] })).toBeNull();
    expect(
      relaxed.needsApproval?.({ operation: "scheduled run", command: ["ls"], schedule: "@daily" }),
    ).toMatchObject({ kind: "scheduled", alwaysAsk: true });
    expect(tool.needsApproval?.({ operation: "ps" })).toBeNull();
  });

  test("hardware lists the Hub's flavors with hourly prices", async () => {
    await using env = await startHfEnv();
    const hw = await env.call("hf_jobs", { operation: "hardware" });
    expect(hw.text).toContain("a10g-large");
    expect(hw.text).toContain("$1.50/h");
    expect(hw.text).toContain("1× A10G (24 GB)");
  });
});

describe("hf_jobs run", () => {
  const TRAIN = "import os\nprint('training', os.environ.get('TRACKIO_PROJECT'))\n";

  test("a workspace script path is read and shipped; the token goes to secrets; run follows to COMPLETED although the log stream stays open", async () => {
    const files = new Map([["train.py", TRAIN]]);
    await using env = await startHfEnv({
      hub: { jobLogs: { lines: ["epoch 1 loss=0.9", "epoch 2 loss=0.5"] } },
      tools: {
        readWorkspaceFile: async (path) => {
          const content = files.get(path);
          if (content === undefined) throw new Error(`${path}: no such file`);
          return content;
        },
      },
    });
    const result = await env.call("hf_jobs", { operation: "run", script: "train.py", dependencies: ["trl"] });
    expect(result.isError).toBeUndefined();
    const [sent] = submitted(env);
    expect(shippedScript(sent!)).toBe(TRAIN);
    expect(sent!.command.join(" ")).toContain("uv run --with trl -");
    expect(sent!.secrets).toEqual({ HF_TOKEN: FAKE_HF_TOKEN, HUGGINGFACE_HUB_TOKEN: FAKE_HF_TOKEN });
    expect(JSON.stringify(sent!.environment)).not.toContain(FAKE_HF_TOKEN);
    expect(sent!.timeoutSeconds).toBe(1800);
    expect(result.text).toContain("finished: COMPLETED");
    expect(result.text).toContain("epoch 2 loss=0.5");
    expect(result.structured).toMatchObject({ finalStage: "COMPLETED", stopReason: "finished" });
    expect((result.structured?.job as { secretNames?: string[] } | undefined)?.secretNames).toEqual([
      "HF_TOKEN",
      "HUGGINGFACE_HUB_TOKEN",
    ]);
    const job = env.hub.jobs.get(jobIdOf(result.structured))!;
    // The fake kept the stream open after the finished line; the job's end is what stopped the follow.
    expect(job.output.at(-1)).toContain("===== Job finished");
    expect(job.logConnections).toBeGreaterThanOrEqual(1);
    expect(env.logs).toContain("epoch 1 loss=0.9");
    expect(typeof result.meta?.actualCostUsd).toBe("number");
    expectNoToken(env, result.text, result.structured);
  });

  test("a job that ends without a finished line, stream open, is noticed by polling its stage", async () => {
    await using env = await startHfEnv({
      hub: { jobLogs: { lines: ["only line"], omitFinishedLine: true } },
    });
    const result = await env.call("hf_jobs", { operation: "run", command: ["python", "x.py"] });
    expect(result.structured).toMatchObject({ finalStage: "COMPLETED", stopReason: "finished" });
    expect(result.text).toContain("only line");
  });

  test("a failed job is reported with its stage and message", async () => {
    await using env = await startHfEnv({
      hub: { jobLogs: { lines: ["Traceback ..."], finalStage: "ERROR" } },
    });
    const result = await env.call("hf_jobs", { operation: "run", command: ["python", "x.py"] });
    expect(result.text).toContain("finished: ERROR");
    expect(result.text).toContain("exit code: 1");
    expect(result.text).toContain("Traceback");
  });

  test("include_hf_token: false sends no token; $HF_TOKEN in env is moved to secrets", async () => {
    await using env = await startHfEnv();
    await env.call("hf_jobs", {
      operation: "run",
      command: ["true"],
      include_hf_token: false,
      follow: false,
    });
    await env.call("hf_jobs", {
      operation: "run",
      command: ["true"],
      include_hf_token: false,
      env: { MY_TOKEN: "$HF_TOKEN", MODE: "fast" },
      follow: false,
    });
    const [first, second] = submitted(env);
    expect(first!.secrets).toBeUndefined();
    expect(second!.secrets).toEqual({ MY_TOKEN: FAKE_HF_TOKEN });
    expect(second!.environment.MODE).toBe("fast");
    expect(second!.environment.MY_TOKEN).toBeUndefined();
  });

  test("a missing script file and an oversized script are clear errors; without a reader the path runs in the image", async () => {
    const big = `x = 1\n${"# padding\n".repeat(MAX_INLINE_SCRIPT_BYTES / 10 + 10)}`;
    await using env = await startHfEnv({
      tools: {
        readWorkspaceFile: async (path) => {
          if (path === "big.py") return big;
          throw new Error(`${path}: no such file`);
        },
      },
    });
    const missing = await env.call("hf_jobs", { operation: "uv", script: "train.py" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("Could not read the script 'train.py'");
    const tooBig = await env.call("hf_jobs", { operation: "uv", script: "big.py" });
    expect(tooBig.isError).toBe(true);
    expect(tooBig.text).toContain(`at most ${MAX_INLINE_SCRIPT_BYTES} bytes`);
    expect(submitted(env)).toHaveLength(0);

    await using bare = await startHfEnv();
    await bare.call("hf_jobs", { operation: "uv", script: "/app/train.py", follow: false });
    expect(submitted(bare)[0]!.command).toEqual(["uv", "run", "/app/train.py"]);
  });

  test("uv install noise is collapsed and token-shaped log lines are redacted", async () => {
    await using env = await startHfEnv({
      hub: {
        jobLogs: {
          lines: [
            "Resolved 40 packages in 1.2s",
            "Downloading torch (700MiB)",
            "Installed 40 packages in 310ms",
            `token is ${FAKE_HF_TOKEN}`,
            "done",
          ],
        },
      },
    });
    const result = await env.call("hf_jobs", { operation: "run", command: ["python", "x.py"] });
    expect(result.text).toContain("[installs truncated]");
    expect(result.text).not.toContain("Downloading torch");
    expect(result.text).toContain("Installed 40 packages");
    expectNoToken(env, result.text);
  });

  test("after the follow budget, run returns the job id and how to keep following; the job is not cancelled", async () => {
    await using env = await startHfEnv({ hub: { jobLogs: { lines: ["serving"], hang: true } } });
    const result = await env.call("hf_jobs", { operation: "run", command: ["serve"], max_wait_seconds: 1 });
    const id = jobIdOf(result.structured);
    expect(result.structured?.stopReason).toBe("time_limit");
    expect(result.text).toContain(`"operation":"logs","job_id":"${id}","follow":true`);
    expect(result.text).toContain("not cancelled");
    expect(env.hub.jobs.get(id)?.stage).toBe("RUNNING");
    expect(env.hub.jobs.get(id)?.cancelRequests).toBe(0);
  });

  test("interrupting a followed run cancels the job on the Hub", async () => {
    await using env = await startHfEnv({ hub: { jobLogs: { lines: ["step 1"], hang: true } } });
    const controller = new AbortController();
    const pending = env.call(
      "hf_jobs",
      { operation: "run", command: ["train"], max_wait_seconds: 600 },
      { signal: controller.signal },
    );
    await until(() => env.logs.includes("step 1"), "the first log line");
    controller.abort();
    const result = await pending;
    const job = [...env.hub.jobs.values()][0]!;
    expect(job.cancelRequests).toBe(1);
    expect(job.stage).toBe("CANCELED");
    expect(result.isError).toBe(true);
    expect(result.text).toContain(`job ${job.id} was cancelled on the Hub`);
  });

  test("jobs started without follow are cancelled by the tracker when the host interrupts", async () => {
    const tracker = createJobTracker();
    await using env = await startHfEnv({
      hub: { jobLogs: { lines: ["x"], hang: true }, jobCancelAnswer: "ok" },
      tools: { jobTracker: tracker },
    });
    const result = await env.call("hf_jobs", { operation: "run", command: ["train"], follow: false });
    const id = jobIdOf(result.structured);
    expect(result.text).toContain("cancelled if this turn is interrupted");
    expect(tracker.running().map((j) => j.id)).toEqual([id]);
    expect(await tracker.cancelAll()).toEqual([id]);
    expect(env.hub.jobs.get(id)?.stage).toBe("CANCELED");
    expect(tracker.running()).toEqual([]);
  });

  test("a namespace without credits gets a 402 answer naming the billing page", async () => {
    await using env = await startHfEnv();
    const result = await env.call("hf_jobs", { operation: "run", command: ["true"], namespace: "ml-org" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("https://huggingface.co/settings/billing");
    expect(result.structured).toMatchObject({ billingRequired: true });
  });

  test("trackio: the dashboard Space is created and seeded before the job, which gets TRACKIO_*", async () => {
    await using env = await startHfEnv();
    const result = await env.call("hf_jobs", {
      operation: "run",
      script: TRAIN,
      trackio_space_id: "alice/ml-intern-1a2b3c4d",
      trackio_project: "sft-smol",
    });
    const app = env.hub.fileText("space", "alice/ml-intern-1a2b3c4d", "app.py");
    expect(app).toContain("trackio.show()");
    expect(env.hub.fileText("space", "alice/ml-intern-1a2b3c4d", "README.md")).not.toContain("hf_oauth");
    const [sent] = submitted(env);
    expect(sent!.environment).toMatchObject({
      TRACKIO_SPACE_ID: "alice/ml-intern-1a2b3c4d",
      TRACKIO_PROJECT: "sft-smol",
    });
    expect(result.structured?.trackio).toEqual({
      spaceId: "alice/ml-intern-1a2b3c4d",
      project: "sft-smol",
      url: `${env.hub.url}/spaces/alice/ml-intern-1a2b3c4d`,
    });
    expect(result.text).toContain("Trackio dashboard:");
  });
});

describe("hf_jobs ps, inspect, cancel, logs", () => {
  test("ps shows running and scheduling jobs across Link-paginated pages", async () => {
    await using env = await startHfEnv({ hub: { jobLogs: { lines: ["x"], hang: true } } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await env.call("hf_jobs", { operation: "run", command: ["sleep", String(i)], follow: false });
      ids.push(jobIdOf(r.structured));
    }
    await until(() => ids.every((id) => env.hub.jobs.get(id)?.stage === "RUNNING"), "jobs running");
    env.hub.setJobLogPlan({ lines: [], schedulingMs: 60_000 });
    const scheduling = await env.call("hf_jobs", { operation: "run", command: ["later"], follow: false });
    ids.push(jobIdOf(scheduling.structured));
    env.hub.finishJob(ids[0]!, "COMPLETED");
    const ps = await env.call("hf_jobs", { operation: "ps" });
    for (const id of ids.slice(1)) expect(ps.text).toContain(id);
    expect(ps.text).not.toContain(ids[0]!);
    expect(ps.text).toContain("SCHEDULING");
    const lists = env.hub.server
      .requestsTo("/api/jobs/alice")
      .filter((r) => r.path === "/api/jobs/alice" && r.method === "GET");
    expect(lists.some((r) => r.url.searchParams.has("cursor"))).toBe(true);
    expect(lists[0]!.url.searchParams.getAll("stage")).toEqual(["RUNNING", "SCHEDULING"]);
    const all = await env.call("hf_jobs", { operation: "ps", all: true });
    for (const id of ids) expect(all.text).toContain(id);
  });

  test("inspect reads secret names from the object the Hub returns; cancel succeeds on an empty body", async () => {
    await using env = await startHfEnv({ hub: { jobLogs: { lines: ["x"], hang: true } } });
    const run = await env.call("hf_jobs", {
      operation: "run",
      command: ["sleep", "100"],
      secrets: { WANDB_KEY: "w-123" },
      follow: false,
    });
    const id = jobIdOf(run.structured);
    const inspect = await env.call("hf_jobs", { operation: "inspect", job_id: id });
    expect(
      [...((inspect.structured?.job as { secretNames?: string[] } | undefined)?.secretNames ?? [])].sort(),
    ).toEqual(["HF_TOKEN", "HUGGINGFACE_HUB_TOKEN", "WANDB_KEY"]);
    expect(inspect.text).not.toContain("w-123");
    const cancel = await env.call("hf_jobs", { operation: "cancel", job_id: id });
    expect(cancel.isError).toBeUndefined();
    expect(env.hub.jobs.get(id)?.stage).toBe("CANCELED");
  });

  test("logs resume after the stream drops mid-way, without duplicates", async () => {
    await using env = await startHfEnv({
      hub: { jobLogs: { lines: ["step 1", "step 2", "step 3", "step 4"], dropAfter: { 0: 3 } } },
    });
    const run = await env.call("hf_jobs", { operation: "run", command: ["train"], follow: false });
    const id = jobIdOf(run.structured);
    await until(() => env.hub.jobs.get(id)?.stage === "RUNNING", "job running");
    const logs = await env.call("hf_jobs", {
      operation: "logs",
      job_id: id,
      follow: true,
      max_wait_seconds: 20,
    });
    expect(logs.structured).toMatchObject({ stopReason: "finished", finalStage: "COMPLETED", totalLines: 4 });
    expect((logs.structured?.reconnects as number) >= 1).toBe(true);
    expect(logs.text.match(/step 1/g)?.length).toBe(1);
    expect(logs.text).toContain("step 4");
    expect(env.progress.at(-1)).toBe(4);
  });

  test("tail is sent on the first connection; a hanging stream stops at the time limit", async () => {
    await using env = await startHfEnv({ hub: { jobLogs: { lines: ["a", "b", "c"], hang: true } } });
    const run = await env.call("hf_jobs", { operation: "run", command: ["serve"], follow: false });
    const id = jobIdOf(run.structured);
    await until(() => (env.hub.jobs.get(id)?.output.length ?? 0) >= 4, "all lines");
    const logs = await env.call("hf_jobs", {
      operation: "logs",
      job_id: id,
      tail: 2,
      follow: true,
      max_wait_seconds: 1,
    });
    expect(logs.structured?.stopReason).toBe("time_limit");
    expect(logs.text).toContain("c");
    expect(logs.text).not.toContain("\na\n");
    expect(env.hub.jobs.get(id)?.tailRequests[0]).toBe("2");
  });

  test("logs without follow stop at the idle limit on an open stream", async () => {
    await using env = await startHfEnv({
      hub: { jobLogs: { lines: ["a"], hang: true } },
      tools: { logIdleTimeoutMs: 100 },
    });
    const run = await env.call("hf_jobs", { operation: "run", command: ["serve"], follow: false });
    const id = jobIdOf(run.structured);
    await until(() => env.hub.jobs.get(id)?.stage === "RUNNING", "job running");
    const logs = await env.call("hf_jobs", { operation: "logs", job_id: id });
    expect(logs.structured?.stopReason).toBe("idle");
    expect(logs.text).toContain("a");
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
    expectNoToken(env, inspected.text);
    await env.call("hf_jobs", { operation: "scheduled delete", scheduled_job_id: id });
    expect((await env.call("hf_jobs", { operation: "scheduled ps", all: true })).text).toContain(
      "No scheduled jobs",
    );
  });
});
