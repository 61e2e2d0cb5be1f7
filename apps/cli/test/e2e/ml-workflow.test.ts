import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { FAKE_HF_TOKEN, type FakeHub, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import {
  createIsolatedHome,
  type IsolatedHome,
  jsonLines,
  MAIN,
  runCliProcess,
} from "../helpers/cli-harness.ts";

let fake: FakeLlm;
let hub: FakeHub;
let home: IsolatedHome;

const TRAIN_PY = [
  "from trl import SFTTrainer, SFTConfig",
  "",
  "config = SFTConfig(output_dir='out', push_to_hub=True, hub_model_id='alice/smol-sft', disable_tqdm=True)",
  "print('training smol-sft')",
  "",
].join("\n");

const JOB_LINES = [
  "Resolved 64 packages in 2.1s",
  "Downloading torch (820.1MiB)",
  "Installed 64 packages in 900ms",
  "{'loss': 1.93, 'epoch': 0.5}",
  "{'loss': 1.41, 'epoch': 1.0}",
  "Pushed alice/smol-sft to the Hub",
];

beforeAll(async () => {
  fake = await startFakeAnthropic();
  // The fake Hub's defaults are the real Hub's inconvenient ones: the job starts in SCHEDULING, and its log
  // stream stays open (keep-alives only) after the `===== Job finished` line.
  hub = await startFakeHub({ jobLogs: { lines: JOB_LINES } });
  home = await createIsolatedHome();
});
afterAll(async () => {
  await Promise.all([fake.close(), hub.close()]);
  await home[Symbol.asyncDispose]();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
  });
}

interface ToolResultBlock {
  type: string;
  tool_use_id?: string;
  content?: unknown;
}

/** The text of the tool_result blocks in the last user message of a model request. */
function toolResultsIn(body: Record<string, unknown> | undefined): string {
  const messages = (body?.messages ?? []) as { role: string; content: unknown }[];
  const last = messages.at(-1);
  const blocks = Array.isArray(last?.content) ? (last.content as ToolResultBlock[]) : [];
  return blocks
    .filter((b) => b.type === "tool_result")
    .map((b) => (typeof b.content === "string" ? b.content : JSON.stringify(b.content)))
    .join("\n");
}

