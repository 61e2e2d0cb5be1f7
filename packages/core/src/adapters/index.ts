export {
  type AnthropicTool,
  type AnthropicToolResultBlock,
  type AnthropicToolRunner,
  type AnthropicToolUseBlock,
  anthropicToolCalls,
  createAnthropicToolRunner,
  toAnthropicToolResult,
  toAnthropicTools,
} from "./anthropic.ts";
export {
  createOpenAIToolRunner,
  type OpenAIFunctionTool,
  type OpenAIToolCallLike,
  type OpenAIToolMessage,
  type OpenAIToolRunner,
  toOpenAIToolMessage,
  toOpenAITools,
} from "./openai.ts";
export {
  createToolRunner,
  type RunOptions,
  type ToolApprovalAnswer,
  type ToolApprovalHandler,
  type ToolApprovalRequest,
  type ToolCallOutcome,
  type ToolCallRequest,
  type ToolCallStatus,
  type ToolRunner,
  type ToolRunnerOptions,
} from "./tool-runner.ts";
