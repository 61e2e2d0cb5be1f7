import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { type LoggingLevel, SetLevelRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const SEVERITY: readonly LoggingLevel[] = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
];

/** The client's `logging/setLevel` choice for one server instance (one MCP session). */
export interface LogLevelGate {
  allows(level: LoggingLevel): boolean;
  readonly level: LoggingLevel | undefined;
}

/** Installs a `logging/setLevel` handler that remembers the level, so tool logs can be filtered per session. */
export function installLogLevelGate(server: McpServer): LogLevelGate {
  let current: LoggingLevel | undefined;
  server.server.setRequestHandler(SetLevelRequestSchema, (request) => {
    current = request.params.level;
    return {};
  });
  return {
    allows: (level) => current === undefined || SEVERITY.indexOf(level) >= SEVERITY.indexOf(current),
    get level() {
      return current;
    },
  };
}
