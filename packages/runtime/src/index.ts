export {
  createMlInternAgent,
  type MlInternAgent,
  type MlInternAgentOptions,
  type SpendSummary,
  secretValuesFrom,
} from "./agent/create-ml-intern-agent.ts";
export {
  createToolCatalog,
  isLocalSandbox,
  loadSessionTools,
  type SandboxChoice,
  type SessionTools,
  type SessionToolsOptions,
  type ToolCatalogOptions,
} from "./catalog/tool-catalog.ts";
export {
  AGENT_DEFAULTS,
  BUILTIN_CONFIG_SOURCE,
  builtinConfigObject,
  configSchema,
  deepMerge,
  isStdioServer,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  loadDotEnv,
  type McpServerConfig,
  type MlInternConfig,
  mcpServerSchema,
  parseEnvFile,
  type RemoteServerConfig,
  type StdioServerConfig,
  SubstitutionError,
  substituteEnv,
  userConfigPath,
  userEnvPath,
} from "./config/index.ts";
export { RuntimeError, type RuntimeErrorKind } from "./errors.ts";
export { type HostCommand, type HostCommandIo, MCP_HOST_ENTRY, type McpHostModule } from "./host.ts";
export {
  adaptMcpTool,
  contentToText,
  createMcpManager,
  type McpManager,
  type McpManagerOptions,
  type McpServerStatus,
  type McpToolInfo,
  mcpToolName,
  remoteHeaders,
} from "./mcp-client/index.ts";
export {
  chooseDefaultModel,
  DEFAULT_MODEL,
  DEFAULT_REASONING_EFFORT,
  DEFAULT_ROUTER_MODEL,
  effortOf,
} from "./model/default-model.ts";
export {
  buildSystemPrompt,
  describeHubIdentity,
  type HubIdentity,
  JOBS_HARDWARE_GUIDE_SLOT,
  LOCAL_MODE_PROMPT,
  MAIN_SYSTEM_PROMPT,
  RESEARCH_SYSTEM_PROMPT,
  type ResolveHubIdentityOptions,
  renderMainPrompt,
  renderSessionContext,
  resolveHubIdentity,
  type SessionContext,
  type SystemPromptInput,
  settleHubIdentity,
} from "./prompts/index.ts";