describe("the ML workflow end to end (headless CLI, fake Anthropic, fake Hub)", () => {
  test("write train.py, hf_jobs run script=train.py: the Hub gets the code and the token as secrets; the result names COMPLETED with the logs; no token leaks", async () => {
    fake.enqueue(
      { toolCalls: [{ name: "write", input: { path: "train.py", content: TRAIN_PY } }] },
      // No token, no follow flag: the defaults must do the right thing.
      {
        toolCalls: [
          { name: "hf_jobs", input: { operation: "run", script: "train.py", dependencies: ["trl"] } },
        ],
      },
      { text: "Training finished and alice/smol-sft was pushed." },
    );
    const env = home.env({
      ANTHROPIC_API_KEY: "sk-ant-test-key-1234",
      ANTHROPIC_BASE_URL: fake.url,
      HF_TOKEN: FAKE_HF_TOKEN,
      HF_ENDPOINT: hub.url,
    });
    const started = fake.bodies.length;
    // The follow budget is 30 minutes: if the run did not end on the job's end, this test would time out.
    const r = await runCliProcess(
      ["--output-format", "stream-json", "--sandbox", "none", "fine-tune smol on my data with HF Jobs"],
      { cwd: home.workspace, env, timeoutMs: 40_000 },
    );
    expect(r.exitCode).toBe(0);
    const events = jsonLines(r.stdout);
    expect(events.at(-1)).toMatchObject({ type: "result", status: "success" });

    // The Hub received one job: the script's content (not its name) and the token as encrypted secrets.
    const posts = hub.server.requests.filter((q) => q.method === "POST" && q.path === "/api/jobs/alice");
    expect(posts).toHaveLength(1);
    const spec = JSON.parse(posts[0]!.body) as {
      command: string[];
      secrets: Record<string, string>;
      environment: Record<string, string>;
    };
    const b64 = /echo "([A-Za-z0-9+/=]+)" \| base64 -d \| uv run --with trl -/.exec(spec.command.join(" "));
    expect(b64).not.toBeNull();
    expect(Buffer.from(b64![1]!, "base64").toString("utf8")).toBe(TRAIN_PY);
    expect(spec.secrets.HF_TOKEN).toBe(FAKE_HF_TOKEN);
    expect(spec.secrets.HUGGINGFACE_HUB_TOKEN).toBe(FAKE_HF_TOKEN);
    expect(JSON.stringify(spec.environment)).not.toContain(FAKE_HF_TOKEN);

    // The job ran to its end; the stream was still open after the finished line (the fake never closes it).
    const job = [...hub.jobs.values()][0]!;
    expect(job.stage).toBe("COMPLETED");
    expect(job.output.at(-1)).toBe("===== Job finished: status=COMPLETED =====");
    expect(job.logPlan.closeAfterFinish).toBeUndefined();
    expect(job.cancelRequests).toBe(0);

    // What the model read next: COMPLETED, the job's log lines, the install noise collapsed.
    const requests = fake.bodies.slice(started);
    expect(requests).toHaveLength(3);
    const result = toolResultsIn(requests[2]);
    expect(result).toContain("finished: COMPLETED");
    expect(result).toContain("{'loss': 1.41, 'epoch': 1.0}");
    expect(result).toContain("Pushed alice/smol-sft to the Hub");
    expect(result).toContain("[installs truncated]");
    expect(result).not.toContain("Downloading torch");
    // Live log lines reached the host as they came.
    const logs = events.filter((e) => e.type === "tool_log" && e.tool === "hf_jobs").map((e) => e.log);
    expect(logs).toContain("{'loss': 1.93, 'epoch': 0.5}");

    // No token in the model's context, on stdout/stderr, or in any file written (session dir, workspace).
    expect(JSON.stringify(fake.bodies)).not.toContain(FAKE_HF_TOKEN);
    expect(r.stdout + r.stderr).not.toContain(FAKE_HF_TOKEN);
    const written = filesUnder(home.root.path);
    expect(written.some((f) => f.endsWith(".jsonl"))).toBe(true);
    for (const file of written) expect(readFileSync(file, "utf8")).not.toContain(FAKE_HF_TOKEN);
  }, 45_000);

  test("interrupting the run (SIGINT) while hf_jobs follows the job cancels it on the Hub", async () => {
    hub.setJobLogPlan({ lines: ["step 1 loss=2.0"], hang: true });
    fake.enqueue(
      {
        toolCalls: [
          { name: "hf_jobs", input: { operation: "run", script: "print('long training')\nprint(2)" } },
        ],
      },
      { text: "unused" },
    );
    const before = new Set(hub.jobs.keys());
    const proc = Bun.spawn(
      [process.execPath, MAIN, "--output-format", "stream-json", "--sandbox", "none", "train"],
      {
        cwd: home.workspace,
        env: home.env({
          ANTHROPIC_API_KEY: "sk-ant-test-key-1234",
          ANTHROPIC_BASE_URL: fake.url,
          HF_TOKEN: FAKE_HF_TOKEN,
          HF_ENDPOINT: hub.url,
        }),
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    const killer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
    try {
      const deadline = Date.now() + 20_000;
      const job = () => [...hub.jobs.values()].find((j) => !before.has(j.id));
      // Wait until the job runs and its log stream is being followed.
      while (!(job()?.logConnections && job()?.output.includes("step 1 loss=2.0"))) {
        if (Date.now() > deadline) throw new Error("the job never started streaming");
        await Bun.sleep(20);
      }
      proc.kill("SIGINT");
      await proc.exited;
      expect(job()!.cancelRequests).toBeGreaterThanOrEqual(1);
      expect(job()!.stage).toBe("CANCELED");
    } finally {
      clearTimeout(killer);
      proc.kill("SIGKILL");
    }
  }, 45_000);
});
