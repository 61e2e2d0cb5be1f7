import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createIsolatedHome, type IsolatedHome, MAIN } from "../helpers/cli-harness.ts";
import { startTmux, type TmuxSession } from "../helpers/tmux.ts";

let fake: FakeLlm;
let home: IsolatedHome;
let tmux: TmuxSession;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  home = await createIsolatedHome();
  tmux = startTmux({
    dir: home.root.path,
    cwd: home.workspace,
    env: home.env({
      ANTHROPIC_BASE_URL: fake.url,
      HF_TOKEN: "hf_test_token_123",
      HF_ENDPOINT: "http://127.0.0.1:9",
    }),
    // An Anthropic model named explicitly: with only HF_TOKEN the default would be the HF router model.
    argv: [process.execPath, MAIN, "--sandbox", "none", "--model", "anthropic/claude-sonnet-5-5"],
  });
});
afterAll(async () => {
  tmux.kill();
  await fake.close();
  await home[Symbol.asyncDispose]();
});

test("interactive: a missing model key is asked for once, hidden, saved 0600 and used", async () => {
  await tmux.waitFor((s) => s.includes("Paste your ANTHROPIC_API_KEY"), "the key prompt", 20_000);
  tmux.type("sk-ant-pasted-key-123456");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("ML Intern"), "the banner", 20_000);
  expect(tmux.capture()).not.toContain("sk-ant-pasted-key-123456");
  const path = join(home.configHome, "ml-intern", ".env");
  expect(readFileSync(path, "utf8")).toContain("ANTHROPIC_API_KEY=sk-ant-pasted-key-123456");
  expect(statSync(path).mode & 0o777).toBe(0o600);

  fake.enqueue({ text: "hello back" });
  tmux.type("hello");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("hello back"), "the answer");
  const auth = fake.requests[0]!.headers;
  expect(auth.get("x-api-key") ?? auth.get("authorization")).toContain("sk-ant-pasted-key-123456");
  tmux.type("/quit");
  tmux.send("Enter");
});
