import { describe, expect, test } from "bun:test";
import { runCliProcess, setupFakeAnthropicHome } from "../helpers/cli-harness.ts";

const cli = setupFakeAnthropicHome();

describe("tool-call cap through the headless CLI", () => {
  test("a reply with 100 tool calls: the calls beyond 64 reach the model as the cap text", async () => {
    const calls = Array.from({ length: 100 }, (_, n) => ({ name: "no_such_tool", input: { n } }));
    cli.fake.enqueue({ toolCalls: calls }, { text: "Fewer next time." });
    const res = await runCliProcess(["--sandbox", "none", "--output-format", "json", "do everything"], {
      cwd: cli.home.workspace,
      env: cli.env(),
    });
    expect(res.exitCode).toBe(0);
    const messages = (cli.fake.bodies.at(-1) as { messages: { content: unknown }[] }).messages;
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
