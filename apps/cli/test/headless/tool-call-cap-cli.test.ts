import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createIsolatedHome, type IsolatedHome, runCliProcess } from "../helpers/cli-harness.ts";

let fake: FakeLlm;
let home: IsolatedHome;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  home = await createIsolatedHome();
});
afterAll(async () => {
  await fake.close();
  await home[Symbol.asyncDispose]();
});

describe("tool-call cap through the headless CLI", () => {
  test("a reply with 100 tool calls: the calls beyond 64 reach the model as the cap text", async () => {
    const calls = Array.from({ length: 100 }, (_, n) => ({ name: "no_such_tool", input: { n } }));
    fake.enqueue({ toolCalls: calls }, { text: "Fewer next time." });
    const res = await runCliProcess(["--sandbox", "none", "--output-format", "json", "do everything"], {
      cwd: home.workspace,
      env: home.env({ ANTHROPIC_API_KEY: "sk-ant-test-key-1234", ANTHROPIC_BASE_URL: fake.url }),
    });
    expect(res.exitCode).toBe(0);
    const messages = (fake.bodies.at(-1) as { messages: { content: unknown }[] }).messages;
    const results = messages
      .flatMap((m) => (Array.isArray(m.content) ? (m.content as { type: string; content?: unknown }[]) : []))
      .filter((b) => b.type === "tool_result")
      .map((b) => JSON.stringify(b.content));
    expect(results).toHaveLength(100);
    const capText =
      "Not executed: this reply asked for 100 tool calls; at most 64 run per reply. Ask for fewer at a time.";
    expect(results[63]).not.toContain(capText);
    expect(results[64]).toContain(capText);
    expect(results[99]).toContain(capText);
  }, 30_000);
});
