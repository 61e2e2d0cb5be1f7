import { randomBytes } from "node:crypto";
import { homedir } from "node:os";
import type { AnyToolDefinition, Env, ToolFilter } from "@ml-intern/core";
import type { SandboxChoice, SessionTools } from "@ml-intern/runtime/catalog";
import type { MlInternConfig } from "@ml-intern/runtime/config";
import type { HostCommandIo } from "@ml-intern/runtime/host";
import type { RunAgent } from "./agent-run.ts";
import { MCP_USAGE, type McpCommandArgs, parseMcpArgs, UsageError } from "./cli-args.ts";
import { isLoopbackHost } from "./host-guard.ts";
import { SERVER_VERSION } from "./server-identity.ts";
import type { SessionTraceSource } from "./session-resources.ts";
import { logToStderr } from "./stderr-log.ts";

/** What the command gets besides its flags (the host contract of @ml-intern/runtime). */
export type McpCommandIo = HostCommandIo;

const csv = (value: string | undefined): string[] | undefined => {
  const items = value
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
};

/** The configuration `ml-intern mcp` runs with: the CLI's files (built-in, user, --config) under the flags. */
export interface McpSettings {
  /** The environment with the `.env` files filled in underneath (as the CLI reads it). */
  env: Env;
  config: MlInternConfig;
  /** The config's toolsets/tools/exclude_tools/read_only, each replaced (or, for exclusions, extended) by its flag. */
  filter: ToolFilter;
  /** --model, else ML_INTERN_MODEL, else the config's model_name, else the runtime's pickStartModel. */
  model: string;
  /** Endpoints of the launch `.env` ignored or trusted (one line each, for stderr). */
  envNotices: string[];
}

/** Flags win over the config per field; exclusions add up; read-only from either side holds. */
export function mergeToolFilter(config: MlInternConfig, flags: ToolFilter): ToolFilter {
  const filter: ToolFilter = {};
  const toolsets = flags.toolsets ?? config.toolsets;
  if (toolsets) filter.toolsets = toolsets;
  const tools = flags.tools ?? config.tools;
  if (tools) filter.tools = tools;
  const exclude = [...(config.exclude_tools ?? []), ...(flags.excludeTools ?? [])];
  if (exclude.length) filter.excludeTools = exclude;
  if (flags.readOnly || config.read_only) filter.readOnly = true;
  return filter;
}

/**
 * --toolsets / --tools / --exclude-tools naming something this server cannot serve is a usage error that
 * lists what exists (the catalog, MCP-proxied tools, research, and ml_intern unless --no-agent).
 */
async function checkFilterFlags(args: McpCommandArgs, tools: readonly AnyToolDefinition[]): Promise<void> {
  const { checkToolFilterNames } = await import("@ml-intern/core");
  const { AGENT_TOOL_NAME, AGENT_TOOLSET } = await import("./agent-tool.ts");
  const available = args.agentTool ? [...tools, { name: AGENT_TOOL_NAME, toolset: AGENT_TOOLSET }] : tools;
  const problem = checkToolFilterNames(args.filter, available);
  if (problem) throw new UsageError(problem);
}

/** Reads the same configuration as the interactive CLI. Throws RuntimeError("config"). */
export async function loadMcpSettings(args: McpCommandArgs, env: Env, cwd: string): Promise<McpSettings> {
  const [{ loadConfig }, { pickStartModel }, { resolveStateHome }] = await Promise.all([
    import("@ml-intern/runtime/config"),
    import("@ml-intern/runtime/model"),
    import("@ml-intern/core"),
  ]);
  const loaded = loadConfig({ env, cwd, ...(args.config ? { configFile: args.config } : {}) });
  const { model } = pickStartModel(
    args.model ??
      (loaded.env.ML_INTERN_MODEL?.trim() || (loaded.modelNamed ? loaded.config.model_name : undefined)),
    loaded.env,
    resolveStateHome({ env: loaded.env, homeDir: loaded.env.HOME ?? homedir() }),
  );
  return {
    env: loaded.env,
    config: loaded.config,
    filter: mergeToolFilter(loaded.config, args.filter),
    model,
    envNotices: loaded.envNotices,
  };
}

