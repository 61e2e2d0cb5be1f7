/**
 * The terminal UI driven through tmux as a user would: one CLI session, tests in order (each waits for the
 * idle prompt the previous one left).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type FakeServer, startFakeServer } from "@ml-intern/testing/http/fake-server";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createIsolatedHome, type IsolatedHome, MAIN } from "../helpers/cli-harness.ts";
import { startTmux, type TmuxSession, waitForFile } from "../helpers/tmux.ts";

const ROOT = resolve(import.meta.dir, "../../../..");
let fake: FakeLlm;
/** The HF router's model catalogue, as inconvenient as the real one: a provider in error, one without tools. */
let router: FakeServer;
let home: IsolatedHome;
let tmux: TmuxSession;
let config: string;
let env: Record<string, string>;

/** The idle editor shows its placeholder. */
const idle = (s: string) => s.includes("message · Enter sends");
/** The approval dialog takes keys (its key help is shown). */
const armed = (s: string) => s.includes("y approve · a always");
const count = (s: string, what: string) => s.split(what).length - 1;
/** The user-message text the model received last. */
const lastUserText = () => {
  const messages = (fake.bodies.at(-1)?.messages ?? []) as { role: string; content: unknown }[];
  return JSON.stringify(messages.filter((m) => m.role === "user").at(-1)?.content ?? "");
};

beforeAll(async () => {
  fake = await startFakeAnthropic();
  router = await startFakeServer((_req, recorded) =>
    recorded.path.endsWith("/models")
      ? Response.json({
          data: [
            {
              id: "moonshotai/Kimi-K2.6",
              providers: [
                { provider: "broken", status: "error", supports_tools: true },
                {
                  provider: "novita",
                  status: "live",
                  supports_tools: true,
                  pricing: { input: 0.6, output: 2.5 },
                },
              ],
            },
            {
              id: "some/no-tools-model",
              providers: [{ provider: "x", status: "live", supports_tools: false }],
            },
            {
              id: "Qwen/Qwen3-Coder",
              providers: [
                { provider: "together", status: "live", supports_tools: true, context_length: 262144 },
              ],
            },
          ],
        })
      : new Response("not found", { status: 404 }),
  );
  home = await createIsolatedHome();
  config = join(home.root.path, "ask-write.json");
  writeFileSync(
    config,
    JSON.stringify({ approval_rules: [{ tool: "write", action: "ask" }], sandbox: "none" }),
  );
  const editor = join(home.root.path, "editor.sh");
  // $EDITOR: changes "draft" to "final" in the file it is given.
  writeFileSync(editor, `#!/bin/sh\nsed -i 's/draft/final/' "$1"\n`, { mode: 0o755 });
  env = home.env({
    ANTHROPIC_API_KEY: "sk-ant-test-key-1234",
    ANTHROPIC_BASE_URL: fake.url,
    HF_TOKEN: "hf_test_token_123",
    HF_ENDPOINT: "http://127.0.0.1:9",
    HF_ROUTER_URL: `${router.url}/v1`,
    EDITOR: editor,
    // A terminal in a shell that exports CI (CI jobs with a TTY, dev containers): the editor must still be drawn.
    CI: "true",
  });
  tmux = startTmux({
    dir: home.root.path,
    cwd: home.workspace,
    env,
    argv: [process.execPath, MAIN, "--config", config],
  });
  await tmux.waitFor((s) => s.includes("ML Intern") && idle(s), "the banner and the editor", 20_000);
});
afterAll(async () => {
  tmux.kill();
  await fake.close();
  await router.close();
  await home[Symbol.asyncDispose]();
});

test("approve a call with y; the answer renders", async () => {
  fake.enqueue(
    { toolCalls: [{ name: "write", input: { path: "approved.txt", content: "yes\n" } }] },
    { text: "Created **approved.txt**." },
  );
  tmux.type("please create approved.txt");
  tmux.send("Enter");
  await tmux.waitFor(armed, "the approval dialog");
  tmux.type("y");
  const screen = await tmux.waitFor((s) => /Created \**approved\.txt/.test(s) && idle(s), "the answer");
  expect(screen).toContain("✓ created approved.txt (1 line)");
  expect(readFileSync(join(home.workspace, "approved.txt"), "utf8")).toBe("yes\n");
}, 30_000);

test("a running command's output shows live under its tool line, before the command ends", async () => {
  fake.enqueue(
    { toolCalls: [{ name: "bash", input: { command: "echo live-first; sleep 4; echo live-last" } }] },
    { text: "The command finished." },
  );
  tmux.type("run the slow command");
  tmux.send("Enter");
  const first = await tmux.waitFor((s) => s.includes("live-first") || armed(s), "live output or approval");
  if (!first.includes("live-first")) tmux.type("y");
  const live = await tmux.waitFor((s) => s.includes("│ live-first"), "the live output line");
  expect(live).not.toContain("│ live-last");
  expect(live).not.toContain("The command finished.");
  await tmux.waitFor((s) => s.includes("The command finished.") && idle(s), "the answer", 20_000);
}, 30_000);

