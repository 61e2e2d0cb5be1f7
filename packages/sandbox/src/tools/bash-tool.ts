import { defineTool } from "@ml-intern/tool";
import { z } from "zod";
import type { ExecResult } from "../backend.ts";
import { DEFAULT_TIMEOUT_SECONDS } from "../core/limits.ts";
import type { BackendProvider } from "./backend-provider.ts";
import { createLiveOutput } from "./live-output.ts";
import { renderError } from "./render-error.ts";

const input = z
  .object({
    command: z.string().describe("The bash command to run."),
    description: z.string().optional().describe("What the command does, in 5-10 words (shown to the user)."),
    work_dir: z
      .string()
      .optional()
      .describe("Directory to run in, relative to the workspace; defaults to the workspace."),
    timeout: z
      .number()
      .optional()
      .describe(
        `Seconds before the command and everything it started are killed; default ${DEFAULT_TIMEOUT_SECONDS}.`,
      ),
  })
  .strict();

export interface BashToolOptions {
  provider: BackendProvider;
  description: string;
  maxTimeoutSeconds: number;
}

const BACKGROUND_ADVICE =
  "For long-running work, run it in the background and poll it: `nohup <command> > /tmp/run.log 2>&1 & echo $!`, then check `kill -0 <PID>` and `tail -n 50 /tmp/run.log` in later calls.";

export function formatExecResult(
  result: ExecResult,
  timeoutSeconds: number,
): { text: string; isError: boolean } {
  const output = result.output.length ? result.output : "(no output)";
  if (result.timedOut) {
    return {
      text: `${output}\n\nCommand timed out after ${timeoutSeconds}s and was killed, with every process it started. ${BACKGROUND_ADVICE}`,
      isError: true,
    };
  }
  if (result.cancelled) return { text: `${output}\n\nCommand was cancelled and killed.`, isError: true };
  if (result.exitCode !== 0) {
    const why =
      result.exitCode === null ? `killed by ${result.signal ?? "a signal"}` : `Exit code ${result.exitCode}`;
    return { text: `${output}\n\nERROR: ${why}`, isError: true };
  }
  return { text: output, isError: false };
}

export function createBashTool(options: BashToolOptions) {
  return defineTool({
    name: "bash",
    description: options.description,
    toolset: "sandbox",
    input,
    annotations: {
      title: "Run a shell command",
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    },
    async execute(args, ctx) {
      if (!args.command.trim()) return { text: "No command provided.", isError: true };
      const requested = args.timeout ?? DEFAULT_TIMEOUT_SECONDS;
      if (!Number.isFinite(requested) || requested <= 0) {
        return {
          text: `Invalid timeout ${args.timeout}: give a positive number of seconds (default ${DEFAULT_TIMEOUT_SECONDS}, maximum ${options.maxTimeoutSeconds}).`,
          isError: true,
        };
      }
      const timeoutSeconds = Math.min(requested, options.maxTimeoutSeconds);
      // The user watches the output live; the model gets it whole in the result.
      const live = createLiveOutput({ emit: (text) => ctx.log(text, { label: "bash" }) });
      try {
        const backend = await options.provider.get(ctx.signal);
        const result = await backend
          .exec(args.command, {
            cwd: args.work_dir,
            timeoutMs: timeoutSeconds * 1000,
            signal: ctx.signal,
            onOutput: live.write,
          })
          .finally(live.end);
        const { text, isError } = formatExecResult(result, timeoutSeconds);
        const clamped =
          requested > options.maxTimeoutSeconds
            ? `\n\n(timeout capped at the maximum of ${options.maxTimeoutSeconds}s)`
            : "";
        return {
          text: text + clamped,
          isError,
          structured: {
            exitCode: result.exitCode,
            timedOut: result.timedOut,
            cancelled: result.cancelled,
            truncated: result.truncated,
            ...(result.spillPath ? { fullOutputPath: result.spillPath } : {}),
          },
          meta: { durationMs: result.durationMs, spillPath: result.spillPath, backend: backend.kind },
        };
      } catch (error) {
        return renderError(error, "bash");
      }
    },
  });
}
