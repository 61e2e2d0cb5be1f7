/**
 * Agent-loop overhead per iteration, excluding model time: an instant in-process model that always calls a
 * no-op tool, 300 iterations over a ~150k-token history.
 */

import {
  createAgent,
  createToolRegistry,
  defineTool,
  type LlmProvider,
  type LlmResponse,
  type Message,
} from "@ml-intern/core";
import { z } from "zod";

export interface LoopBenchResult {
  iterations: number;
  historyTokens: number;
  msPerIteration: number;
  peakRssMb: number;
}

function syntheticHistory(targetTokens: number): Message[] {
  const messages: Message[] = [{ role: "user", content: "Fine-tune a small model on my dataset." }];
  let chars = 0;
  let i = 0;
  const chunk = "training log line: step 100 loss 1.2345 lr 2e-5 grad_norm 0.98 tokens/s 12345\n".repeat(25);
  while (chars / 4 < targetTokens) {
    const id = `call_hist_${i++}`;
    messages.push({
      role: "assistant",
      content: "Checking progress.",
      toolCalls: [{ id, name: "noop", arguments: `{"n":${i}}` }],
    });
    messages.push({ role: "tool", toolCallId: id, name: "noop", content: chunk });
    chars += chunk.length + 60;
  }
  return messages;
}

export async function benchLoop(iterations = 300, historyTokens = 150_000): Promise<LoopBenchResult> {
  const noop = defineTool({
    name: "noop",
    description: "does nothing",
    toolset: "bench",
    input: z.object({ n: z.number().describe("counter") }),
    annotations: { readOnlyHint: true },
    async execute() {
      return { text: "ok" };
    },
  });
  let calls = 0;
  const provider: LlmProvider = {
    info: {
      id: "bench/instant",
      provider: "bench",
      wireModel: "instant",
      contextWindow: 1_000_000,
      maxOutputTokens: 1000,
      supportsThinking: false,
    },
    async complete(): Promise<LlmResponse> {
      calls++;
      return {
        message: {
          role: "assistant",
          content: "",
          toolCalls: [{ id: `c${calls}`, name: "noop", arguments: `{"n":${calls}}` }],
        },
        stopReason: "tool_use",
        usage: { inputTokens: historyTokens, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 },
        model: "instant",
      };
    },
  };
  const agent = createAgent({
    provider,
    tools: createToolRegistry({ tools: [noop] }),
    systemPrompt: "bench",
    messages: syntheticHistory(historyTokens),
    maxIterations: iterations,
    stream: false,
  });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = performance.now();
  await agent.send("go");
  const elapsed = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await agent.close();
  return { iterations: calls, historyTokens, msPerIteration: elapsed / calls, peakRssMb: peak / 1024 / 1024 };
}

if (import.meta.main) {
  const r = await benchLoop();
  console.log(
    `loop: ${r.iterations} iterations over ${r.historyTokens} tokens: ${r.msPerIteration.toFixed(3)} ms/iteration, peak RSS ${r.peakRssMb.toFixed(0)} MB`,
  );
}
