import type { ToolFilter } from "@ml-intern/core";

export interface McpCommandArgs {
  transport: "stdio" | "http";
  host: string;
  port: number;
  stateless: boolean;
  jsonResponse: boolean;
  filter: ToolFilter;
  enableLocalTools: boolean;
  dangerouslyNoSandbox: boolean;
  /** Model for the ml_intern agent tool; undefined leaves ML_INTERN_MODEL, else the config's model_name. */
  model?: string;
  /** false hides the ml_intern agent tool. */
  agentTool: boolean;
  /** HTTP on loopback without an access token (explicit opt-out of the generated one). */
  noAuth: boolean;
  /** `--config <file>`, merged over the built-in and user configuration (as in the CLI). */
  config?: string;
  /**
   * `--max-spend <usd>`: what ml_intern may spend on its own when no human can be asked (clients without
   * elicitation). Unset: paid operations are refused for such clients.
   */
  maxSpendUsd?: number;
  help: boolean;
}

export const MCP_USAGE = `Usage: ml-intern mcp [options]

Serve ML Intern's tools (and the whole agent as the ml_intern tool) over MCP, with the configuration the
ml-intern CLI reads: the built-in defaults, ~/.config/ml-intern/config.json (or ML_INTERN_CLI_CONFIG), then
--config. It sets the model, approval_rules, toolsets/tools/exclude_tools/read_only, mcpServers (their tools
are served and given to the agent) and the agent's limits; flags win over it.

Options:
  --transport stdio|http   Transport (default stdio)
  --host <addr>            HTTP bind address (default 127.0.0.1)
  --port <n>               HTTP port (default 8080; 0 picks a free one)
  --stateless              HTTP without sessions (for replicas behind a load balancer)
  --json-response          With --stateless: answer with JSON instead of SSE (no progress streaming)
  --toolsets a,b           Only these toolsets ("all" for every toolset)
  --tools a,b              Also these tools, whatever their toolset
  --exclude-tools a,b      Never these tools
  --read-only              Only read-only tools (beats every other filter)
  --enable-local-tools     Serve bash/read/write/edit on this machine (bubblewrap-isolated, cwd as workspace)
  --dangerously-no-sandbox With --enable-local-tools: run commands without isolation
  --config <file>          Configuration file merged over the built-in and user ones
  --model <id>             Model of the ml_intern agent tool (default: the config's model_name)
  --no-agent               Do not serve the ml_intern agent tool
  --max-spend <usd>        Spend cap of ml_intern runs whose client cannot ask you (no elicitation): paid
                           operations (GPU jobs) are auto-approved up to it. Without it they are refused there
  --no-auth                HTTP on loopback only: accept callers without the access token (by default a
                           random one is generated and printed at start unless ML_INTERN_MCP_TOKEN is set)
  -h, --help               Show this help

Environment: ML_INTERN_MCP_TOKEN (bearer token; generated on loopback when unset), ML_INTERN_MCP_ALLOWED_HOSTS,
ML_INTERN_MCP_ALLOWED_ORIGINS, ML_INTERN_MCP_CORS_ORIGINS, HF_TOKEN, GITHUB_TOKEN, ML_INTERN_MODEL (over the
config's model_name).`;

export class UsageError extends Error {}

const list = (value: string): string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Parses `ml-intern mcp` flags; throws UsageError with a one-line message on bad input. */
export function parseMcpArgs(argv: readonly string[]): McpCommandArgs {
  const args: McpCommandArgs = {
    transport: "stdio",
    host: "127.0.0.1",
    port: 8080,
    stateless: false,
    jsonResponse: false,
    filter: {},
    enableLocalTools: false,
    dangerouslyNoSandbox: false,
    agentTool: true,
    noAuth: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${flag} needs a value.`);
      i++;
      return next;
    };
    const noValue = () => {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value.`);
    };
    switch (flag) {
      case "--transport": {
        const t = value();
        if (t !== "stdio" && t !== "http")
          throw new UsageError(`--transport must be stdio or http, got "${t}".`);
        args.transport = t;
        break;
      }
      case "--host":
        args.host = value();
        break;
      case "--max-spend": {
        const v = value();
        const n = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n)) {
          throw new UsageError(`--max-spend must be a dollar amount such as 5 or 2.50, got "${v}".`);
        }
        args.maxSpendUsd = n;
        break;
      }
      case "--port": {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port must be 0-65535, got "${v}".`);
        args.port = n;
        break;
      }
      case "--stateless":
        noValue();
        args.stateless = true;
        break;
      case "--json-response":
        noValue();
        args.jsonResponse = true;
        break;
      case "--toolsets":
        args.filter.toolsets = list(value());
        break;
      case "--tools":
        args.filter.tools = list(value());
        break;
      case "--exclude-tools":
        args.filter.excludeTools = list(value());
        break;
      case "--read-only":
        noValue();
        args.filter.readOnly = true;
        break;
      case "--enable-local-tools":
        noValue();
        args.enableLocalTools = true;
        break;
      case "--dangerously-no-sandbox":
        noValue();
        args.dangerouslyNoSandbox = true;
        break;
      case "--model":
        args.model = value();
        break;
      case "--config":
        args.config = value();
        break;
      case "--no-agent":
        noValue();
        args.agentTool = false;
        break;
      case "--no-auth":
        noValue();
        args.noAuth = true;
        break;
      case "-h":
      case "--help":
        args.help = true;
        break;
      default:
        throw new UsageError(`Unknown option "${raw}". Run "ml-intern mcp --help" for the options.`);
    }
  }
  if (args.transport === "stdio" && (args.stateless || args.jsonResponse)) {
    throw new UsageError("--stateless and --json-response apply only to --transport http.");
  }
  if (args.jsonResponse && !args.stateless) {
    throw new UsageError("--json-response needs --stateless.");
  }
  if (args.dangerouslyNoSandbox && !args.enableLocalTools) {
    throw new UsageError("--dangerously-no-sandbox needs --enable-local-tools.");
  }
  return args;
}
