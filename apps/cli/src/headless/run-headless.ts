import type { AgentEvent, TurnResult } from "@ml-intern/core";
import type { OutputFormat } from "../cli/parse-args.ts";
import { displayToolName, firstLine, summarizeArgs } from "../render/tool-summary.ts";
import type { CliRuntime } from "../runtime/create-runtime.ts";
import { outcomeOf, type RunOutcome } from "./outcome.ts";
import { createStatsCollector, type RunStats } from "./run-stats.ts";
import { type ResultEvent, STREAM_JSON_SCHEMA_VERSION, toStreamEvent } from "./stream-schema.ts";

export interface HeadlessIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface HeadlessSummary {
  session_id: string;
  response: string | null;
  stats: RunStats;
  /** Spend against the cap (model estimate + tools). */
  spend: ReturnType<CliRuntime["spend"]>;
  error: RunOutcome["error"];
}

const usd = (n: number | null | undefined): string =>
  typeof n === "number" ? `$${n.toFixed(2)}` : "unknown";

/** One stderr line per auto-approval or refusal, in every output format (spend is never silent). */
function approvalLine(event: AgentEvent): string | null {
  if (event.type !== "approval_decision") return null;
  const cost = event.estimated_cost_usd === undefined ? "" : ` est. ${usd(event.estimated_cost_usd)};`;
  const cap = event.cap_usd === null ? "no cap" : `cap ${usd(event.cap_usd)}`;
  const name = displayToolName(event.tool);
  return event.decision === "auto_approved"
    ? `ml-intern: auto-approved ${name} (${event.source};${cost} spent ${usd(event.spent_usd)} of ${cap})`
    : `ml-intern: refused ${name}: ${event.reason}`;
}

/** Progress lines for text mode (stderr). */
function progressLine(event: AgentEvent): string | null {
  switch (event.type) {
    case "tool_call":
      return event.agent_id ? null : `▸ ${displayToolName(event.tool)} ${summarizeArgs(event.arguments)}`;
    case "tool_state_change":
      return event.state === "rejected"
        ? `  ✗ ${displayToolName(event.tool)} not run: ${event.detail ?? ""}`
        : null;
    case "tool_output":
      return event.success || event.agent_id
        ? null
        : `  ✗ ${displayToolName(event.tool)}: ${firstLine(event.output)}`;
    case "notice":
      return `· ${event.message}`;
    case "compacted":
      return `· context compacted: ${event.old_tokens} → ${event.new_tokens} tokens`;
    default:
      return null;
  }
}

export interface HeadlessPrinter {
  /** Subscribe this before the agent starts so no event (e.g. `ready`) is missed. */
  onEvent(event: AgentEvent): void;
  /** Sends the prompt, waits for the turn, prints the final output and returns the outcome. */
  run(
    runtime: CliRuntime,
    prompt: string,
    onInterrupt: (handler: () => void) => () => void,
  ): Promise<RunOutcome>;
}

/** Headless output: `text` (answer on stdout, progress on stderr), `json` (one object), `stream-json` (events + result). */
export function createHeadlessPrinter(format: OutputFormat, io: HeadlessIo): HeadlessPrinter {
  const stats = createStatsCollector();
  let runtime: CliRuntime | undefined;
  let finished = false;

  return {
    onEvent(event) {
      // The result line is the last one; later events (shutdown) are not printed.
      if (finished) return;
      stats.observe(event);
      if (event.type === "approval_required" && runtime) {
        // Only calls that can never be auto-approved get here; nobody can answer them.
        runtime.agent.submit({
          type: "exec_approval",
          approvals: event.tools.map((t) => ({
            tool_call_id: t.tool_call_id,
            decision: "reject" as const,
            feedback: "Headless run: this call needs a human and was not executed.",
          })),
        });
      }
      const approval = approvalLine(event);
      if (approval) io.stderr(`${approval}\n`);
      if (format === "stream-json") {
        const mapped = toStreamEvent(event);
        if (mapped) io.stdout(`${JSON.stringify(mapped)}\n`);
      } else if (format === "text") {
        const line = progressLine(event);
        if (line) io.stderr(`${line}\n`);
      }
    },
    async run(rt, prompt, onInterrupt) {
      runtime = rt;
      const stop = onInterrupt(() => {
        rt.agent.submit({ type: "interrupt" });
        void rt.interruptTools();
      });
      let result: TurnResult;
      try {
        result = await rt.agent.send(prompt);
      } finally {
        stop();
      }
      const outcome = outcomeOf(result);
      finished = true;
      const summary: HeadlessSummary = {
        session_id: rt.sessionId,
        response: result.finalResponse,
        stats: stats.snapshot(),
        spend: rt.spend(),
        error: outcome.error,
      };
      if (format === "json") {
        io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      } else if (format === "stream-json") {
        const event: ResultEvent = {
          type: "result",
          schema_version: STREAM_JSON_SCHEMA_VERSION,
          status: outcome.status,
          timestamp: new Date().toISOString(),
          ...summary,
        };
        io.stdout(`${JSON.stringify(event)}\n`);
      } else {
        if (result.finalResponse) io.stdout(result.finalResponse.replace(/\n*$/, "\n"));
        if (outcome.error) io.stderr(`ml-intern: ${outcome.error.message}\n`);
      }
      return outcome;
    },
  };
}