function sandboxChoice(args: McpCommandArgs): SandboxChoice {
  if (!args.enableLocalTools) return "off";
  return args.dangerouslyNoSandbox ? "none" : "bwrap";
}

/** The configured MCP servers' tools, or none; the manager is closed when the command ends. */
async function startMcpClients(
  settings: McpSettings,
  log: (m: string) => void,
  fetchImpl: typeof fetch | undefined,
): Promise<{ tools: AnyToolDefinition[]; close(): Promise<void> }> {
  const servers = settings.config.mcpServers;
  if (!Object.values(servers).some((server) => server.enabled)) return { tools: [], close: async () => {} };
  const [{ createMcpManager }, { resolveHubIdentity }] = await Promise.all([
    import("@ml-intern/runtime/mcp-client"),
    import("@ml-intern/runtime/prompts"),
  ]);
  const env = settings.env;
  const hfToken = env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;
  const manager = createMcpManager({
    servers,
    env,
    hfToken,
    hubUrl: env.HF_ENDPOINT,
    // A `*.hf.space` server gets the HF token only when the Space is the token owner's (user or org).
    spaceNamespaces: async () => {
      const identity = await resolveHubIdentity({
        token: hfToken,
        ...(env.HF_ENDPOINT ? { hubUrl: env.HF_ENDPOINT } : {}),
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      });
      return identity.status === "resolved" ? [identity.user, ...identity.orgs] : [];
    },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    clientVersion: SERVER_VERSION,
    warn: log,
  });
  const { tools } = await manager.start();
  return { tools, close: () => manager.close() };
}

/**
 * The runtime's research sub-agent as a tool of its own (read-only, streams its steps as logs), when a model
 * can be built from the environment; undefined otherwise.
 */
