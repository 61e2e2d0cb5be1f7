import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { CliError } from "../../src/cli/exit-codes.ts";
import { parseCliArgs } from "../../src/cli/parse-args.ts";
import { createIsolatedHome, type IsolatedHome, jsonLines, runCliProcess } from "../helpers/cli-harness.ts";

test("--network takes on, off or a comma-separated allowlist", () => {
  expect(parseCliArgs(["--network", "off", "hi"]).network).toBe("off");
  expect(parseCliArgs(["--network", "on"]).network).toBe("on");
  expect(parseCliArgs(["--network", "huggingface.co, *.hf.co"]).network).toEqual([
    "huggingface.co",
    "*.hf.co",
  ]);
  expect(parseCliArgs(["hi"]).network).toBeUndefined();
  expect(() => parseCliArgs(["--network", " , "])).toThrow(CliError);
});

describe("the sandbox's network through the headless CLI", () => {
  let fake: FakeLlm;
  let home: IsolatedHome;
  const local = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("loopback service") });
  const probe = `exec 3<>/dev/tcp/127.0.0.1/${local.port} && echo connected || echo refused`;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    home = await createIsolatedHome();
  });
  afterAll(async () => {
    await fake.close();
    await local.stop(true);
    await home[Symbol.asyncDispose]();
  });

  const bashOutput = async (args: string[]) => {
    fake.enqueue({ toolCalls: [{ name: "bash", input: { command: probe } }] }, { text: "Checked." });
    const r = await runCliProcess(
      ["--output-format", "stream-json", "--sandbox", "bwrap", ...args, "probe"],
      {
        cwd: home.workspace,
        env: home.env({ ANTHROPIC_API_KEY: "sk-ant-test-key-1234", ANTHROPIC_BASE_URL: fake.url }),
      },
    );
    expect(r.exitCode).toBe(0);
    return String(jsonLines(r.stdout).find((e) => e.type === "tool_output")?.output);
  };

  test('on by default; --network off and sandbox_network: "off" cut host loopback', async () => {
    expect(await bashOutput([])).toContain("connected");
    expect(await bashOutput(["--network", "off"])).toContain("refused");
    const config = join(home.root.path, "offline.json");
    writeFileSync(config, JSON.stringify({ sandbox_network: "off" }));
    expect(await bashOutput(["--config", config])).toContain("refused");
    // The flag wins over the config.
    expect(await bashOutput(["--config", config, "--network", "on"])).toContain("connected");
  }, 60_000);
});
