import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createIsolatedHome, type IsolatedHome, MAIN } from "../helpers/cli-harness.ts";
import { startTmux, type TmuxSession, waitForFile } from "../helpers/tmux.ts";

let fake: FakeLlm;
let home: IsolatedHome;
let tmux: TmuxSession;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  home = await createIsolatedHome();
  const config = join(home.root.path, "ask-write.json");
  writeFileSync(
    config,
    JSON.stringify({ approval_rules: [{ tool: "write", action: "ask" }], sandbox: "none" }),
  );
  tmux = startTmux({
    dir: home.root.path,
    cwd: home.workspace,
    env: home.env({
      ANTHROPIC_API_KEY: "sk-ant-test-key-1234",
      ANTHROPIC_BASE_URL: fake.url,
      HF_TOKEN: "hf_test_token_123",
      HF_ENDPOINT: "http://127.0.0.1:9",
    }),
    argv: [process.execPath, MAIN, "--config", config],
  });
});
afterAll(async () => {
  tmux.kill();
  await fake.close();
  await home[Symbol.asyncDispose]();
});

const promptShown = (screen: string) => /› *$/m.test(screen.trimEnd().split("\n").at(-1) ?? "");

test("interactive: approve a call, reject one with feedback, interrupt a turn, quit", async () => {
  await tmux.waitFor((s) => s.includes("ML Intern") && promptShown(s), "the banner and prompt", 20_000);

  // 1. A write that the config says needs approval; the user approves it.
  fake.enqueue(
    { toolCalls: [{ name: "write", input: { path: "approved.txt", content: "yes\n" } }] },
    { text: "Created **approved.txt**." },
  );
  tmux.type("please create approved.txt");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("Approval required") && s.includes("Approve?"), "the approval prompt");
  tmux.type("y");
  tmux.send("Enter");
  await tmux.waitFor(
    (s) => s.includes("Created approved.txt") || s.includes("Created **approved.txt**"),
    "the answer",
  );
  expect(readFileSync(join(home.workspace, "approved.txt"), "utf8")).toBe("yes\n");

  // 2. Rejected with feedback: the tool does not run and the model sees the feedback.
  fake.enqueue(
    { toolCalls: [{ name: "write", input: { path: "rejected.txt", content: "no\n" } }] },
    { text: "Understood, not writing it." },
  );
  await tmux.waitFor(promptShown, "the prompt after turn 1");
  tmux.type("now create rejected.txt");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.split("Approval required").length === 3, "the second approval prompt");
  tmux.type("use a different name");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("Understood, not writing it."), "the answer after rejection");
  expect(existsSync(join(home.workspace, "rejected.txt"))).toBe(false);
  expect(JSON.stringify(fake.bodies.at(-1))).toContain("User feedback: use a different name");

  // 3. Ctrl-C interrupts a turn whose stream hangs; the session stays usable.
  const before = fake.bodies.length;
  fake.enqueue({ text: "This answer never finishes streaming", hangAfterFrames: 4, chunks: 6 });
  await tmux.waitFor(promptShown, "the prompt after turn 2");
  tmux.type("start something slow");
  tmux.send("Enter");
  await fake.waitForRequests(before + 1);
  tmux.send("C-c");
  await tmux.waitFor((s) => s.includes("Interrupted."), "the interruption notice");
  fake.enqueue({ text: "Still here." });
  await tmux.waitFor(promptShown, "the prompt after the interruption");
  tmux.type("are you there?");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("Still here."), "an answer after the interruption");

  // 4. /quit exits cleanly.
  await tmux.waitFor(promptShown, "the prompt before quitting");
  tmux.type("/quit");
  tmux.send("Enter");
  await waitForFile(join(home.root.path, "exit-code"));
  expect(readFileSync(join(home.root.path, "exit-code"), "utf8").trim()).toBe("0");
}, 90_000);
