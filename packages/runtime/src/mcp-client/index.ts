export { adaptMcpTool, type McpToolInfo } from "./adapt-tool.ts";
export { remoteHeaders } from "./connect-server.ts";
export { contentToText } from "./content.ts";
export {
  createMcpManager,
  type McpManager,
  type McpManagerOptions,
  type McpServerStatus,
} from "./mcp-manager.ts";
export { mcpToolName } from "./tool-name.ts";