test("a three-line bracketed paste arrives as one message", async () => {
  fake.enqueue({ text: "Got your trace." });
  const before = fake.bodies.length;
  tmux.paste('Traceback (most recent call last):\n  File "train.py", line 3\nValueError: bad lr');
  await tmux.waitFor((s) => s.includes("ValueError: bad lr"), "the pasted text in the editor");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("Got your trace.") && idle(s), "the answer to the paste");
  expect(fake.bodies.length).toBe(before + 1);
  expect(lastUserText()).toContain(
    'Traceback (most recent call last):\\n  File \\"train.py\\", line 3\\nValueError: bad lr',
  );
}, 30_000);

test("markdown in list items renders without raw markers; headings lose their #", async () => {
  fake.enqueue({
    text: "## Plan\n\n- **load** the `imdb` dataset\n- *train* with [trl](https://hf.co/docs/trl)\n\nDone.",
  });
  tmux.type("what is the plan?");
  tmux.send("Enter");
  const screen = await tmux.waitFor((s) => s.includes("Done.") && idle(s), "the rendered answer");
  expect(screen).toContain("• load the imdb dataset");
  expect(screen).toContain("• train with trl (https://hf.co/docs/trl)");
  expect(screen).toMatch(/^Plan$/m);
  expect(screen).not.toContain("## Plan");
  expect(screen).not.toContain("**load**");
}, 30_000);

test("a message typed during a turn is queued, shown as queued, and sent after the turn", async () => {
  fake.enqueue(
    { text: "A slow answer that streams for a while.", chunks: 8, frameDelayMs: 250 },
    { text: "Queued message answered." },
  );
  const before = fake.bodies.length;
  tmux.type("first question");
  tmux.send("Enter");
  await fake.waitForRequests(before + 1);
  tmux.type("second question, typed while busy");
  tmux.send("Enter");
  const screen = await tmux.waitFor((s) => s.includes("queued ›"), "the queued message");
  expect(screen).toContain("queued › second question, typed while busy");
  await tmux.waitFor((s) => s.includes("Queued message answered.") && idle(s), "the queued message's answer");
  expect(fake.bodies.length).toBe(before + 2);
  expect(lastUserText()).toContain("second question, typed while busy");
}, 30_000);

test("text typed while busy never becomes an approval answer", async () => {
  fake.enqueue(
    {
      text: "Let me write it.",
      chunks: 6,
      frameDelayMs: 150,
      toolCalls: [{ name: "write", input: { path: "typed-over.txt", content: "x\n" } }],
    },
    { text: "Not written, as you asked." },
  );
  tmux.type("write typed-over.txt");
  tmux.send("Enter");
  // Keep typing "a" (= "always" in the dialog) until well after the dialog appears.
  let typed = 0;
  for (;;) {
    tmux.type("a");
    typed++;
    await Bun.sleep(80);
    if (tmux.capture().includes("Approval required")) break;
    if (typed > 200) throw new Error("the approval dialog never appeared");
  }
  for (let i = 0; i < 4; i++) {
    tmux.type("a");
    typed++;
    await Bun.sleep(80);
  }
  const typing = tmux.capture();
  expect(typing).toContain("keys go to your message below");
  await tmux.waitFor(armed, "the dialog to take keys after the pause");
  expect(existsSync(join(home.workspace, "typed-over.txt"))).toBe(false);
  expect(tmux.capture()).toContain(`› ${"a".repeat(typed)}`);
  tmux.type("n");
  await tmux.waitFor((s) => s.includes("feedback ›"), "the feedback field");
  tmux.type("do not write it");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("Not written, as you asked."), "the answer after the rejection");
  expect(existsSync(join(home.workspace, "typed-over.txt"))).toBe(false);
  const feedback = JSON.stringify(fake.bodies.at(-1));
  expect(feedback).toContain("User feedback: do not write it");
  expect(feedback).not.toContain("aaaa");
  // The typed text is still in the editor: clear it for the next test.
  tmux.send("C-u");
  await tmux.waitFor(idle, "an empty editor");
}, 60_000);

