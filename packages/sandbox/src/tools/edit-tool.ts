import { defineTool } from "@ml-intern/tool";
import { z } from "zod";
import { applyEdit } from "../core/edit.ts";
import type { BackendProvider } from "./backend-provider.ts";
import type { ReadTracker } from "./read-tracker.ts";
import { renderError } from "./render-error.ts";
import { staleMessage } from "./write-tool.ts";

const input = z
  .object({
    path: z.string().describe("File to edit: relative to the workspace, or absolute inside it."),
    old_str: z
      .string()
      .describe("Exact text to find (unique in the file unless replace_all), without line numbers."),
    new_str: z.string().describe("Replacement text (or text to insert, for append_after / prepend_before)."),
    replace_all: z.boolean().optional().describe("Apply to every occurrence of old_str (default false)."),
    mode: z
      .enum(["replace", "append_after", "prepend_before"])
      .optional()
      .describe(
        "replace (default), append_after (insert after the match) or prepend_before (insert before it).",
      ),
  })
  .strict();

export function createEditTool(options: {
  provider: BackendProvider;
  tracker: ReadTracker;
  description: string;
}) {
  return defineTool({
    name: "edit",
    description: options.description,
    toolset: "sandbox",
    input,
    annotations: {
      title: "Edit a file",
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: false,
    },
    async execute(args, ctx) {
      if (args.old_str === args.new_str) return { text: "old_str and new_str must differ.", isError: true };
      try {
        const backend = await options.provider.get(ctx.signal);
        const current = await backend.readFile(args.path);
        const freshness = options.tracker.check(current.path, current.content);
        if (freshness === "unread") {
          return {
            text: `You must read ${args.path} before editing it. Use the read tool first to see its current contents.`,
            isError: true,
          };
        }
        if (freshness === "stale") return { text: staleMessage(args.path), isError: true };
        const outcome = applyEdit(current.content, {
          oldStr: args.old_str,
          newStr: args.new_str,
          replaceAll: args.replace_all,
          mode: args.mode,
        });
        if (!outcome.ok) return { text: outcome.message, isError: true, structured: { error: outcome.code } };
        // A Latin-1 (non-UTF-8) file is written back in Latin-1, so every byte the edit did not touch is kept.
        const written = await backend.writeFile(current.path, outcome.content, {
          encoding: current.encoding ?? "utf8",
        });
        options.tracker.record(written.path, outcome.content);
        const plural = outcome.replacements === 1 ? "" : "s";
        return {
          text: `Edited ${written.path} (${outcome.replacements} replacement${plural})${outcome.note ? ` ${outcome.note}` : ""}`,
          structured: {
            path: written.path,
            replacements: outcome.replacements,
            fuzzy: Boolean(outcome.note),
          },
        };
      } catch (error) {
        return renderError(error, "edit");
      }
    },
  });
}
