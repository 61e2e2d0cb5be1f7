import type { AnyToolDefinition, ToolRegistry } from "@ml-intern/tool";
import { schemasOf } from "./schemas.ts";
import {
  createToolRunner,
  type RunOptions,
  type ToolCallOutcome,
  type ToolCallRequest,
  type ToolRunner,
  type ToolRunnerOptions,
} from "./tool-runner.ts";

/** A function tool for Chat Completions (assignable to the SDK's `ChatCompletionFunctionTool`). */
export interface OpenAIFunctionTool {
  type: "function";
  function: { name: string; description: string; parameters: { [key: string]: unknown } };
}

/** One entry of an assistant message's `tool_calls`. Non-function (custom) calls are answered with an error. */
export interface OpenAIToolCallLike {
  id: string;
  type?: string;
  function?: { name: string; arguments: string };
  custom?: { name: string; input: string };
}

/** The `role: "tool"` message answering one call. */
export interface OpenAIToolMessage {
  role: "tool";
  tool_call_id: string;
  content: string;
}

/** Tool definitions (or a registry, filters applied) as Chat Completions `tools`. */
export function toOpenAITools(tools: readonly AnyToolDefinition[] | ToolRegistry): OpenAIFunctionTool[] {
  return schemasOf(tools).map((s) => ({
    type: "function",
    function: { name: s.name, description: s.description, parameters: s.inputSchema },
  }));
}

export function toOpenAIToolMessage(outcome: ToolCallOutcome): OpenAIToolMessage {
  return {
    role: "tool",
    tool_call_id: outcome.id,
    content: outcome.isError ? `ERROR: ${outcome.text}` : outcome.text || "(no output)",
  };
}

export interface OpenAIToolRunner {
  /** Pass as `tools` to `client.chat.completions.create`. */
  readonly tools: OpenAIFunctionTool[];
  readonly runner: ToolRunner;
  /**
   * Runs an assistant message's `tool_calls` (arguments are JSON text) and returns one tool message per
   * call, in order, to append to `messages` before the next request.
   */
  runToolCalls(
    toolCalls: readonly OpenAIToolCallLike[] | null | undefined,
    options?: RunOptions,
  ): Promise<OpenAIToolMessage[]>;
}

/** Hands ML Intern tools to an OpenAI-compatible chat-completions loop (OpenAI, HF router, vLLM, ...). */
export function createOpenAIToolRunner(options: ToolRunnerOptions): OpenAIToolRunner {
  const runner = createToolRunner(options);
  return {
    tools: toOpenAITools(runner.registry),
    runner,
    async runToolCalls(toolCalls, runOptions) {
      const calls = toolCalls ?? [];
      const requests: ToolCallRequest[] = [];
      for (const call of calls) {
        if (call.function)
          requests.push({ id: call.id, name: call.function.name, input: call.function.arguments });
      }
      const outcomes = new Map((await runner.run(requests, runOptions)).map((o) => [o.id, o]));
      return calls.map((call) => {
        const outcome = outcomes.get(call.id);
        if (outcome) return toOpenAIToolMessage(outcome);
        return {
          role: "tool",
          tool_call_id: call.id,
          content: `ERROR: '${call.custom?.name ?? call.type ?? "unknown"}' is not a function tool of this host; only function tools can be called.`,
        };
      });
    },
  };
}
