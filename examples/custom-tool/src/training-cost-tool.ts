import { defineTool } from "@ml-intern/tool";
import { JOB_HARDWARE_PRICES_USD_PER_HOUR } from "@ml-intern/tools-hf/pricing";
import { z } from "zod";
import description from "./training-cost-tool.txt" with { type: "text" };

const input = z.object({
  hardware: z.string().describe("Hugging Face Jobs flavor, e.g. a10g-large, a100-large, h200."),
  hours: z.number().positive().max(1_000).describe("Expected wall-clock hours of the run."),
  runs: z.number().int().min(1).max(100).default(1).describe("How many runs (e.g. a sweep); default 1."),
});

/** A custom tool: pure computation, so read-only, idempotent and closed-world. */
export const trainingCostTool = defineTool({
  name: "estimate_training_cost",
  description,
  toolset: "planning",
  input,
  annotations: {
    title: "Estimate training cost",
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  async execute({ hardware, hours, runs }) {
    const rate = JOB_HARDWARE_PRICES_USD_PER_HOUR[hardware];
    if (rate === undefined) {
      const known = Object.keys(JOB_HARDWARE_PRICES_USD_PER_HOUR).join(", ");
      return { isError: true, text: `Unknown hardware '${hardware}'. Use one of: ${known}.` };
    }
    const total = rate * hours * runs;
    return {
      text: `${runs} run(s) x ${hours} h on ${hardware} at $${rate.toFixed(2)}/h = **$${total.toFixed(2)}**`,
      structured: { hardware, hours, runs, usdPerHour: rate, totalUsd: Number(total.toFixed(2)) },
    };
  },
});
