import type { FakeLlm } from "@ml-intern/testing";
import { createToolRegistry, defineTool } from "@ml-intern/tool";
import { z } from "zod";
import { type AgentOptions, createAgent } from "../../src/agent/agent.ts";
import type { AgentEvent } from "../../src/agent/events.ts";
import { createProvider } from "../../src/llm/create-provider.ts";

export const echoTool = defineTool({
  name: "echo",
  description: "Echo the text back",
  toolset: "test",
  input: z.object({ text: z.string().describe("text to echo") }),
  annotations: { readOnlyHint: true },
  async execute({ text }) {
    return { text: `echo: ${text}` };
  },
});

export async function anthropicProvider(fake: FakeLlm, model = "anthropic/claude-sonnet-5-5") {
  return createProvider(model, {
    env: { ANTHROPIC_API_KEY: "sk-ant-test-key", ANTHROPIC_BASE_URL: fake.url },
  });
}

export async function openaiRouterProvider(fake: FakeLlm, model = "moonshotai/Kimi-K2.6:novita") {
  return createProvider(model, { env: { HF_TOKEN: "hf_testtoken123456", HF_ROUTER_URL: `${fake.url}/v1` } });
}

export async function testAgent(fake: FakeLlm, overrides: Partial<AgentOptions> = {}) {
  const provider = overrides.provider ?? (await anthropicProvider(fake));
  const agent = createAgent({
    provider,
    tools: createToolRegistry({ tools: [echoTool] }),
    systemPrompt: "You are a test agent.",
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
  const events: AgentEvent[] = [];
  agent.subscribe((e) => events.push(e));
  return { agent, events, types: () => events.map((e) => e.type) };
}

/** Waits until an event matching the predicate has been seen (bounded). */
export function waitForEvent(
  events: AgentEvent[],
  predicate: (e: AgentEvent) => boolean,
  timeoutMs = 5000,
): Promise<AgentEvent> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const hit = events.find(predicate);
      if (hit) return resolve(hit);
      if (Date.now() - started > timeoutMs) return reject(new Error("timed out waiting for event"));
      setTimeout(tick, 2);
    };
    tick();
  });
}
