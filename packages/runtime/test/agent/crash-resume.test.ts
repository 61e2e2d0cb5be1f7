import { expect, test } from "bun:test";
import { join } from "node:path";
import { createTempDir, startFakeAnthropic } from "@ml-intern/testing";
import { createMlInternAgent } from "../../src/agent/create-ml-intern-agent.ts";
import { echoTool } from "../lib/echo-tool.ts";

test("kill -9 mid-turn loses at most the in-flight response; the session resumes from its file", async () => {
  await using fake = await startFakeAnthropic();
  await using dir = await createTempDir();
  const home = join(dir.path, "state");
  fake.enqueue(
    { text: "first", toolCalls: [{ name: "echo", input: { text: "one" } }] },
    { text: "second", toolCalls: [{ name: "echo", input: { text: "two" } }] },
    { text: "this response never completes", hangAfterFrames: 3 },
  );
  const child = Bun.spawn(["bun", join(import.meta.dir, "fixtures", "crash-child.ts")], {
    env: { ...process.env, FAKE_URL: fake.url, STATE_HOME: home },
    stdout: "pipe",
    stderr: "ignore",
  });
  const reader = child.stdout.getReader();
  const first = await reader.read();
  const { sessionId } = JSON.parse(new TextDecoder().decode(first.value)) as { sessionId: string };
  await fake.waitForRequests(3, 20_000);
  child.kill("SIGKILL");
  await child.exited;

  fake.enqueue({ text: "picked up where we left off" });
  const rt = await createMlInternAgent({
    model: "anthropic/claude-sonnet-5-5",
    env: { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: fake.url },
    tools: [echoTool],
    cwd: dir.path,
    home,
    headless: true,
    resume: sessionId,
  });
  const history = rt.agent.messages();
  expect(history.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "tool"]);
  expect(history[2]).toMatchObject({ role: "tool", content: "echo: one" });
  expect(history[4]).toMatchObject({ role: "tool", content: "echo: two" });
  const result = await rt.agent.send("continue");
  expect(result.finalResponse).toBe("picked up where we left off");
  await rt.dispose();
});
