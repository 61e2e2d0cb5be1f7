import {
  type Agent,
  type ApprovalGate,
  createAgent,
  createToolRegistry,
  type LlmProvider,
} from "@ml-intern/core";
import { createHfTools, type HfConfig } from "@ml-intern/tools-hf";

/** Read-only calls run; anything a tool marks as needing approval is asked of the HTTP client. */
export const askForApproval: ApprovalGate = {
  decide: (batch) => batch.map((c) => (c.requirement ? { action: "ask" } : { action: "allow" })),
};

export function createHfAgent(provider: LlmProvider, hf: HfConfig): Agent {
  return createAgent({
    provider,
    tools: createToolRegistry({ tools: createHfTools({ config: hf }) }),
    systemPrompt: "You are an ML engineering assistant working on the Hugging Face Hub. Be concise.",
    approval: askForApproval,
    maxIterations: 20,
  });
}
