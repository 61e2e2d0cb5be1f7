import {
  type AnyToolDefinition,
  applyToolFilter,
  type SpillOutput,
  type ToolAuth,
  type ToolFilter,
} from "@ml-intern/core";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import type { RunAgent } from "./agent-run.ts";
import { createAgentTool } from "./agent-tool.ts";
import { createMcpElicitor } from "./elicit-approval.ts";
import { installLogLevelGate } from "./log-level.ts";
import { registerPrompts } from "./prompts.ts";
import { registerTaskToolDefinition } from "./register-task-tool.ts";
import { registerToolDefinition, type ToolCallExtra } from "./register-tool.ts";
import { DEFAULT_INSTRUCTIONS, SERVER_CAPABILITIES, SERVER_NAME, SERVER_VERSION } from "./server-identity.ts";
import { registerSessionResources, type SessionTraceSource } from "./session-resources.ts";
import { createMcpTaskStore, type McpTaskStore } from "./task-store.ts";
import { installToolListHandler } from "./tool-list.ts";

export { SERVER_NAME, SERVER_VERSION } from "./server-identity.ts";

export interface McpServerDeps {
  /** The tool definitions to serve (see @ml-intern/runtime's createToolCatalog). */
  tools: readonly AnyToolDefinition[];
  /** --toolsets / --tools / --exclude-tools / --read-only; applied once, with core's precedence. */
  filter?: ToolFilter;
  /** Serves the whole agent as the `ml_intern` tool when present. */
  runAgent?: RunAgent;
  /** Serves session traces as resources when present. */
  traces?: SessionTraceSource;
  /** Per-call credentials from the request (HTTP Authorization); undefined means the configured tokens. */
  getAuth?: (extra: ToolCallExtra) => ToolAuth | undefined;
  /** Shared across server instances (building one per instance is costly). */
  jsonSchemaValidator?: jsonSchemaValidator;
  instructions?: string;
  outputBudgetChars?: number;
  /** Saves the full text of an over-budget tool result (see createFileSpill); without it the text is only cut. */
  spill?: SpillOutput;
  /**
   * Task state of this instance (long-running tools as MCP tasks); a new store when absent, no task support
   * with false (stateless HTTP: no instance outlives its request).
   */
  tasks?: McpTaskStore | false;
}

/** The tools this server will expose for the deps, after filtering (the agent tool included). */
export function servedTools(
  deps: Pick<McpServerDeps, "filter"> & { tools: readonly AnyToolDefinition[] },
  extra: AnyToolDefinition[] = [],
): AnyToolDefinition[] {
  return applyToolFilter([...deps.tools, ...extra], deps.filter);
}

/** The tools a server built from these deps lists, in its order (the ml_intern tool included when it passes the filter). */
export function servedToolDefinitions(
  deps: Pick<McpServerDeps, "filter" | "runAgent"> & { tools: readonly AnyToolDefinition[] },
): AnyToolDefinition[] {
  const extra = deps.runAgent ? [createAgentTool({ runAgent: deps.runAgent })] : [];
  return servedTools(deps, extra);
}

/** The names of the tools a server built from these deps lists. */
export function servedToolNames(
  deps: Pick<McpServerDeps, "filter" | "runAgent"> & { tools: readonly AnyToolDefinition[] },
): string[] {
  return servedToolDefinitions(deps).map((t) => t.name);
}

/** One MCP server instance (one per stdio process, per HTTP session, or per stateless request). */
export function createMcpServer(deps: McpServerDeps): McpServer {
  const taskStore = deps.tasks === false ? undefined : (deps.tasks ?? createMcpTaskStore());
  const { tasks: taskCapabilities, ...capabilities } = structuredClone(SERVER_CAPABILITIES);
  const options: ConstructorParameters<typeof McpServer>[1] = {
    capabilities: taskStore ? { ...capabilities, tasks: taskCapabilities } : capabilities,
    instructions: deps.instructions ?? DEFAULT_INSTRUCTIONS,
  };
  if (taskStore) options.taskStore = taskStore;
  if (deps.jsonSchemaValidator) options.jsonSchemaValidator = deps.jsonSchemaValidator;
  const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION }, options);
  const logLevel = installLogLevelGate(server);

  const extra: AnyToolDefinition[] = [];
  if (deps.runAgent) {
    extra.push(
      createAgentTool({
        runAgent: deps.runAgent,
        getElicitor: () =>
          server.server.getClientCapabilities()?.elicitation ? createMcpElicitor(server) : undefined,
      }),
    );
  }
  const fallbackSessionId = crypto.randomUUID();
  const toolOptions = {
    getAuth: deps.getAuth,
    logLevel,
    fallbackSessionId,
    outputBudgetChars: deps.outputBudgetChars,
    spill: deps.spill,
  };
  const served = servedTools(deps, extra);
  for (const def of served) {
    if (taskStore && def.longRunning)
      registerTaskToolDefinition(server, def, { ...toolOptions, store: taskStore });
    else registerToolDefinition(server, def, toolOptions);
  }
  installToolListHandler(server, served, { tasks: taskStore !== undefined });
  if (taskStore) {
    const previous = server.server.onclose;
    server.server.onclose = () => {
      taskStore.cancelAll("The MCP server closed.");
      previous?.();
    };
  }
  registerPrompts(server);
  if (deps.traces) registerSessionResources(server, deps.traces);
  return server;
}
