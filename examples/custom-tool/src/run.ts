import {
  type AgentEvent,
  type AnyToolDefinition,
  createAgent,
  createToolRegistry,
  type LlmProvider,
  type TurnResult,
} from "@ml-intern/core";
import { trainingCostTool } from "./training-cost-tool.ts";

export interface PlanOptions {
  provider: LlmProvider;
  prompt: string;
  /** Other tools to offer next to the custom one (e.g. createHfTools(...)). */
  extraTools?: readonly AnyToolDefinition[];
  onEvent?: (event: AgentEvent) => void;
}

/** One agent turn with the custom tool registered next to any others. */
export async function planWithCustomTool(options: PlanOptions): Promise<TurnResult> {
  const agent = createAgent({
    provider: options.provider,
    tools: createToolRegistry({
      tools: [trainingCostTool as AnyToolDefinition, ...(options.extraTools ?? [])],
    }),
    systemPrompt: "You plan ML training runs. Always estimate the cost with estimate_training_cost first.",
    maxIterations: 10,
  });
  const unsubscribe = options.onEvent ? agent.subscribe(options.onEvent) : () => {};
  try {
    return await agent.send(options.prompt);
  } finally {
    unsubscribe();
    await agent.close();
  }
}
