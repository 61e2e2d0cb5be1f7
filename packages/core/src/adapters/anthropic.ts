import type { AnyToolDefinition, JsonSchema, ToolRegistry } from "@ml-intern/tool";
import { schemasOf } from "./schemas.ts";
import {
  createToolRunner,
  type RunOptions,
  type ToolCallOutcome,
  type ToolCallRequest,
  type ToolRunner,
  type ToolRunnerOptions,
} from "./tool-runner.ts";

/** A custom tool for the Anthropic Messages API (assignable to the SDK's `Anthropic.Tool`). */
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: { type: "object"; [key: string]: unknown };
}

/** A `tool_use` content block as the Messages API returns it. */
export interface AnthropicToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
}

/** The `tool_result` block answering one `tool_use` (goes in the next user message). */
export interface AnthropicToolResultBlock {
  type: "tool_result";
  tool_use_id: string;
  content: string;
  is_error?: boolean;
}

function objectSchema(schema: JsonSchema): AnthropicTool["input_schema"] {
  return { ...schema, type: "object" };
}

/** Tool definitions (or a registry, filters applied) as Messages API `tools`. */
export function toAnthropicTools(tools: readonly AnyToolDefinition[] | ToolRegistry): AnthropicTool[] {
  return schemasOf(tools).map((s) => ({
    name: s.name,
    description: s.description,
    input_schema: objectSchema(s.inputSchema),
  }));
}

function isToolUse(block: { type: string }): block is AnthropicToolUseBlock {
  const b = block as Partial<AnthropicToolUseBlock>;
  return block.type === "tool_use" && typeof b.id === "string" && typeof b.name === "string";
}

/** The tool_use blocks of an assistant message's content, normalised. */
export function anthropicToolCalls(content: readonly { type: string }[]): ToolCallRequest[] {
  return content.filter(isToolUse).map((b) => ({ id: b.id, name: b.name, input: b.input ?? {} }));
}

export function toAnthropicToolResult(outcome: ToolCallOutcome): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = {
    type: "tool_result",
    tool_use_id: outcome.id,
    content: outcome.text || "(no output)",
  };
  if (outcome.isError) block.is_error = true;
  return block;
}

export interface AnthropicToolRunner {
  /** Pass as `tools` to `client.messages.create`. */
  readonly tools: AnthropicTool[];
  readonly runner: ToolRunner;
  /**
   * Runs every tool_use block of an assistant message's `content` and returns one tool_result block per
   * call, in order: send them back as `{ role: "user", content: results }`. Empty when there were no calls.
   */
  runToolUses(
    content: readonly { type: string }[],
    options?: RunOptions,
  ): Promise<AnthropicToolResultBlock[]>;
}

/** Hands ML Intern tools to a plain `@anthropic-ai/sdk` loop. */
export function createAnthropicToolRunner(options: ToolRunnerOptions): AnthropicToolRunner {
  const runner = createToolRunner(options);
  return {
    tools: toAnthropicTools(runner.registry),
    runner,
    async runToolUses(content, runOptions) {
      const outcomes = await runner.run(anthropicToolCalls(content), runOptions);
      return outcomes.map(toAnthropicToolResult);
    },
  };
}
