import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  createLocalBackend,
  createRemoteSandboxManager,
  createSandboxTools,
  createSpaceProvisioner,
  type SandboxBackend,
} from "@ml-intern/sandbox";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createTempDir, type TempDir } from "@ml-intern/testing/temp-dir";
import {
  DEFAULT_JOB_TIMEOUT,
  HARDWARE_SIZING,
  MIN_TRAINING_TIMEOUT,
  renderJobsHardwareGuide,
} from "@ml-intern/tools-hf/hardware-guide";
import { JOB_HARDWARE_PRICES_USD_PER_HOUR } from "@ml-intern/tools-hf/pricing";
import { createMlInternAgent } from "../../src/agent/create-ml-intern-agent.ts";
import { createToolCatalog } from "../../src/catalog/tool-catalog.ts";

/**
 * Reads the system prompt and the tool descriptions exactly as the model receives them (the request body the
 * fake Anthropic API records) and fails on contradictions that can be stated as facts about the code.
 */

interface SentTool {
  name: string;
  description: string;
  input_schema: { properties?: Record<string, { description?: string; default?: unknown }> };
}

let fake: FakeLlm;
let dir: TempDir;
let backend: SandboxBackend;
let system = "";
let tools: SentTool[] = [];
/** sandbox_create exists only with a remote sandbox (--sandbox remote); its description is checked too. */
let remoteOnly: { name: string; description: string }[] = [];

beforeAll(async () => {
  fake = await startFakeAnthropic();
  dir = await createTempDir("prompt-consistency-");
  backend = await createLocalBackend({ workspace: dir.path, isolation: "none", hostEnv: {} });
  const env = {
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: fake.url,
    HF_ENDPOINT: "http://127.0.0.1:9",
  };
  const catalog = createToolCatalog({ env, cwd: dir.path, sandbox: { backend }, enableLocalTools: true });
  const rt = await createMlInternAgent({
    model: "anthropic/claude-sonnet-5-5",
    env,
    tools: catalog,
    cwd: dir.path,
    headless: true,
    persist: false,
    hubIdentity: { status: "resolved", user: "alice", orgs: ["ml-org"] },
  });
  fake.enqueue({ text: "ok" });
  await rt.agent.send("hi");
  const body = fake.bodies.at(-1) as { system: { text: string }[]; tools: SentTool[] };
  system = body.system.map((b) => b.text).join("\n");
  tools = body.tools;
  await rt.dispose();
  const remote = createSandboxTools({
    mode: "remote",
    sandboxes: createRemoteSandboxManager({
      provisioner: createSpaceProvisioner({ hfToken: "hf_unused", hubUrl: "http://127.0.0.1:9" }),
    }),
  });
  remoteOnly = remote.tools
    .filter((t) => !tools.some((s) => s.name === t.name))
    .map((t) => ({ name: t.name, description: t.description }));
});
afterAll(async () => {
  await backend.dispose();
  await fake.close();
  await dir[Symbol.asyncDispose]();
});

const tool = (name: string): SentTool => {
  const found = tools.find((t) => t.name === name);
  if (!found) throw new Error(`${name} is not among the tools sent to the model`);
  return found;
};
const everything = () => [
  system,
  ...tools.map((t) => t.description),
  ...remoteOnly.map((t) => t.description),
];

describe("the system prompt agrees with the tools", () => {
  test("every tool the prompt names exists", () => {
    const names = new Set([...tools.map((t) => t.name), ...remoteOnly.map((t) => t.name)]);
    const named =
      system.match(
        /\b(?:hf_[a-z_]+|hub_[a-z_]+|github_[a-z_]+|explore_hf_docs|fetch_hf_docs|find_hf_api|sandbox_create|plan_tool|web_search)\b/g,
      ) ?? [];
    // HF_TOKEN-like words are upper case; hf_jobs parameters are not tools.
    const missing = [...new Set(named)].filter(
      (n) => !names.has(n) && !["hf_token", "hub_model_id"].includes(n),
    );
    expect(missing).toEqual([]);
    expect(named.length).toBeGreaterThan(10);
  });

  test("token passing: the token goes to jobs by default, as a secret; nothing says it must be asked for", () => {
    const include = tool("hf_jobs").input_schema.properties?.include_hf_token?.description ?? "";
    expect(include).toMatch(/default true/i);
    expect(system).toMatch(/token is passed to every job automatically as an encrypted secret \(HF_TOKEN\)/);
    for (const text of everything()) {
      expect(text).not.toMatch(/only passed when you ask|include_hf_token:\s*true|needs `?include_hf_token/i);
      expect(text).not.toMatch(/token is not passed/i);
    }
    // And never in env.
    expect(system).toMatch(/Never put a token in env/);
  });

  test("script paths: a workspace file is shipped with the job; nothing forbids passing its path", () => {
    const script = tool("hf_jobs").input_schema.properties?.script?.description ?? "";
    expect(script).toMatch(/workspace/i);
    expect(system).toMatch(/script="train\.py"\); hf_jobs reads it and ships its content/);
    for (const text of everything()) {
      expect(text).not.toMatch(/never pass a local path|path inside the image/i);
    }
  });

  test("sizing and timeouts: one table, rendered into both the prompt and hf_jobs; no other job sizing", () => {
    const guide = renderJobsHardwareGuide();
    expect(system).toContain(guide);
    expect(tool("hf_jobs").description).toContain(guide);
    // Outside the rendered guide, the prompt states no "<size> → <flavor>" mapping of its own.
    const rest = system.replace(guide, "");
    expect(rest).not.toMatch(/\d+(?:[–-]\d+)?B\+?\s*(?:parameters\s*)?→/);
    // Every size row of the table appears once, as the code has it.
    for (const row of HARDWARE_SIZING) {
      expect(system).toContain(
        `${row.params} parameters → ${row.flavors.join(" or ")}, timeout ${row.timeout}`,
      );
    }
    expect(system).toContain(`The default timeout is ${DEFAULT_JOB_TIMEOUT}`);
    expect(system).toContain(`at least ${MIN_TRAINING_TIMEOUT} for any training`);
    // No other default timeout is claimed anywhere.
    for (const text of everything()) {
      for (const m of text.matchAll(/default timeout is (\S+?)[,.\s]/gi))
        expect(m[1]).toBe(DEFAULT_JOB_TIMEOUT);
    }
  });

  test("every hardware flavor the prompt names is a real flavor", () => {
    const flavors = new Set(Object.keys(JOB_HARDWARE_PRICES_USD_PER_HOUR));
    const named =
      system.match(
        /\b(?:cpu-(?:basic|upgrade)|t4-\w+|a10g-\w+|a100\w*(?:-\w+)?|l4x\d|l40sx\d|h100\w*|h200\w*)\b/g,
      ) ?? [];
    expect(named.length).toBeGreaterThan(5);
    expect([...new Set(named)].filter((f) => !flavors.has(f))).toEqual([]);
  });
});
