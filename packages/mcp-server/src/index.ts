export type { AgentRunRequest, AgentRunResult, ApprovalElicitor, RunAgent } from "./agent-run.ts";
export { AGENT_TOOL_NAME, type AgentToolOptions, createAgentTool, describeAgentEvent } from "./agent-tool.ts";
export { MCP_USAGE, type McpCommandArgs, parseMcpArgs, UsageError } from "./cli-args.ts";
export {
  type CreateMlInternAgent,
  createDefaultOpenAgent,
  type DefaultOpenAgentOptions,
  loadCreateMlInternAgent,
  type MlInternAgentHandle,
  type MlInternAgentRequest,
} from "./default-agent.ts";
export { driveAgentTurn } from "./drive-turn.ts";
export { createMcpElicitor } from "./elicit-approval.ts";
export { createMemoryEventStore } from "./event-store.ts";
export { createFileSpill, type FileSpillOptions } from "./file-spill.ts";
export {
  checkHostAndOrigin,
  createHostGuard,
  type HostGuardOptions,
  hostnameOf,
  isLoopbackHost,
} from "./host-guard.ts";
export { createMcpHttpApp, type McpHttpApp, type McpHttpAppDeps } from "./http-app.ts";
export { installLogLevelGate, type LogLevelGate } from "./log-level.ts";
export {
  createMemoryGovernor,
  type MemoryGovernor,
  type MemoryGovernorOptions,
} from "./memory-governor.ts";
export { fillTemplate, registerPrompts } from "./prompts.ts";
export {
  createToolHandler,
  invalidArgumentsText,
  type McpToolHandler,
  type RegisterToolOptions,
  registerToolDefinition,
  type ToolCallExtra,
  toMcpAnnotations,
} from "./register-tool.ts";
export { type McpCommandIo, runMcpCommand } from "./run-mcp-command.ts";
export { type RunningHttpServer, type ServeHttpOptions, serveHttp } from "./serve-http.ts";
export { type StdioDeps, type StdioServing, serveStdio } from "./serve-stdio.ts";
export {
  createMcpServer,
  type McpServerDeps,
  SERVER_NAME,
  SERVER_VERSION,
  servedToolDefinitions,
  servedToolNames,
  servedTools,
} from "./server.ts";
export {
  registerSessionResources,
  SESSION_URI_PREFIX,
  type SessionStoreLike,
  type SessionTraceSource,
  type SessionTraceSummary,
  traceSourceFromStore,
} from "./session-resources.ts";
export {
  createSessionRunner,
  type OpenAgent,
  type OpenAgentRequest,
  type OpenedAgent,
  type SessionRunner,
} from "./session-runner.ts";
export { installToolListHandler, toMcpTool, toolListResult } from "./tool-list.ts";
export {
  createToolsListFastPath,
  type ToolsListFastPath,
  type ToolsListTarget,
} from "./tools-list-fast-path.ts";
