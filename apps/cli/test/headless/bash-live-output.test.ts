import { expect, test } from "bun:test";
import { jsonLines, runCliProcess, setupFakeAnthropicHome } from "../helpers/cli-harness.ts";

const cli = setupFakeAnthropicHome();

test("bash output reaches the user while the command runs (stream-json tool_log), the model gets it whole", async () => {
  const command = "echo first-line; sleep 1; printf '\\033[31msecond-line\\033[0m\\n'";
  cli.fake.enqueue({ toolCalls: [{ name: "bash", input: { command } }] }, { text: "Ran it." });
  const r = await runCliProcess(["--output-format", "stream-json", "run the command"], {
    cwd: cli.home.workspace,
    env: cli.env(),
  });
  expect(r.exitCode).toBe(0);
  const events = jsonLines(r.stdout);
  const logs = events.filter((e) => e.type === "tool_log" && e.tool === "bash" && e.label === "bash");
  // Two batches: the first line was shown before the second existed.
  expect(logs.map((e) => e.log)).toEqual(["first-line", "second-line"]);
  const outputAt = events.findIndex((e) => e.type === "tool_output" && e.tool === "bash");
  expect(events.indexOf(logs[1]!)).toBeLessThan(outputAt);
  expect(String(events[outputAt]?.output)).toContain("first-line\nsecond-line");
  // The live lines are the user's: the model's next request carries the output once, in the result.
  const lastModelRequest = cli.fake.requests.filter((q) => q.path === "/v1/messages").at(-1)?.body ?? "{}";
  const sent = (JSON.parse(lastModelRequest) as { messages: { content: unknown }[] }).messages;
  const blocks = sent.flatMap((m) => (Array.isArray(m.content) ? m.content : [])) as {
    type: string;
    content?: unknown;
  }[];
  const results = blocks.filter((b) => b.type === "tool_result");
  expect(results).toHaveLength(1);
  expect(JSON.stringify(results[0]?.content)).toContain("first-line\\nsecond-line");
  // Nothing else the model reads carries the output (the command itself names it once).
  expect(lastModelRequest.split("second-line").length - 1).toBe(2);
}, 60_000);
