import { homedir } from "node:os";
import { join } from "node:path";
import {
  type Agent,
  type AnyToolDefinition,
  type ApprovalPolicy,
  type ApprovalRule,
  buildSummaryRequest,
  createAgent,
  createApprovalGate,
  createApprovalPolicy,
  createCompactor,
  createDoomLoopGuard,
  createPlanSource,
  createPlanStore,
  createPlanTool,
  createProvider,
  createRedactor,
  createResearchTool,
  createSessionLoader,
  createSessionRecorder,
  createSessionStore,
  createToolRegistry,
  type DoomLoopCheck,
  detectMalformedStreak,
  type Env,
  type EventListener,
  exportClaudeCodeJsonl,
  isGuardNote,
  type LlmProvider,
  type Message,
  type PlanStore,
  type ReasoningEffort,
  resolveStateHome,
  type SessionStore,
  type ToolAuth,
  type ToolFilter,
  type ToolRegistry,
} from "@ml-intern/core";
import { AGENT_DEFAULTS } from "../config/defaults.ts";
import { type HubIdentity, resolveHubIdentity, settleHubIdentity } from "../prompts/hub-identity.ts";
import { buildSystemPrompt, LOCAL_MODE_PROMPT, RESEARCH_SYSTEM_PROMPT } from "../prompts/system-prompt.ts";

export interface MlInternAgentOptions {
  /** Model id, e.g. "anthropic/claude-sonnet-5-5", "moonshotai/Kimi-K2.6:novita", "bedrock/...". */
  model: string;
  env: Env;
  /** Tool-package tools and MCP-proxied tools; research and plan_tool are added here. */
  tools: readonly AnyToolDefinition[];
  filter?: ToolFilter;
  cwd: string;
  /** State directory; default ML_INTERN_HOME, else the XDG data dir. */
  home?: string;
  /** No human present: auto-approve within the spend cap, refuse beyond it. */
  headless: boolean;
  /** Tool calls run per model reply (default: core's TOOL_CALL_LIMITS.maxPerReply, 64). */
  maxToolCallsPerReply?: number;
  yolo?: boolean;
  /** Dollars that YOLO/headless may spend on auto-approved calls (default AGENT_DEFAULTS.spendCapUsd; null = uncapped). */
  spendCapUsd?: number | null;
  /** How this host raises the cap, for refusal messages (e.g. `run again with --max-spend 12`). */
  raiseCapHint?: (neededUsd: number) => string;
  approvalRules?: readonly ApprovalRule[];
  maxIterations?: number;
  /** Model id for research sub-agents (default: the session's model, following /model switches). */
  researchModel?: string;
  /** Research sub-agents at once (default: core's RESEARCH_MAX_PARALLEL). */
  researchMaxParallel?: number;
  stream?: boolean;
  effort?: ReasoningEffort;
  /** Automatic compaction (threshold and provider-overflow paths). Default true. */
  autoCompact?: boolean;
  compactThreshold?: number;
  contextWindow?: number;
  doomLoop?: boolean;
  /** Session id, unique id prefix or 1-based list index to resume. */
  resume?: string;
  /** Durable JSONL session files (default AGENT_DEFAULTS.persist). */
  persist?: boolean;
  /** Literal token values to redact from everything persisted (env tokens are added automatically). */
  secrets?: readonly string[];
  /** The user resuming; resuming someone else's session forks it. */
  user?: string | null;
  /** Extra static system-prompt sections (user instructions). */
  instructions?: string;
  /** Called at dispose with the redacted Claude Code JSONL when trace sharing is on. */
  shareTraces?: (sessionId: string, jsonl: string) => Promise<void>;
  fetch?: typeof fetch;
  auth?: ToolAuth;
  /** Subscribed before the agent emits anything (it sees `ready`). */
  onEvent?: EventListener;
  /**
   * The HF account for the system prompt. Pass the promise of resolveHubIdentity started early (hosts do, so
   * whoami overlaps the rest of start-up); otherwise it is resolved here (cached per token in the state dir).
   */
  hubIdentity?: HubIdentity | Promise<HubIdentity>;
  /** Longest wait for `hubIdentity` before the session starts with "unknown" (default 2 s). */
  hubIdentityWaitMs?: number;
  /** Injected provider (tests, embedding); otherwise built from `model`. */
  provider?: LlmProvider;
  now?: () => Date;
}

/** Session spend as hosts report it (dollars, estimates). */
export interface SpendSummary {
  /** Everything counted toward the cap: model calls plus tool spend (reserved or actual). */
  spent_usd: number;
  model_usd: number;
  tools_usd: number;
  cap_usd: number | null;
}

export interface MlInternAgent {
  agent: Agent;
  readonly sessionId: string;
  store: SessionStore | undefined;
  plan: PlanStore;
  approval: ApprovalPolicy;
  tools: ToolRegistry;
  /** Spend so far: estimated model cost plus auto-approved (or reconciled) tool spend, against the cap. */
  spend(): SpendSummary;
  /** The session so far as redacted Claude Code JSONL (what trace sharing uploads); undefined when not persisted. */
  exportTrace(): string | undefined;
  /** Switches the model for later calls (the /model command). */
  setModel(model: string): Promise<void>;
  /** Closes the agent, flushes the session and shares the trace when enabled. */
  dispose(): Promise<void>;
}

