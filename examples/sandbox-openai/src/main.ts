/**
 * bun src/main.ts ./workdir "Create fizzbuzz.py and run it for 1..15"
 * Needs OPENAI_API_KEY (or any OpenAI-compatible server via OPENAI_BASE_URL, e.g. https://router.huggingface.co/v1
 * with an HF token). Model: OPENAI_MODEL (default gpt-4.1-mini). Set SANDBOX_ISOLATION=none where bubblewrap is missing.
 */
import OpenAI from "openai";
import { runCodeTask } from "./run.ts";

const [workspace = "./workdir", ...words] = process.argv.slice(2);
const result = await runCodeTask({
  client: new OpenAI(),
  model: process.env.OPENAI_MODEL ?? "gpt-4.1-mini",
  workspace,
  task: words.join(" ") || "Write hello.py printing 'hello' and run it.",
  isolation: process.env.SANDBOX_ISOLATION === "none" ? "none" : "bwrap",
  onToolCall: (name, args) => process.stderr.write(`> ${name} ${args}\n`),
});
process.stdout.write(`${result.answer ?? "(no answer)"}\n`);
