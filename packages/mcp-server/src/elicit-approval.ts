import type { ApprovalAnswer, ApprovalRequestItem } from "@ml-intern/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ApprovalElicitor } from "./agent-run.ts";

function describeItem(item: ApprovalRequestItem): string {
  const cost =
    typeof item.estimated_cost_usd === "number"
      ? ` Estimated cost: $${item.estimated_cost_usd.toFixed(2)}.`
      : "";
  const args = JSON.stringify(item.arguments);
  const shown = args.length > 600 ? `${args.slice(0, 600)}…` : args;
  return `ML Intern wants to run ${item.tool}: ${item.reason}.${cost}\nArguments: ${shown}`;
}

/** Asks the client's user, one form per call: approve or reject, with optional feedback for the agent. */
export function createMcpElicitor(server: McpServer): ApprovalElicitor {
  return async (items, signal) => {
    const answers: ApprovalAnswer[] = [];
    for (const item of items) {
      const result = await server.server.elicitInput(
        {
          mode: "form",
          message: describeItem(item),
          requestedSchema: {
            type: "object",
            properties: {
              approve: { type: "boolean", title: "Approve", description: `Run ${item.tool} now` },
              feedback: {
                type: "string",
                title: "Feedback",
                description: "Optional note for the agent (why not, what to change)",
              },
            },
            required: ["approve"],
          },
        },
        { signal, timeout: 30 * 60_000 },
      );
      const content = result.action === "accept" ? result.content : undefined;
      const approved = content?.approve === true;
      const answer: ApprovalAnswer = {
        tool_call_id: item.tool_call_id,
        decision: approved ? "approve" : "reject",
      };
      if (typeof content?.feedback === "string" && content.feedback.trim())
        answer.feedback = content.feedback;
      else if (result.action !== "accept") answer.feedback = `The user chose to ${result.action}.`;
      answers.push(answer);
    }
    return answers;
  };
}