async function createResearch(
  settings: McpSettings,
  tools: AnyToolDefinition[],
  log: (m: string) => void,
  fetchImpl: typeof fetch | undefined,
): Promise<AnyToolDefinition | undefined> {
  const [core, { RESEARCH_SYSTEM_PROMPT }] = await Promise.all([
    import("@ml-intern/core"),
    import("@ml-intern/runtime/prompts"),
  ]);
  let provider: Awaited<ReturnType<typeof core.createProvider>>;
  try {
    provider = await core.createProvider(settings.config.research_model ?? settings.model, {
      env: settings.env,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });
  } catch (error) {
    log(`mcp: research tool not served: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const registry = core.createToolRegistry({ tools });
  const maxParallel = settings.config.research_max_parallel;
  return core.createResearchTool({
    provider: () => provider,
    tools: () => registry,
    systemPrompt: RESEARCH_SYSTEM_PROMPT,
    ...(maxParallel ? { maxParallel } : {}),
  }) as AnyToolDefinition;
}

async function createAgentRunner(
  args: McpCommandArgs,
  settings: McpSettings,
  cwd: string,
  tools: Promise<AnyToolDefinition[]>,
  fetchImpl: typeof fetch | undefined,
): Promise<{ run: RunAgent; dispose(): Promise<void> } | undefined> {
  if (!args.agentTool) return undefined;
  const [
    { loadCreateMlInternAgent, createDefaultOpenAgent },
    { createSessionRunner },
    { effortOf },
    { createFileSessionOwners },
    store,
  ] = await Promise.all([
    import("./default-agent.ts"),
    import("./session-runner.ts"),
    import("@ml-intern/runtime/model"),
    import("./caller-identity.ts"),
    openSessionStore(settings.env),
  ]);
  const create = await loadCreateMlInternAgent();
  const { config } = settings;
  const effort = effortOf(config.reasoning_effort);
  // The agent adds its own research tool; give it the catalog without the standalone one.
  const catalog = tools.then((all) => all.filter((t) => t.name !== "research"));
  // A catalog that fails to load is reported by the caller; no agent is ever opened then.
  catalog.catch(() => {});
  return createSessionRunner({
    // Each stored session stays bound to the caller who opened it, also after it leaves memory.
    owners: createFileSessionOwners(store),
    open: async (request) =>
      createDefaultOpenAgent({
        create,
        model: settings.model,
        env: settings.env,
        tools: await catalog,
        cwd,
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
        ...(args.maxSpendUsd !== undefined ? { maxSpendUsd: args.maxSpendUsd } : {}),
        settings: {
          filter: settings.filter,
          approvalRules: config.approval_rules,
          yolo: config.yolo_mode,
          spendCapUsd: config.spend_cap_usd,
          maxIterations: config.max_iterations,
          ...(config.research_model ? { researchModel: config.research_model } : {}),
          ...(config.research_max_parallel ? { researchMaxParallel: config.research_max_parallel } : {}),
          autoCompact: config.auto_compact,
          doomLoop: config.doom_loop,
          persist: config.save_sessions,
          ...(effort ? { effort } : {}),
        },
      })(request),
  });
}

async function openSessionStore(env: Env) {
  const [{ createSessionStore, createRedactor, resolveStateHome }, { homedir }] = await Promise.all([
    import("@ml-intern/core"),
    import("node:os"),
  ]);
  return createSessionStore({
    home: resolveStateHome({ env, homeDir: homedir() }),
    redactor: createRedactor({}),
  });
}

/** Over-budget tool results are saved in full under `<state home>/mcp-spill`, redacted. */
async function createMcpSpill(env: Env) {
  const [{ createRedactor, resolveStateHome }, { homedir }, { join }, { createFileSpill }] =
    await Promise.all([
      import("@ml-intern/core"),
      import("node:os"),
      import("node:path"),
      import("./file-spill.ts"),
    ]);
  const redactor = createRedactor({});
  return createFileSpill({
    dir: join(resolveStateHome({ env, homeDir: homedir() }), "mcp-spill"),
    redact: (text) => redactor.redact(text),
  });
}

async function createTraceSource(env: Env): Promise<SessionTraceSource> {
  const [store, { traceSourceFromStore }] = await Promise.all([
    openSessionStore(env),
    import("./session-resources.ts"),
  ]);
  return traceSourceFromStore(store);
}

/** Resolves on the signal, or (when there is none and `processSignals`) on SIGINT/SIGTERM. */
function waitForStop(signal: AbortSignal | undefined, processSignals: boolean): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    if (processSignals) {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    }
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `ml-intern mcp [flags]`: serves stdio (default) or Streamable HTTP until the client disconnects or the
 * process is signalled, with the configuration the interactive CLI reads (built-in, user, `--config`).
 * Returns the exit code: 0 ok, 1 startup failure, 2 bad flags, 3 bad configuration. Logs go to stderr.
 */
export async function runMcpCommand(
  argv: readonly string[],
  processEnv: Env,
  io: McpCommandIo = {},
): Promise<number> {
  const log = io.log ?? logToStderr;
  let args: McpCommandArgs;
  try {
    args = parseMcpArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      log(`ml-intern mcp: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    log(MCP_USAGE);
    return 0;
  }
  const cwd = io.cwd ?? process.cwd();
  // stdio: answer `initialize` before loading zod, the SDK and the tools (see fast-stdio.ts).
  const early =
    args.transport === "stdio"
      ? await (await import("./fast-stdio.ts")).acceptEarlyInitialize(
          io.stdin ?? process.stdin,
          io.stdout ?? process.stdout,
        )
      : undefined;
  let settings: McpSettings;
  try {
    settings = await loadMcpSettings(args, processEnv, cwd);
  } catch (error) {
    log(`ml-intern mcp: ${errorText(error)}`);
    return (error as { kind?: unknown }).kind === "config" ? 3 : 1;
  }
  for (const notice of settings.envNotices) log(notice);
  const env = settings.env;
  const clients = startMcpClients(settings, log, io.fetch);
  const session: Promise<SessionTools> = clients.then(async ({ tools: mcpTools }) => {
    const { loadSessionTools } = await import("@ml-intern/runtime/catalog");
    return loadSessionTools({
      env,
      cwd,
      sandbox: sandboxChoice(args),
      confirmCpuJobs: settings.config.confirm_cpu_jobs,
      extraTools: mcpTools,
      warn: log,
      sandboxHint: "Use --dangerously-no-sandbox with --enable-local-tools to run them unsandboxed.",
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
  });
  const tools = session.then(async ({ tools: catalog }) => {
    const research = args.agentTool ? await createResearch(settings, catalog, log, io.fetch) : undefined;
    const all = research ? [...catalog, research] : catalog;
    await checkFilterFlags(args, all);
    return all;
  });
  const release = async () => {
    await session.then(
      (s) => s.dispose(),
      () => {},
    );
    await clients.then(
      (c) => c.close(),
      () => {},
    );
  };
  let runner: Awaited<ReturnType<typeof createAgentRunner>>;
  try {
    if (args.transport === "http") await tools;
    runner = await createAgentRunner(args, settings, cwd, tools, io.fetch);
  } catch (error) {
    log(`ml-intern mcp: ${errorText(error)}`);
    await release();
    return error instanceof UsageError ? 2 : 1;
  }
  // Session traces are the operator's own: served on stdio and loopback HTTP only.
  const traces =
    args.transport === "stdio" || isLoopbackHost(args.host) ? await createTraceSource(env) : undefined;
  const base = {
    filter: settings.filter,
    spill: await createMcpSpill(env),
    ...(runner ? { runAgent: runner.run } : {}),
    ...(traces ? { traces } : {}),
  };
  try {
    if (args.transport === "stdio") {
      const { serveStdio } = await import("./serve-stdio.ts");
      const serving = await serveStdio(
        { ...base, tools },
        early ? { stdin: early.stdin, stdout: early.stdout } : {},
      );
      const failed = tools.then(
        () => new Promise<number>(() => {}),
        (error: unknown) => {
          log(`ml-intern mcp: ${errorText(error)}`);
          return error instanceof UsageError ? 2 : 1;
        },
      );
      const code = await Promise.race([
        serving.closed.then(() => 0),
        waitForStop(io.signal, false).then(() => 0),
        failed,
      ]);
      await serving.close();
      return code;
    }
    const { serveHttp } = await import("./serve-http.ts");
    const configured = env.ML_INTERN_MCP_TOKEN?.trim() || undefined;
    if (args.noAuth && !isLoopbackHost(args.host)) {
      log(`ml-intern mcp: --no-auth is only allowed on a loopback address, not ${args.host}.`);
      return 2;
    }
    // Loopback is reachable by every local process (and sandboxed code): require a token there too, as Jupyter does.
    const generated = !configured && !args.noAuth && isLoopbackHost(args.host) ? randomToken() : undefined;
    const token = configured ?? generated;
    const allowedHosts = csv(env.ML_INTERN_MCP_ALLOWED_HOSTS);
    const allowedOrigins = csv(env.ML_INTERN_MCP_ALLOWED_ORIGINS);
    const corsOrigins = csv(env.ML_INTERN_MCP_CORS_ORIGINS);
    let running: ReturnType<typeof serveHttp>;
    try {
      running = serveHttp({
        ...base,
        tools: await tools,
        host: args.host,
        port: args.port,
        stateless: args.stateless,
        jsonResponse: args.jsonResponse,
        log,
        ...(token ? { token } : {}),
        ...(allowedHosts ? { allowedHosts } : {}),
        ...(allowedOrigins ? { allowedOrigins } : {}),
        ...(corsOrigins ? { corsOrigins } : {}),
      });
    } catch (error) {
      log(`ml-intern mcp: ${errorText(error)}`);
      return 1;
    }
    log(`ML Intern MCP server listening on ${running.url} (${args.stateless ? "stateless" : "stateful"})`);
    if (generated) {
      log(
        `Access token (generated for this run; set ML_INTERN_MCP_TOKEN to choose one): ${generated}\n` +
          `  Clients send: Authorization: Bearer ${generated}  (a caller's own HF token goes in X-HF-Token)`,
      );
    } else if (args.noAuth) {
      log("Warning: --no-auth: any local process can call this server and use its credentials.");
    }
    io.onListening?.(running.url, token);
    await waitForStop(io.signal, true);
    await running.stop();
    return 0;
  } finally {
    await runner?.dispose();
    await release();
  }
}

/** 32 random bytes, URL-safe: what a client pastes into its Authorization header. */
function randomToken(): string {
  return randomBytes(32).toString("base64url");
}
