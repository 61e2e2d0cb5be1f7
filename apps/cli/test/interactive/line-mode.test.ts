/**
 * The line mode (a terminal without the full UI: TERM=dumb, ML_INTERN_PLAIN_UI) driven through tmux: it runs
 * the same slash commands as the terminal UI, with a numbered list and a question where the UI has a picker.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { DEFAULT_ROUTER_MODEL } from "@ml-intern/runtime/model";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createIsolatedHome, type IsolatedHome, MAIN, runCliProcess } from "../helpers/cli-harness.ts";
import { startTmux, type TmuxSession } from "../helpers/tmux.ts";

let fake: FakeLlm;
let home: IsolatedHome;
let tmux: TmuxSession;
let exited: Promise<number> | undefined;

const count = (s: string, what: string) => s.split(what).length - 1;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  home = await createIsolatedHome();
  tmux = startTmux({
    dir: home.root.path,
    cwd: home.workspace,
    env: home.env({
      ANTHROPIC_API_KEY: "sk-ant-test-key-1234",
      ANTHROPIC_BASE_URL: fake.url,
      HF_TOKEN: "hf_test_token_123",
      HF_ENDPOINT: "http://127.0.0.1:9",
      HF_ROUTER_URL: "http://127.0.0.1:9/v1",
      ML_INTERN_PLAIN_UI: "1",
    }),
    argv: [process.execPath, MAIN, "--sandbox", "none", "--model", "anthropic/claude-sonnet-5-5"],
  });
  await tmux.waitFor((s) => s.includes("/help for commands"), "the banner", 20_000);
});
afterAll(async () => {
  tmux.kill();
  await exited;
  await fake.close();
  await home[Symbol.asyncDispose]();
});

test("line mode: /cost and /status come from the session's own events; /effort changes what /status shows", async () => {
  fake.enqueue({ text: "hello back", usage: { input: 1200, output: 34 } });
  tmux.type("hello");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("hello back"), "the answer");
  tmux.type("/cost");
  tmux.send("Enter");
  const cost = await tmux.waitFor((s) => s.includes("model calls"), "the /cost report");
  expect(cost).toMatch(/model calls\s+1/);
  expect(cost).toMatch(/output\s+34 tokens/);
  tmux.type("/effort high");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("Reasoning effort: high"), "the effort change");
  tmux.type("/status");
  tmux.send("Enter");
  const status = await tmux.waitFor((s) => /effort\s+high/.test(s), "the /status report");
  expect(status).toContain("model      anthropic/claude-sonnet-5-5");
});

test("line mode: /model lists models by number; a number switches, a bad one changes nothing", async () => {
  tmux.type("/model");
  tmux.send("Enter");
  let screen = await tmux.waitFor((s) => s.includes("(Enter to cancel)"), "the numbered model list");
  expect(screen).toMatch(/1\. anthropic\/claude-sonnet-5-5/);
  const opus = screen.match(/(\d+)\. anthropic\/claude-opus-5-5/);
  expect(opus).not.toBeNull();
  tmux.type("99");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("No entry 99; nothing changed."), "the refusal");
  tmux.type("/model");
  tmux.send("Enter");
  await tmux.waitFor((s) => count(s, "(Enter to cancel)") === 2, "the list again");
  tmux.type(opus![1]!);
  tmux.send("Enter");
  screen = await tmux.waitFor((s) => s.includes("Model: anthropic/claude-opus-5-5"), "the switch");
  fake.enqueue({ text: "from opus" });
  tmux.type("which model?");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("from opus"), "the next answer");
  expect(fake.bodies.at(-1)?.model).toBe("claude-opus-5-5");
  tmux.type("/quit");
  tmux.send("Enter");
});

test("the next session starts with the last /model pick, unless a model is named or the pick's key is gone", async () => {
  // The test above picked anthropic/claude-opus-5-5 and quit; this session names no model.
  const keys = {
    ANTHROPIC_API_KEY: "sk-ant-test-key-1234",
    ANTHROPIC_BASE_URL: fake.url,
    HF_TOKEN: "hf_test_token_123",
    HF_ENDPOINT: "http://127.0.0.1:9",
    HF_ROUTER_URL: "http://127.0.0.1:9/v1",
  };
  const run = (args: string[], env: Record<string, string>) =>
    runCliProcess(["--sandbox", "none", "--output-format", "json", ...args, "which model?"], {
      cwd: home.workspace,
      env: home.env(env),
    });
  fake.enqueue({ text: "remembered" });
  expect((await run([], keys)).exitCode).toBe(0);
  expect(fake.bodies.at(-1)?.model).toBe("claude-opus-5-5");
  fake.enqueue({ text: "named" });
  expect((await run(["--model", "anthropic/claude-sonnet-5-5"], keys)).exitCode).toBe(0);
  expect(fake.bodies.at(-1)?.model).toBe("claude-sonnet-5-5");
  // Without an Anthropic key the pick cannot run: the default for the keys present (the HF router) is used.
  const { ANTHROPIC_API_KEY: _key, ...hfOnly } = keys;
  const before = fake.bodies.length;
  const routed = await run([], hfOnly);
  expect(fake.bodies.length).toBe(before);
  expect(`${routed.stdout}${routed.stderr}`).toContain(`Model call for ${DEFAULT_ROUTER_MODEL}`);
}, 60_000);