const SECRET_ENV = [
  "HF_TOKEN",
  "HUGGING_FACE_HUB_TOKEN",
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "OPENAI_API_KEY",
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "ML_INTERN_MCP_TOKEN",
  "SANDBOX_API_TOKEN",
];

/** The credential values every output channel must redact: the known secret variables of `env`, plus `extra`. */
export function secretValuesFrom(
  env: Readonly<Record<string, string | undefined>>,
  extra: readonly (string | undefined | null)[] = [],
): (string | undefined | null)[] {
  return [...SECRET_ENV.map((k) => env[k]), ...extra];
}

/**
 * A resumed session's history without the guard notes of its earlier turns: they were about those turns, and
 * replaying them would make the model (and the user) see a warning about work that is over.
 */
function withoutGuardNotes(messages: readonly Message[]): Message[] {
  return messages.filter((m) => !isGuardNote(m));
}

/** Where resolved HF identities are cached (per token hash; never the token). */
export function hubIdentityCacheFile(stateHome: string): string {
  return join(stateHome, "hub-identity.json");
}

/** Assembles the full ML Intern agent: provider, tools, approvals, compaction, doom-loop guard, plan, research, sessions. */
export async function createMlInternAgent(options: MlInternAgentOptions): Promise<MlInternAgent> {
  const env = options.env;
  const stateHome = options.home ?? resolveStateHome({ env, homeDir: homedir() });
  const identity =
    options.hubIdentity ??
    resolveHubIdentity({
      token: options.auth?.hfToken ?? (env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN),
      hubUrl: env.HF_ENDPOINT,
      fetch: options.fetch,
      cacheFile: hubIdentityCacheFile(stateHome),
    });
  let provider = options.provider ?? (await createProvider(options.model, { env, fetch: options.fetch }));
  const secrets = secretValuesFrom(env, [...(options.secrets ?? []), ...Object.values(options.auth ?? {})]);
  const redactor = createRedactor({ secrets });
  const persist = options.persist ?? AGENT_DEFAULTS.persist;
  const store = persist ? createSessionStore({ home: stateHome, redactor }) : undefined;

  const loader = store ? createSessionLoader(store, options.user) : undefined;
  let history: Message[] = [];
  let sessionId: string = crypto.randomUUID();
  if (options.resume) {
    if (!loader) throw new Error("Sessions are not persisted, so there is nothing to resume.");
    const loaded = await loader(options.resume);
    history = withoutGuardNotes(loaded.messages);
    sessionId = loaded.sessionId;
  }

  const plan = createPlanStore();
  let agentRef: Agent | undefined;
  const planTool = createPlanTool(plan, {
    onUpdate: (items) => agentRef?.notify({ type: "plan_update", plan: items }),
  });
  const approval = createApprovalPolicy({
    rules: options.approvalRules ?? [],
    yolo: options.yolo ?? AGENT_DEFAULTS.yolo,
    spendCapUsd: options.spendCapUsd === undefined ? AGENT_DEFAULTS.spendCapUsd : options.spendCapUsd,
    ...(options.raiseCapHint ? { raiseCapHint: options.raiseCapHint } : {}),
    headless: options.headless,
  });
  let modelSpendUsd = 0;
  const countModelSpend = (cost: number | null) => {
    if (cost === null || !(cost > 0)) return;
    modelSpendUsd += cost;
    approval.ledger.addSpend(cost);
  };
  const gate = createApprovalGate(approval, {
    onDecision: (decision) => agentRef?.notify({ type: "approval_decision", ...decision }),
  });

  let registry!: ToolRegistry;
  const researchProvider = options.researchModel
    ? await createProvider(options.researchModel, { env, fetch: options.fetch })
    : undefined;
  const research = createResearchTool({
    onLlmCall: (event) => countModelSpend(event.cost_usd),
    provider: () => researchProvider ?? provider,
    ...(options.researchMaxParallel ? { maxParallel: options.researchMaxParallel } : {}),
    tools: () => registry,
    systemPrompt: RESEARCH_SYSTEM_PROMPT,
    approval: gate,
  });
  const spill = async (toolCallId: string, _name: string, text: string) =>
    store ? store.spill(agentRef?.sessionId ?? sessionId, toolCallId, text) : undefined;
  registry = createToolRegistry({
    tools: [research, ...options.tools, planTool],
    filter: options.filter,
    spill,
  });

  // File tools without sandbox_create act on the user's own workspace (the local-mode section says so).
  const hasLocalTools =
    registry.list().some((t) => t.toolset === "sandbox") &&
    !registry.list().some((t) => t.name === "sandbox_create");
  const hub = await settleHubIdentity(identity, options.hubIdentityWaitMs ?? 2000);
  const systemPrompt = buildSystemPrompt({
    staticParts: [hasLocalTools ? LOCAL_MODE_PROMPT : "", options.instructions ?? ""],
    dynamic: {
      date: options.now?.() ?? new Date(),
      cwd: options.cwd,
      hub,
      hfUser: options.user,
      model: provider.info.id,
      toolNames: registry.list().map((t) => t.name),
    },
  });

  const guard = createDoomLoopGuard({ enabled: options.doomLoop ?? AGENT_DEFAULTS.doomLoop });
  const planSource = createPlanSource(plan);
  const doomLoop: DoomLoopCheck = {
    check: (messages) => {
      const hit = guard.check(messages);
      return hit ? { message: hit.message, escalate: hit.escalate } : null;
    },
    malformed: (messages) =>
      options.doomLoop === false ? null : (detectMalformedStreak(messages)?.message ?? null),
    // Called by the loop on every user message, undo and new: the guards start fresh each turn.
    reset: () => {
      guard.reset();
      planSource.reset();
    },
  };

  const compactor = createCompactor({
    auto: options.autoCompact ?? AGENT_DEFAULTS.autoCompact,
    contextWindow: options.contextWindow ?? provider.info.contextWindow,
    threshold: options.compactThreshold,
    spill: (toolCallId, content) =>
      store
        ? store.spill(agentRef?.sessionId ?? sessionId, toolCallId, content)
        : `(not saved: ${toolCallId})`,
    summarize: async (middle, signal) => {
      const request = buildSummaryRequest(middle);
      const started = Date.now();
      const response = await provider.complete(
        { system: request.system, messages: request.messages, tools: [], stream: false },
        { signal: signal ?? new AbortController().signal },
      );
      agentRef?.notify({
        type: "llm_call",
        model: provider.info.id,
        kind: "compaction",
        latency_ms: Date.now() - started,
        input_tokens: response.usage.inputTokens,
        output_tokens: response.usage.outputTokens,
        cache_read_tokens: response.usage.cacheReadTokens,
        cache_write_tokens: response.usage.cacheWriteTokens,
        cost_usd: null,
        stop_reason: response.stopReason,
      });
      return response.message.content;
    },
  });

  const recorder = store
    ? createSessionRecorder({
        store,
        sessionId: () => agentRef?.sessionId ?? sessionId,
        meta: { model: provider.info.id, cwd: options.cwd, user: options.user ?? null },
      })
    : undefined;

  const agent = createAgent({
    provider,
    tools: registry,
    systemPrompt,
    sessionId,
    messages: history,
    maxIterations: options.maxIterations ?? AGENT_DEFAULTS.maxIterations,
    ...(options.maxToolCallsPerReply !== undefined
      ? { maxToolCallsPerReply: options.maxToolCallsPerReply }
      : {}),
    stream: options.stream ?? AGENT_DEFAULTS.stream,
    effort: options.effort,
    approval: gate,
    doomLoop,
    compactor,
    plan: planSource,
    recorder,
    auth: options.auth,
    now: options.now,
    onEvent: options.onEvent,
    newSessionId: () => {
      plan.clear();
      return crypto.randomUUID();
    },
    loadSession: async (ref) => {
      if (!loader) throw new Error("Sessions are not persisted, so there is nothing to resume.");
      const loaded = await loader(ref);
      plan.clear();
      planSource.reset();
      guard.reset();
      return { ...loaded, messages: withoutGuardNotes(loaded.messages) };
    },
  });
  agentRef = agent;
  // Main-agent and compaction calls; research sub-agents report theirs through onLlmCall.
  agent.subscribe((event) => {
    if (event.type === "llm_call") countModelSpend(event.cost_usd);
  });

  let disposed = false;
  return {
    agent,
    get sessionId() {
      return agent.sessionId;
    },
    store,
    plan,
    approval,
    tools: registry,
    spend() {
      const round = (n: number) => Math.round(n * 1e6) / 1e6;
      const total = approval.ledger.totalUsd();
      return {
        spent_usd: round(total),
        model_usd: round(modelSpendUsd),
        tools_usd: round(Math.max(0, total - modelSpendUsd)),
        cap_usd: approval.ledger.capUsd,
      };
    },
    exportTrace() {
      if (!store) return undefined;
      const loaded = store.load(agent.sessionId);
      return exportClaudeCodeJsonl(loaded.records, { model: provider.info.wireModel, redactor });
    },
    async setModel(model) {
      provider = await createProvider(model, { env, fetch: options.fetch });
      agent.setModel(provider);
      store?.append(agent.sessionId, { type: "meta_update", patch: { model } });
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await agent.close();
      if (store && options.shareTraces) {
        try {
          const loaded = store.load(agent.sessionId);
          const jsonl = exportClaudeCodeJsonl(loaded.records, { model: provider.info.wireModel, redactor });
          if (jsonl && loaded.history.length > 0) await options.shareTraces(agent.sessionId, jsonl);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          console.error(`[ml-intern] could not share the session trace: ${redactor.redact(message)}`);
        }
      }
      store?.close();
    },
  };
}
