import type { Env } from "@ml-intern/core";
import type { MlInternConfig } from "@ml-intern/runtime/config";
import { createHeadlessPrinter } from "../headless/run-headless.ts";
import { createOutputRedactor, createRuntime } from "../runtime/create-runtime.ts";
import type { CliArgs } from "./parse-args.ts";

export interface HeadlessCommandOptions {
  args: CliArgs;
  config: MlInternConfig;
  env: Env;
  /** Where a variable of `env` was read from (for error messages). */
  envSource?: (name: string) => string | undefined;
  cwd: string;
  model: string;
  prompt: string;
}

/** `ml-intern "prompt"`: one turn, auto-approved within the spend cap, then exit. */
export async function runHeadlessCommand(options: HeadlessCommandOptions): Promise<number> {
  const { args, config } = options;
  // Every output channel is redacted, not only session files: a model can echo a token it read from a file.
  const redactor = await createOutputRedactor(options.env, config);
  const io = {
    stdout: (t: string) => process.stdout.write(redactor.redact(t)),
    stderr: (t: string) => process.stderr.write(redactor.redact(t)),
  };
  const printer = createHeadlessPrinter(args.outputFormat ?? "text", io);
  const runtime = await createRuntime({
    config,
    env: options.env,
    envSource: options.envSource,
    cwd: options.cwd,
    model: options.model,
    headless: true,
    yolo: args.yolo || config.yolo_mode,
    maxIterations: args.maxIterations ?? config.max_iterations,
    spendCapUsd: args.maxSpendUsd ?? config.spend_cap_usd,
    stream: args.stream && config.stream,
    sandbox: args.sandbox ?? config.sandbox,
    network: args.network,
    resume: args.continue || args.resume === "" ? "1" : args.resume,
    onEvent: printer.onEvent,
    warn: (m) => process.stderr.write(`${redactor.redact(m)}\n`),
  });
  try {
    const outcome = await printer.run(runtime, options.prompt, (handler) => {
      process.on("SIGINT", handler);
      process.on("SIGTERM", handler);
      return () => {
        process.off("SIGINT", handler);
        process.off("SIGTERM", handler);
      };
    });
    return outcome.exitCode;
  } finally {
    await runtime.dispose();
  }
}
