import type { AnyToolDefinition, Env, ToolContext, ToolResult } from "@ml-intern/core";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { McpServerConfig } from "../config/schema.ts";
import { adaptMcpTool, type McpToolInfo } from "./adapt-tool.ts";
import { connectServer } from "./connect-server.ts";
import { contentToText, type McpContentBlock } from "./content.ts";

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;
const MAX_LIST_PAGES = 20;

export type McpServerStatus =
  | { name: string; status: "connected"; transport: string; toolCount: number }
  | { name: string; status: "disabled" }
  | { name: string; status: "failed"; error: string };

export interface McpManagerOptions {
  servers: Readonly<Record<string, McpServerConfig>>;
  env: Env;
  /** Sent only to Hugging Face hosts. */
  hfToken?: string;
  hubUrl?: string;
  /** The namespaces the token's owner controls; their `*.hf.space` servers get the HF token too. */
  spaceNamespaces?: () => Promise<readonly string[]>;
  fetch?: typeof fetch;
  clientVersion?: string;
  /** Default per-server connect timeout; a server's `connect_timeout` (seconds) overrides it. */
  connectTimeoutMs?: number;
  /** Default per-call timeout; a server's `timeout` (seconds) overrides it. */
  callTimeoutMs?: number;
  /** Warnings for the user (stderr). */
  warn?: (message: string) => void;
}

export interface McpManager {
  /** Connects every enabled server in parallel; a broken one is reported and skipped. */
  start(signal?: AbortSignal): Promise<{ tools: AnyToolDefinition[]; statuses: McpServerStatus[] }>;
  statuses(): readonly McpServerStatus[];
  close(): Promise<void>;
}

interface Live {
  client: Client;
  close(): Promise<void>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function listAllTools(client: Client, timeoutMs: number): Promise<McpToolInfo[]> {
  const tools: McpToolInfo[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const result = await client.listTools(cursor ? { cursor } : {}, { timeout: timeoutMs });
    tools.push(...(result.tools as McpToolInfo[]));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}

export function createMcpManager(options: McpManagerOptions): McpManager {
  const live = new Map<string, Live>();
  let statuses: McpServerStatus[] = [];
  const warn = options.warn ?? ((m: string) => process.stderr.write(`${m}\n`));

  const callFor =
    (server: string, client: Client, timeoutMs: number) =>
    async (tool: string, args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult> => {
      const { CallToolResultSchema } = await import("@modelcontextprotocol/sdk/types.js");
      try {
        const result = await client.callTool({ name: tool, arguments: args }, CallToolResultSchema, {
          signal: ctx.signal,
          timeout: timeoutMs,
          resetTimeoutOnProgress: true,
          onprogress: (p) => ctx.progress(p.progress, p.total, p.message),
        });
        const text = contentToText(result.content as McpContentBlock[] | undefined);
        const structured = result.structuredContent as Record<string, unknown> | undefined;
        return {
          text: text || (structured ? JSON.stringify(structured) : "(no output)"),
          ...(structured ? { structured } : {}),
          ...(result.isError ? { isError: true } : {}),
        };
      } catch (error) {
        if (ctx.signal.aborted) return { text: "Cancelled.", isError: true };
        return {
          text: `MCP server "${server}" failed to run ${tool}: ${errorText(error)}`,
          isError: true,
        };
      }
    };

  return {
    async start(signal) {
      const entries = Object.entries(options.servers);
      const outcomes = await Promise.all(
        entries.map(
          async ([name, config]): Promise<{ status: McpServerStatus; tools: AnyToolDefinition[] }> => {
            if (!config.enabled) return { status: { name, status: "disabled" }, tools: [] };
            const connectMs = config.connect_timeout
              ? config.connect_timeout * 1000
              : (options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
            const callMs = config.timeout
              ? config.timeout * 1000
              : (options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
            try {
              const server = await connectServer(config, {
                env: options.env,
                hfToken: options.hfToken,
                hubUrl: options.hubUrl,
                spaceNamespaces: options.spaceNamespaces,
                fetch: options.fetch,
                clientInfo: { name: "ml-intern", version: options.clientVersion ?? "0.0.0" },
                timeoutMs: connectMs,
                signal,
              });
              let infos: McpToolInfo[];
              try {
                infos = await listAllTools(server.client, connectMs);
              } catch (error) {
                await server.close().catch(() => {});
                throw error;
              }
              live.set(name, server);
              const call = callFor(name, server.client, callMs);
              const tools = infos.map((info) => adaptMcpTool(name, info, call));
              return {
                status: { name, status: "connected", transport: server.transport, toolCount: tools.length },
                tools,
              };
            } catch (error) {
              const message = errorText(error);
              warn(`MCP server "${name}" is unavailable and was skipped: ${message}`);
              return { status: { name, status: "failed", error: message }, tools: [] };
            }
          },
        ),
      );
      statuses = outcomes.map((o) => o.status);
      const tools: AnyToolDefinition[] = [];
      const seen = new Set<string>();
      for (const o of outcomes) {
        for (const tool of o.tools) {
          if (seen.has(tool.name)) {
            warn(`MCP tool name clash: ${tool.name} appears twice; keeping the first.`);
            continue;
          }
          seen.add(tool.name);
          tools.push(tool);
        }
      }
      return { tools, statuses };
    },
    statuses: () => statuses,
    async close() {
      const all = [...live.values()];
      live.clear();
      await Promise.all(all.map((s) => s.close().catch(() => {})));
    },
  };
}
