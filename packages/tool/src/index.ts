export {
  type ApprovalAnswer,
  type ApprovalCandidate,
  type ApprovalDecision,
  type ApprovalGate,
  evaluateApprovalRequirement,
  type GateVerdict,
  noApprovalGate,
  noApproverReason,
} from "./approval.ts";
export type { Env } from "./env.ts";
export { type JsonSchema, type ToolSchema, toJsonSchema, toToolSchema } from "./json-schema.ts";
export {
  type ApprovalPrompt,
  type PreparedToolCall,
  prepareToolCall,
  runTool,
  runToolCall,
  runToolCalls,
  type ToolCallHooks,
  type ToolCallOptions,
  type ToolCallOutcome,
  type ToolCallRequest,
  type ToolCallState,
  type ToolCallStatus,
} from "./tool-call.ts";
export { toolCallText } from "./tool-call-text.ts";
export {
  type AnyToolDefinition,
  type ApprovalKind,
  type ApprovalRequirement,
  defineTool,
  errorResult,
  type ToolAnnotations,
  type ToolAuth,
  type ToolContext,
  type ToolDefinition,
  type ToolResult,
  textResult,
} from "./tool-definition.ts";
export {
  applyToolFilter,
  checkToolFilterNames,
  type ToolFilter,
  type ToolFilterLabels,
} from "./tool-filter.ts";
export {
  createToolRegistry,
  formatZodIssues,
  type SpillOutput,
  type ToolRegistry,
  type ToolRegistryOptions,
  type ValidationOutcome,
} from "./tool-registry.ts";
export {
  DEFAULT_OUTPUT_BUDGET_CHARS,
  type Truncated,
  type TruncateOptions,
  truncateMiddle,
} from "./truncate.ts";