test("the approval dialog shows the job summary and the script as code; $EDITOR edits the arguments", async () => {
  const script = "import torch\nprint('draft run')\n";
  fake.enqueue(
    {
      toolCalls: [
        {
          name: "hf_jobs",
          input: {
            operation: "uv",
            script,
            hardware_flavor: "a10g-large",
            timeout: "2h",
            include_hf_token: true,
            namespace: "my-org",
          },
        },
      ],
    },
    { text: "Job refused." },
  );
  tmux.type("train it on a GPU");
  tmux.send("Enter");
  const screen = await tmux.waitFor(armed, "the job approval");
  expect(screen).toMatch(/hardware\s+a10g-large/);
  expect(screen).toMatch(/timeout\s+2h/);
  expect(screen).toMatch(/est\. cost\s+\$\d+\.\d\d/);
  expect(screen).toMatch(/HF token\s+sent to the job/);
  expect(screen).toMatch(/namespace\s+my-org/);
  expect(screen).toMatch(/1 │ import torch/);
  expect(screen).toMatch(/2 │ print\('draft run'\)/);
  expect(screen).not.toContain("\\n");
  tmux.type("n");
  await tmux.waitFor((s) => s.includes("feedback ›"), "the feedback field");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("Job refused.") && idle(s), "the answer");

  // A write whose content the user changes in $EDITOR before approving.
  fake.enqueue(
    { toolCalls: [{ name: "write", input: { path: "notes.md", content: "the draft plan\n" } }] },
    { text: "Saved the notes." },
  );
  tmux.type("save the notes");
  tmux.send("Enter");
  await tmux.waitFor(armed, "the write approval");
  tmux.type("e");
  await tmux.waitFor((s) => s.includes("the final plan") && armed(s), "the edited content in the dialog");
  tmux.type("y");
  await tmux.waitFor((s) => s.includes("Saved the notes.") && idle(s), "the answer");
  expect(readFileSync(join(home.workspace, "notes.md"), "utf8")).toBe("the final plan\n");
}, 60_000);

test("/model opens a picker with the router's tool-capable models and prices; Esc closes it", async () => {
  tmux.type("/model");
  tmux.send("Enter");
  const screen = await tmux.waitFor((s) => s.includes("Model (now"), "the model picker");
  expect(screen).toContain("› anthropic/claude-sonnet-5-5");
  expect(screen).toMatch(/moonshotai\/Kimi-K2\.6:novita\s+router · \$0\.6\/\$2\.5 per M tokens/);
  expect(screen).toMatch(/Qwen\/Qwen3-Coder:together\s+router · price not listed · 262k ctx/);
  expect(screen).not.toContain("no-tools-model");
  expect(screen).not.toContain(":broken");
  tmux.send("Down");
  await tmux.waitFor((s) => s.includes("› anthropic/claude-opus-5-5"), "the selection to move");
  tmux.send("Escape");
  await tmux.waitFor((s) => !s.includes("Model (now") && idle(s), "the picker to close");
}, 30_000);

test("Ctrl-C interrupts a turn; the session stays usable", async () => {
  const before = fake.bodies.length;
  fake.enqueue({ text: "This answer never finishes streaming", hangAfterFrames: 4, chunks: 6 });
  tmux.type("start something slow");
  tmux.send("Enter");
  await fake.waitForRequests(before + 1);
  tmux.send("C-c");
  await tmux.waitFor((s) => s.includes("Interrupted.") && idle(s), "the interruption notice");
  fake.enqueue({ text: "Still here." });
  await Bun.sleep(1100); // not a double Ctrl-C
  tmux.type("are you there?");
  tmux.send("Enter");
  await tmux.waitFor((s) => s.includes("Still here.") && idle(s), "an answer after the interruption");
}, 30_000);

test("/quit exits 0, and --continue shows the previous exchange", async () => {
  tmux.type("/quit");
  tmux.send("Enter");
  await waitForFile(join(home.root.path, "exit-code"));
  expect(readFileSync(join(home.root.path, "exit-code"), "utf8").trim()).toBe("0");
  tmux.kill();

  const second = join(home.root.path, "second");
  mkdirSync(second);
  tmux = startTmux({
    dir: second,
    cwd: home.workspace,
    env,
    argv: [process.execPath, MAIN, "--config", config, "--continue"],
  });
  const screen = await tmux.waitFor(
    (s) => s.includes("Resumed session") && idle(s),
    "the resumed session",
    20_000,
  );
  expect(screen).toContain("› are you there?");
  expect(screen).toContain("Still here.");
  expect(count(screen, "Resumed session")).toBe(1);

  tmux.type("/resume");
  tmux.send("Enter");
  const picker = await tmux.waitFor((s) => s.includes("Resume a session"), "the session picker");
  expect(picker).toMatch(/› \d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}[0-9a-z-]{8} {2}/);
  tmux.send("Escape");
  await tmux.waitFor((s) => !s.includes("Resume a session") && idle(s), "the picker to close");
  tmux.send("C-c");
  await Bun.sleep(100);
  tmux.send("C-c");
  await waitForFile(join(second, "exit-code"));
  expect(readFileSync(join(second, "exit-code"), "utf8").trim()).toBe("0");
}, 40_000);

test("under `bun run ml-intern`, Ctrl-C twice quits with 0 and bun reports no error", async () => {
  const dir = join(home.root.path, "bun-run");
  mkdirSync(dir);
  const session = startTmux({
    dir,
    cwd: ROOT,
    env,
    argv: ["bun", "run", "ml-intern", "--", "--config", config],
  });
  try {
    await session.waitFor((s) => s.includes("ML Intern") && idle(s), "the banner under bun run", 20_000);
    session.send("C-c");
    await Bun.sleep(100);
    session.send("C-c");
    await waitForFile(join(dir, "exit-code"));
    expect(readFileSync(join(dir, "exit-code"), "utf8").trim()).toBe("0");
    expect(session.capture()).not.toContain("exited with code");
  } finally {
    session.kill();
  }
}, 40_000);
