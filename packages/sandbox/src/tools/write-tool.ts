import { defineTool } from "@ml-intern/tool";
import { z } from "zod";
import type { BackendProvider } from "./backend-provider.ts";
import type { ReadTracker } from "./read-tracker.ts";
import { renderError } from "./render-error.ts";

const input = z
  .object({
    path: z.string().describe("File to write: relative to the workspace, or absolute inside it."),
    content: z.string().describe("The complete new contents of the file."),
  })
  .strict();

export function staleMessage(path: string): string {
  return `${path} changed on disk since you last read it. Read it again before changing it, so you do not overwrite those changes.`;
}

export function createWriteTool(options: {
  provider: BackendProvider;
  tracker: ReadTracker;
  description: string;
}) {
  return defineTool({
    name: "write",
    description: options.description,
    toolset: "sandbox",
    input,
    annotations: {
      title: "Write a file",
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    },
    async execute(args, ctx) {
      try {
        const backend = await options.provider.get(ctx.signal);
        const stat = await backend.stat(args.path);
        if (stat.isDirectory) return { text: `${args.path} is a directory.`, isError: true };
        if (stat.exists) {
          const current = await backend.readFile(args.path);
          const freshness = options.tracker.check(current.path, current.content);
          if (freshness === "unread") {
            return {
              text: `You must read ${args.path} before overwriting it. Use the read tool first to see its current contents (or edit for targeted changes).`,
              isError: true,
            };
          }
          if (freshness === "stale") return { text: staleMessage(args.path), isError: true };
        }
        const written = await backend.writeFile(args.path, args.content);
        options.tracker.record(written.path, args.content);
        return {
          text: `Wrote ${written.bytes} bytes to ${written.path}`,
          structured: { path: written.path, bytes: written.bytes, created: !stat.exists },
        };
      } catch (error) {
        return renderError(error, "write");
      }
    },
  });
}
