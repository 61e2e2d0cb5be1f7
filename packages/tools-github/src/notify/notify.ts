import { type AnyToolDefinition, defineTool, errorResult, type ToolResult } from "@ml-intern/tool";
import { z } from "zod";
import type { NotifyDestination } from "./destinations.ts";
import description from "./notify.txt" with { type: "text" };
import { type SendDeps, sendNotification } from "./send.ts";

export interface NotifyToolOptions extends SendDeps {
  destinations: readonly NotifyDestination[];
}

const output = z.object({
  results: z
    .array(
      z.object({
        destination: z.string().describe("The destination's configured name."),
        ok: z.boolean().describe("True when the destination accepted the message."),
        error: z.string().optional().describe("Why sending failed."),
      }),
    )
    .describe("One entry per destination sent to."),
});

export function createNotifyTool(options: NotifyToolOptions): AnyToolDefinition {
  const byName = new Map(options.destinations.map((d) => [d.name, d]));
  const names = [...byName.keys()];
  const input = z.object({
    destinations: z
      .array(z.string())
      .optional()
      .describe(`Destination names to send to (configured: ${names.join(", ") || "none"}). Omit for all.`),
    message: z.string().trim().min(1).max(30_000).describe("The message, in markdown. Keep it short."),
    title: z.string().max(200).optional().describe("A short title shown in bold above the message."),
    severity: z
      .enum(["info", "success", "warning", "error"])
      .default("info")
      .describe("How important it is."),
  });
  return defineTool({
    name: "notify",
    description,
    toolset: "notify",
    input,
    output,
    annotations: {
      title: "Send a notification",
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    },
    needsApproval: () => null,
    async execute(args, ctx): Promise<ToolResult> {
      if (byName.size === 0) {
        return errorResult(
          "No notification destination is configured. Set ML_INTERN_SLACK_WEBHOOK_URL or ML_INTERN_NOTIFY_WEBHOOK_URL.",
        );
      }
      const requested = [...new Set((args.destinations ?? names).map((n) => n.trim()).filter(Boolean))];
      if (requested.length === 0) return errorResult(`Name at least one destination: ${names.join(", ")}.`);
      const unknown = requested.filter((n) => !byName.has(n));
      if (unknown.length) {
        return errorResult(`Unknown destination(s): ${unknown.join(", ")}. Configured: ${names.join(", ")}.`);
      }
      const notification = {
        message: args.message,
        title: args.title,
        severity: args.severity,
        sessionId: ctx.sessionId,
      };
      const outcomes = await Promise.all(
        requested.map(async (name) => ({
          name,
          outcome: await sendNotification(byName.get(name)!, notification, ctx.signal, options),
        })),
      );
      const lines = outcomes.map(({ name, outcome }) =>
        outcome.ok ? `${name}: sent` : `${name}: failed (${outcome.error})`,
      );
      const allOk = outcomes.every((o) => o.outcome.ok);
      return {
        text: lines.join("\n"),
        structured: { results: outcomes.map(({ name, outcome }) => ({ destination: name, ...outcome })) },
        ...(allOk ? {} : { isError: true }),
      };
    },
  });
}
