/**
 * bun src/main.ts "What would 3 runs of 4 hours on a100-large cost?"
 * Model: ML_INTERN_MODEL (default moonshotai/Kimi-K2.6:novita through the HF router, needs HF_TOKEN); any
 * id createProvider understands works (anthropic/..., openai/..., ollama/...).
 */
import { createProvider } from "@ml-intern/core";
import { planWithCustomTool } from "./run.ts";

const provider = await createProvider(process.env.ML_INTERN_MODEL ?? "moonshotai/Kimi-K2.6:novita", {
  env: process.env,
});
const result = await planWithCustomTool({
  provider,
  prompt: process.argv.slice(2).join(" ") || "What would a 6 hour fine-tune on a10g-large cost?",
  onEvent: (e) => {
    if (e.type === "assistant_chunk") process.stdout.write(e.content);
    if (e.type === "tool_call") process.stderr.write(`\n> ${e.tool} ${JSON.stringify(e.arguments)}\n`);
  },
});
process.stdout.write(`\n[${result.status}]\n`);
