import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { GetPromptResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import evaluateText from "./prompts/evaluate.txt" with { type: "text" };
import fineTuneText from "./prompts/fine-tune.txt" with { type: "text" };
import sotaText from "./prompts/sota.txt" with { type: "text" };

/** Fills `{{name}}` placeholders; unknown placeholders become empty. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? "");
}

const userMessage = (description: string, text: string): GetPromptResult => ({
  description,
  messages: [{ role: "user", content: { type: "text", text } }],
});

/** Prompts for the common workflows: fine-tune, evaluate, find the state of the art. */
export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    "fine_tune_model",
    {
      title: "Fine-tune a model on a dataset",
      description: "Plan and launch a fine-tuning run of a Hub model on a Hub dataset.",
      argsSchema: {
        model: z.string().describe("Base model repo id, e.g. Qwen/Qwen3-0.6B"),
        dataset: z.string().describe("Dataset repo id, e.g. trl-lib/Capybara"),
        goal: z.string().optional().describe("What the fine-tuned model should be good at"),
      },
    },
    ({ model, dataset, goal }) =>
      userMessage(
        `Fine-tune ${model} on ${dataset}`,
        fillTemplate(fineTuneText, { model, dataset, goal: goal ? ` so that it ${goal}` : "" }),
      ),
  );
  server.registerPrompt(
    "evaluate_model",
    {
      title: "Evaluate a model",
      description: "Evaluate a Hub model on a benchmark and compare with published scores.",
      argsSchema: {
        model: z.string().describe("Model repo id to evaluate"),
        benchmark: z.string().optional().describe("Benchmark or dataset to use, e.g. gsm8k"),
      },
    },
    ({ model, benchmark }) =>
      userMessage(
        `Evaluate ${model}`,
        fillTemplate(evaluateText, { model, benchmark: benchmark ? ` on ${benchmark}` : "" }),
      ),
  );
  server.registerPrompt(
    "state_of_the_art",
    {
      title: "Find the state of the art",
      description: "Survey recent papers, models and datasets for an ML task.",
      argsSchema: { task: z.string().describe("The ML task, e.g. 'speech recognition for French'") },
    },
    ({ task }) => userMessage(`State of the art for ${task}`, fillTemplate(sotaText, { task })),
  );
}
