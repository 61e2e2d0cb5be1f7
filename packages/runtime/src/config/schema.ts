import { approvalRuleSchema } from "@ml-intern/core/approval-rules";
import { z } from "zod";
import { DEFAULT_MODEL, DEFAULT_REASONING_EFFORT } from "../model/default-model.ts";
import { AGENT_DEFAULTS } from "./defaults.ts";

const common = {
  enabled: z.boolean().default(true).describe("Set false to keep the entry but not connect to it."),
  timeout: z
    .number()
    .positive()
    .optional()
    .describe("Per-call timeout in seconds for this server's tools (default 120)."),
  connect_timeout: z
    .number()
    .positive()
    .optional()
    .describe("Seconds to wait for the server to connect and list its tools (default 10)."),
};

const stdioServerSchema = z.strictObject({
  transport: z.literal("stdio").optional().describe("Local process speaking MCP over stdin/stdout."),
  command: z.string().min(1).describe("Executable to start."),
  args: z.array(z.string()).default([]).describe("Arguments for the command."),
  env: z
    .record(z.string(), z.string())
    .default({})
    .describe("Extra environment for the process (only a safe allowlist of yours is inherited)."),
  cwd: z.string().optional().describe("Working directory of the process."),
  ...common,
});

const remoteServerSchema = z.strictObject({
  transport: z
    .enum(["http", "streamable-http", "sse"])
    .optional()
    .describe("http/streamable-http (with SSE fallback) or sse; inferred from the URL when omitted."),
  url: z.url().describe("Server endpoint."),
  headers: z.record(z.string(), z.string()).default({}).describe("HTTP headers sent with every request."),
  ...common,
});

export const mcpServerSchema = z.union([stdioServerSchema, remoteServerSchema]);
export type McpServerConfig = z.infer<typeof mcpServerSchema>;
export type StdioServerConfig = z.infer<typeof stdioServerSchema>;
export type RemoteServerConfig = z.infer<typeof remoteServerSchema>;

export function isStdioServer(server: McpServerConfig): server is StdioServerConfig {
  return "command" in server;
}

/** core's approval-rule schema (the one definition), strict here so a misspelt key in a file is an error. */
const configApprovalRuleSchema = approvalRuleSchema.strict();

export const configSchema = z.object({
  model_name: z.string().min(1).default(DEFAULT_MODEL).describe("Model id used when --model is not given."),
  mcpServers: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), mcpServerSchema).default({}),
  yolo_mode: z
    .boolean()
    .default(AGENT_DEFAULTS.yolo)
    .describe("Auto-approve calls that need approval (not scheduled jobs)."),
  spend_cap_usd: z
    .number()
    .nonnegative()
    .default(AGENT_DEFAULTS.spendCapUsd)
    .describe("Ceiling for auto-approved estimated spend (headless and YOLO)."),
  max_iterations: z
    .number()
    .int()
    .min(-1)
    .default(AGENT_DEFAULTS.maxIterations)
    .describe("Model calls per turn; -1 = unlimited."),
  research_model: z
    .string()
    .min(1)
    .optional()
    .describe("Model for research sub-agents, e.g. a cheaper one (default: the session's model)."),
  research_max_parallel: z
    .number()
    .int()
    .min(1)
    .max(8)
    .optional()
    .describe("Research sub-agents running at once; further research calls wait for a slot (default 3)."),
  confirm_cpu_jobs: z.boolean().default(AGENT_DEFAULTS.confirmCpuJobs).describe("Ask before CPU jobs too."),
  reasoning_effort: z
    .enum(["low", "medium", "high", "max", "off"])
    .nullable()
    .default(DEFAULT_REASONING_EFFORT)
    .describe("Reasoning effort preference; off/null disables it."),
  stream: z.boolean().default(AGENT_DEFAULTS.stream).describe("Stream tokens."),
  sandbox: z
    .enum(["bwrap", "none", "remote"])
    .default("bwrap")
    .describe("Where bash/read/write/edit run: bubblewrap on this machine, unsandboxed, or an HF Space."),
  sandbox_network: z
    .union([z.enum(["on", "off"]), z.array(z.string().min(1)).min(1)])
    .default("on")
    .describe(
      'Network for local sandbox commands: "on" (host network), "off" (none, not even host loopback), or a list of domains ("*.example.com" for subdomains) reachable over HTTP(S) through a filtering proxy.',
    ),
  save_sessions: z
    .boolean()
    .default(AGENT_DEFAULTS.persist)
    .describe("Write durable session files (needed for --resume)."),
  share_traces: z
    .boolean()
    .default(false)
    .describe(
      "At the end of a session, upload its redacted trace to your private {user}/ml-intern-sessions dataset.",
    ),
  auto_compact: z
    .boolean()
    .default(AGENT_DEFAULTS.autoCompact)
    .describe("Compact the context automatically near the limit."),
  doom_loop: z
    .boolean()
    .default(AGENT_DEFAULTS.doomLoop)
    .describe("Detect and stop repeated tool-call loops."),
  toolsets: z.array(z.string()).optional().describe("Only these toolsets (plus `tools`)."),
  tools: z.array(z.string()).optional().describe("Tools to keep even outside the selected toolsets."),
  exclude_tools: z.array(z.string()).optional().describe("Tools to hide."),
  read_only: z.boolean().default(false).describe("Only read-only tools."),
  approval_rules: z
    .array(configApprovalRuleSchema)
    .default([])
    .describe("allow/ask/deny rules; last match wins."),
});

export type MlInternConfig = z.infer<typeof configSchema>;
