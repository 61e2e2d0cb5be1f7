/**
 * bun src/main.ts "Which text-classification models does the Hub rank highest?"
 * Needs ANTHROPIC_API_KEY; HF_TOKEN is optional (private repos, jobs). Base URLs: ANTHROPIC_BASE_URL, HF_ENDPOINT.
 */
import Anthropic from "@anthropic-ai/sdk";
import { hfConfigFromEnv } from "@ml-intern/tools-hf";
import { askWithHfTools } from "./run.ts";

const prompt =
  process.argv.slice(2).join(" ") || "What are the three most downloaded text-classification models?";
const result = await askWithHfTools({
  client: new Anthropic(),
  hf: hfConfigFromEnv(process.env),
  prompt,
  model: process.env.ANTHROPIC_MODEL,
  onToolCall: (name, input) => process.stderr.write(`> ${name} ${JSON.stringify(input)}\n`),
});
process.stdout.write(`${result.answer}\n`);
