import { defineTool } from "@ml-intern/tool";
import { z } from "zod";
import { DEFAULT_READ_LINES } from "../core/limits.ts";
import type { BackendProvider } from "./backend-provider.ts";
import { numberLines } from "./number-lines.ts";
import type { ReadTracker } from "./read-tracker.ts";
import { renderError } from "./render-error.ts";

const input = z
  .object({
    path: z.string().describe("File to read: relative to the workspace, or absolute inside it."),
    offset: z.number().int().optional().describe("1-based line to start at (default 1)."),
    limit: z
      .number()
      .int()
      .optional()
      .describe(`Maximum number of lines to return (default ${DEFAULT_READ_LINES}).`),
  })
  .strict();

export function createReadTool(options: {
  provider: BackendProvider;
  tracker: ReadTracker;
  description: string;
}) {
  return defineTool({
    name: "read",
    description: options.description,
    toolset: "sandbox",
    input,
    annotations: {
      title: "Read a file",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    async execute(args, ctx) {
      try {
        const backend = await options.provider.get(ctx.signal);
        const file = await backend.readFile(args.path);
        options.tracker.record(file.path, file.content);
        const page = numberLines(file.content, args.offset ?? 1, args.limit ?? DEFAULT_READ_LINES);
        const structured = {
          path: file.path,
          firstLine: page.firstLine,
          lastLine: page.lastLine,
          totalLines: page.totalLines,
        };
        if (page.totalLines === 0) return { text: `(${args.path} is empty)`, structured };
        if (page.lastLine < page.firstLine) {
          return {
            text: `offset ${page.firstLine} is past the end of ${args.path} (${page.totalLines} lines).`,
            isError: true,
            structured,
          };
        }
        const more =
          page.lastLine < page.totalLines
            ? `\n\n(showing lines ${page.firstLine}-${page.lastLine} of ${page.totalLines}; continue with offset=${page.lastLine + 1})`
            : "";
        const latin1 =
          file.encoding === "latin1"
            ? "\n\n(This file is not valid UTF-8: it is shown as Latin-1, one character per byte. edit keeps every byte it does not change.)"
            : "";
        return { text: page.text + more + latin1, structured };
      } catch (error) {
        return renderError(error, "read");
      }
    },
  });
}
