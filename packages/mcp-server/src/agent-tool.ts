import { type AgentEvent, type AnyToolDefinition, defineTool, errorResult } from "@ml-intern/core";
import { z } from "zod";
import type { ApprovalElicitor, RunAgent } from "./agent-run.ts";
import description from "./agent-tool.txt" with { type: "text" };

export const AGENT_TOOL_NAME = "ml_intern";
export const AGENT_TOOLSET = "agent";

export interface AgentToolOptions {
  runAgent: RunAgent;
  /** Per server instance: present only when the connected client declared elicitation. */
  getElicitor?: () => ApprovalElicitor | undefined;
}

const input = z.object({
  task: z
    .string()
    .min(1)
    .describe(
      "The task for the agent, in plain language, with any repo ids, datasets or constraints it needs.",
    ),
  session_id: z
    .string()
    .min(1)
    .optional()
    .describe("A session_id returned by an earlier ml_intern call, to continue that conversation."),
});

const output = z.object({
  session_id: z.string().describe("Pass it back as session_id to continue this conversation."),
  status: z
    .enum(["done", "max_iterations", "interrupted", "error"])
    .describe(
      "How the run ended: done, max_iterations (continue the session to go on), interrupted or error.",
    ),
  final_answer: z.string().nullable().describe("The agent's final answer (null when it gave none)."),
  iterations: z.number().int().describe("Model turns the run took."),
  error: z.string().optional().describe("Why the run stopped, when status is error."),
});

const clip = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A one-line description of an event worth reporting as progress, or undefined. */
export function describeAgentEvent(event: AgentEvent): string | undefined {
  switch (event.type) {
    case "processing":
      return "Agent is thinking";
    case "tool_call":
      return `Calling ${event.tool}`;
    case "tool_output":
      return `${event.tool} ${event.success ? "finished" : "failed"}`;
    case "tool_progress":
      return event.message ? `${event.tool}: ${clip(event.message)}` : undefined;
    case "approval_required":
      return `Waiting for approval: ${event.tools.map((t) => t.tool).join(", ")}`;
    case "compacted":
      return "Compacted the conversation";
    case "assistant_message":
      return clip(event.content.replace(/\s+/g, " "));
    case "error":
      return `Error: ${clip(event.error)}`;
    default:
      return undefined;
  }
}

/** The whole agent as one MCP tool: a task in, a full run with streamed progress, the answer and a session id out. */
export function createAgentTool(options: AgentToolOptions): AnyToolDefinition {
  return defineTool({
    name: AGENT_TOOL_NAME,
    description,
    toolset: AGENT_TOOLSET,
    input,
    output,
    annotations: {
      title: "ML Intern agent",
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    },
    longRunning: true,
    async execute(args, ctx) {
      let step = 0;
      const onEvent = (event: AgentEvent) => {
        if (event.type === "tool_log") ctx.log(`${event.tool}: ${event.log}`);
        else if (event.type === "notice") ctx.log(event.message);
        else if (event.type === "assistant_message") ctx.log(event.content);
        const message = describeAgentEvent(event);
        if (message) ctx.progress(++step, undefined, message);
      };
      const elicit = options.getElicitor?.();
      try {
        const result = await options.runAgent({
          task: args.task,
          ...(args.session_id ? { sessionId: args.session_id } : {}),
          signal: ctx.signal,
          onEvent,
          ...(elicit ? { elicit } : {}),
          ...(ctx.auth ? { auth: ctx.auth } : {}),
        });
        const structured = {
          session_id: result.sessionId,
          status: result.status,
          final_answer: result.finalResponse,
          iterations: result.iterations,
          ...(result.error ? { error: result.error.message } : {}),
        };
        const footer = `\n\n---\nsession_id: ${result.sessionId} (pass it as session_id to continue) · status: ${result.status} · iterations: ${result.iterations}`;
        if (result.status === "error") {
          return errorResult(
            `The agent stopped with an error: ${result.error?.message ?? "unknown"}${footer}`,
            structured,
          );
        }
        if (result.status === "interrupted") {
          return errorResult(`The agent run was interrupted.${footer}`, structured);
        }
        const note =
          result.status === "max_iterations"
            ? "\n\n(The agent hit its iteration limit; continue the session to let it go on.)"
            : "";
        return { text: `${result.finalResponse ?? "(no final answer)"}${note}${footer}`, structured };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return errorResult(`The agent could not run: ${message}`);
      }
    },
  });
}
