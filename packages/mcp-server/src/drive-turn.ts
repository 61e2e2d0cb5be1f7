import type { Agent, AgentEvent, ApprovalAnswer } from "@ml-intern/core";
import type { AgentRunRequest, AgentRunResult } from "./agent-run.ts";

/**
 * Sends one task to an agent and resolves when the turn ends: forwards events, answers approval
 * requests through the elicitor (or rejects them when there is none), and interrupts on abort.
 */
export async function driveAgentTurn(
  agent: Agent,
  request: Pick<AgentRunRequest, "task" | "signal" | "onEvent" | "elicit">,
): Promise<AgentRunResult> {
  const { signal } = request;
  const onApproval = async (event: Extract<AgentEvent, { type: "approval_required" }>) => {
    let answers: ApprovalAnswer[];
    try {
      answers = request.elicit
        ? await request.elicit(event.tools, signal)
        : event.tools.map((t) => ({
            tool_call_id: t.tool_call_id,
            decision: "reject" as const,
            feedback: "The MCP client cannot answer approval requests.",
          }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      answers = event.tools.map((t) => ({
        tool_call_id: t.tool_call_id,
        decision: "reject" as const,
        feedback: `Approval could not be asked: ${message}`,
      }));
    }
    if (!signal.aborted) agent.submit({ type: "exec_approval", approvals: answers });
  };
  const unsubscribe = agent.subscribe((event) => {
    try {
      request.onEvent(event);
    } catch {
      // A failing observer must not break the run.
    }
    if (event.type === "approval_required") void onApproval(event);
  });
  const onAbort = () => agent.submit({ type: "interrupt" });
  if (signal.aborted) onAbort();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const result = await agent.send(request.task);
    const out: AgentRunResult = {
      sessionId: agent.sessionId,
      status: result.status,
      finalResponse: result.finalResponse,
      iterations: result.iterations,
    };
    if (result.error) out.error = result.error;
    return out;
  } finally {
    signal.removeEventListener("abort", onAbort);
    unsubscribe();
  }
}
