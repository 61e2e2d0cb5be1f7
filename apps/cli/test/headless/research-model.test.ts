import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { jsonLines, runCliProcess, setupFakeAnthropicHome } from "../helpers/cli-harness.ts";

const cli = setupFakeAnthropicHome();

test("research_model runs the research sub-agent on its own model; the session keeps the main one", async () => {
  const config = join(cli.home.root.path, "research.json");
  writeFileSync(
    config,
    JSON.stringify({ research_model: "anthropic/claude-haiku-5-5", research_max_parallel: 2 }),
  );
  const isSub = (body: Record<string, unknown>) => !JSON.stringify(body.tools ?? []).includes('"research"');
  cli.fake.respondWith((body, i) =>
    isSub(body)
      ? { text: "Recipe: GRPOTrainer with a reward function." }
      : i === 0
        ? { toolCalls: [{ name: "research", input: { task: "GRPO recipes in TRL" } }] }
        : { text: "Use GRPOTrainer." },
  );
  const r = await runCliProcess(
    [
      "--sandbox",
      "none",
      "--config",
      config,
      "--model",
      "anthropic/claude-sonnet-5-5",
      "--output-format",
      "stream-json",
      "how do I train with GRPO?",
    ],
    {
      cwd: cli.home.workspace,
      env: cli.env(),
    },
  );
  expect(r.exitCode).toBe(0);
  const models = cli.fake.bodies.map((b) => `${isSub(b) ? "sub" : "main"}:${String(b.model)}`);
  expect(models).toEqual(["main:claude-sonnet-5-5", "sub:claude-haiku-5-5", "main:claude-sonnet-5-5"]);
  const output = jsonLines(r.stdout).find((e) => e.type === "tool_output" && e.tool === "research");
  expect(output?.output).toBe("Recipe: GRPOTrainer with a reward function.");
}, 60_000);
