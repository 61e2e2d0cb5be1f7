import type { ToolRegistry } from "@ml-intern/tool";
import { defineTool, type ToolContext, type ToolDefinition, type ToolResult } from "@ml-intern/tool";
import pLimit from "p-limit";
import { z } from "zod";
import { createAgent } from "../agent/agent.ts";
import type { ApprovalGate } from "../agent/agent-hooks.ts";
import type { EventOf } from "../agent/events.ts";
import type { LlmProvider } from "../llm/provider.ts";
import description from "./research-description.txt" with { type: "text" };

/** Tools a research sub-agent may use: read-only by name, and read-only by annotation. */
export const RESEARCH_TOOL_NAMES: readonly string[] = [
  "read",
  "explore_hf_docs",
  "fetch_hf_docs",
  "find_hf_api",
  "hf_papers",
  "hf_inspect_dataset",
  "hub_repo_search",
  "hub_repo_details",
  "hf_repo_files",
  "hf_repo_git",
  "github_find_examples",
  "github_list_repos",
  "github_read_file",
  "github_search_code",
  "web_search",
];

export interface ResearchToolOptions {
  /** The main session's model (a fresh provider object is fine to share). */
  provider: () => LlmProvider;
  /** The session's registry; the sub-agent sees only its read-only research subset. */
  tools: () => ToolRegistry;
  systemPrompt: string;
  /** The session's gate: sub-agent calls pass through it; calls it would ask about are refused. */
  approval?: ApprovalGate;
  maxIterations?: number;
  /** Prompt-token budget of a sub-agent; default RESEARCH_WINDOW_SHARE of its model's context window. */
  maxPromptTokens?: number;
  /** Sub-agents running at once (default RESEARCH_MAX_PARALLEL); further research calls wait for a slot. */
  maxParallel?: number;
  /** Each model call of a sub-agent (its cost counts toward the session's spend). */
  onLlmCall?(event: EventOf<"llm_call">): void;
}

const input = z.object({
  task: z
    .string()
    .min(1)
    .describe("What to research. Name the libraries, trainers, datasets, models or repositories to look at."),
  context: z.string().optional().describe("Relevant context from the conversation the sub-agent cannot see."),
});

/** Research sub-agents running at once unless configured (each is a full model loop: the main cost). */
export const RESEARCH_MAX_PARALLEL = 3;
/** Share of the sub-agent model's context window it may fill before it must answer (170k of 200k). */
export const RESEARCH_WINDOW_SHARE = 0.85;

export function createResearchTool(options: ResearchToolOptions): ToolDefinition<typeof input> {
  const maxParallel = options.maxParallel ?? RESEARCH_MAX_PARALLEL;
  const limit = pLimit(maxParallel);
  return defineTool({
    name: "research",
    description,
    toolset: "research",
    input,
    annotations: {
      title: "Research sub-agent",
      readOnlyHint: true,
      openWorldHint: true,
      idempotentHint: false,
    },
    async execute(args, ctx) {
      if (limit.activeCount >= maxParallel) {
        ctx.log(`Waiting: ${maxParallel} research sub-agents are already running (research_max_parallel).`);
      }
      return limit(async () => {
        if (ctx.signal.aborted) return { text: "Research was interrupted.", isError: true };
        return research(args, ctx);
      });
    },
  });

  async function research({ task, context }: z.infer<typeof input>, ctx: ToolContext): Promise<ToolResult> {
    const registry = options
      .tools()
      .subset((t) => RESEARCH_TOOL_NAMES.includes(t.name) && t.annotations.readOnlyHint === true);
    const gate = options.approval;
    const agentId = ctx.toolCallId.slice(-8) || crypto.randomUUID().slice(0, 8);
    const label = `research: ${task.slice(0, 50)}${task.length > 50 ? "…" : ""}`;
    const provider = options.provider();
    const sub = createAgent({
      provider,
      tools: registry,
      systemPrompt: options.systemPrompt,
      sessionId: `${ctx.sessionId}:research:${agentId}`,
      maxIterations: options.maxIterations ?? 60,
      stream: false,
      kind: "research",
      auth: ctx.auth,
      budget: {
        maxPromptTokens:
          options.maxPromptTokens ?? Math.floor(provider.info.contextWindow * RESEARCH_WINDOW_SHARE),
        nudgeAt: 0.75,
        finalAnswerOnLimit: true,
      },
      approval: gate
        ? {
            decide: (batch) =>
              gate.decide(batch).map((v) =>
                v.action === "ask"
                  ? {
                      action: "deny",
                      reason: "needs the user's approval; ask the main agent to do this instead",
                    }
                  : v,
              ),
            settle: gate.settle,
          }
        : undefined,
    });
    let tokens = 0;
    let toolCalls = 0;
    const unsubscribe = sub.subscribe((event) => {
      if (event.type === "tool_call") {
        toolCalls++;
        ctx.log(`▸ ${event.tool}  ${JSON.stringify(event.arguments).slice(0, 80)}`, { agentId, label });
        ctx.progress(toolCalls, undefined, `${label} (${toolCalls} tool calls)`);
      } else if (event.type === "llm_call") {
        options.onLlmCall?.(event);
        tokens = event.input_tokens + event.cache_read_tokens + event.cache_write_tokens;
        ctx.log(`tokens:${tokens}`, { agentId, label });
      } else if (event.type === "notice") {
        ctx.log(event.message, { agentId, label });
      }
    });
    const onAbort = () => sub.submit({ type: "interrupt" });
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    ctx.log("Starting research sub-agent...", { agentId, label });
    try {
      const prompt = context ? `${task}\n\nContext from the main conversation:\n${context}` : task;
      const result = await sub.send(prompt);
      if (result.status === "interrupted") return { text: "Research was interrupted.", isError: true };
      if (result.status === "error") {
        return { text: `Research failed: ${result.error?.message ?? "unknown error"}`, isError: true };
      }
      const answer = result.finalResponse?.trim();
      if (!answer) return { text: "Research ended without a summary.", isError: true };
      ctx.log("Research complete.", { agentId, label });
      return {
        text: answer,
        structured: {
          summary: answer,
          iterations: result.iterations,
          tool_calls: toolCalls,
          agent_id: agentId,
        },
      };
    } finally {
      ctx.signal.removeEventListener("abort", onAbort);
      unsubscribe();
      await sub.close();
    }
  }
}
