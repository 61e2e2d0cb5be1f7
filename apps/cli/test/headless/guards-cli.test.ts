import { describe, expect, test } from "bun:test";
import { runCliProcess, setupFakeAnthropicHome } from "../helpers/cli-harness.ts";

const cli = setupFakeAnthropicHome();

const run = (args: string[]) =>
  runCliProcess(["--sandbox", "none", ...args], {
    cwd: cli.home.workspace,
    env: cli.env(),
  });

const openPlan = {
  name: "plan_tool",
  input: {
    todos: [
      { id: "1", content: "Train the model", status: "in_progress" },
      { id: "2", content: "Push it", status: "pending" },
    ],
  },
};
const bash = (command: string) => ({ toolCalls: [{ name: "bash", input: { command } }] });
const lastUserText = (body: Record<string, unknown> | undefined): string => {
  const messages = (body as { messages: { role: string; content: unknown }[] }).messages;
  return JSON.stringify(messages.at(-1)?.content ?? "");
};
const guardNotes = (body: Record<string, unknown> | undefined): number =>
  (JSON.stringify(body).match(/CONTINUATION GUARD/g) ?? []).length;

const REPORT =
  "## Results\n\n| run | loss |\n| --- | --- |\n| a | 0.42 |\n\nModel: https://huggingface.co/alice/m";

describe("guards through the headless CLI", () => {
  test("a report given while the plan is open stays the answer (json response and text output)", async () => {
    cli.fake.enqueue({ toolCalls: [openPlan] }, { text: REPORT }, { text: "Done." }, { text: "Done." });
    const json = await run(["--output-format", "json", "train and report"]);
    expect(json.exitCode).toBe(0);
    expect((JSON.parse(json.stdout) as { response: string }).response).toBe(REPORT);
    expect(lastUserText(cli.fake.bodies.at(-1))).toContain("CONTINUATION GUARD");

    cli.fake.enqueue({ toolCalls: [openPlan] }, { text: REPORT }, { text: "Done." }, { text: "Done." });
    const text = await run(["train and report"]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toBe(`${REPORT}\n`);
  }, 30_000);

  test("at most 2 continuation nudges in a turn, with tool calls between them", async () => {
    const before = cli.fake.bodies.length;
    cli.fake.enqueue(
      { toolCalls: [openPlan] },
      { text: "Report one." },
      bash("echo a"),
      { text: "Report two." },
      bash("echo b"),
      { text: "Report three." },
    );
    const r = await run(["--output-format", "json", "work on it"]);
    expect(r.exitCode).toBe(0);
    const bodies = cli.fake.bodies.slice(before);
    // 6 model calls: nudged after "Report one." and "Report two.", not after "Report three."
    expect(bodies).toHaveLength(6);
    expect(lastUserText(bodies[2])).toContain("CONTINUATION GUARD");
    expect(lastUserText(bodies[4])).toContain("CONTINUATION GUARD");
    expect(guardNotes(bodies[5])).toBe(2);
    expect((JSON.parse(r.stdout) as { response: string }).response).toBe("Report three.");
  }, 30_000);

  test("--continue sends no guard text from the previous turn", async () => {
    cli.fake.enqueue(bash("ls"), bash("ls"), bash("ls"), { text: "I kept listing; stopping." });
    const first = await run(["--output-format", "json", "list files"]);
    expect(first.exitCode).toBe(0);
    expect(JSON.stringify(cli.fake.bodies.at(-1))).toContain("REPETITION GUARD");

    cli.fake.enqueue({ text: "Here is the summary." });
    const second = await run(["--continue", "summarise"]);
    expect(second.exitCode).toBe(0);
    const body = JSON.stringify(cli.fake.bodies.at(-1));
    expect(body).toContain("list files");
    expect(body).not.toContain("REPETITION GUARD");
    expect(body).not.toContain("CONTINUATION GUARD");
    expect(second.stderr).not.toMatch(/repetition/i);
    expect(second.stdout).toBe("Here is the summary.\n");
  }, 30_000);

  test("an empty reply is reported as what it is: non-zero exit, not success", async () => {
    cli.fake.enqueue({ text: "" });
    const r = await run(["--output-format", "json", "hello"]);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      response: null,
      error: { type: "empty_response", code: 1 },
    });
  }, 30_000);
});
