import {
  type AnyToolDefinition,
  type ApprovalGate,
  createAgent,
  createProvider,
  createToolRegistry,
} from "@ml-intern/core";
import { DEFAULT_MODEL } from "@ml-intern/runtime/model";
import type { FakeLlm } from "@ml-intern/testing";
import type { OpenAgent, OpenAgentRequest } from "../../src/session-runner.ts";

/** Calls that need approval are asked about; the rest run. */
const askGate: ApprovalGate = {
  decide: (batch) =>
    batch.map((c) => (c.requirement ? { action: "ask", reason: c.requirement.reason } : { action: "allow" })),
};

/** An OpenAgent that builds a real core agent talking to the fake Anthropic server. */
export function createFakeOpenAgent(
  fake: FakeLlm,
  tools: AnyToolDefinition[],
  options: { approval?: ApprovalGate } = {},
): {
  open: OpenAgent;
  requests: OpenAgentRequest[];
} {
  const requests: OpenAgentRequest[] = [];
  const open: OpenAgent = async (request) => {
    requests.push(request);
    if (request.sessionId) throw new Error(`No stored session "${request.sessionId}".`);
    const provider = await createProvider(DEFAULT_MODEL, {
      env: { ANTHROPIC_API_KEY: "sk-test", ANTHROPIC_BASE_URL: fake.url },
    });
    const agent = createAgent({
      provider,
      tools: createToolRegistry({ tools }),
      systemPrompt: "You are a test agent.",
      approval: options.approval ?? askGate,
      retry: { maxAttempts: 1 },
    });
    return { agent, dispose: () => agent.close() };
  };
  return { open, requests };
}
