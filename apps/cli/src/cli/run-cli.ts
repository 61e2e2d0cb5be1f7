import { homedir } from "node:os";
import type { Env } from "@ml-intern/core";
import type { LoadedConfig } from "@ml-intern/runtime/config";
import { CliError, EXIT } from "./exit-codes.ts";
import { hfTokenPath, readStoredHfToken } from "./hf-token-store.ts";
import { type CliArgs, type OutputFormat, parseCliArgs } from "./parse-args.ts";

export interface RunCliContext {
  env: Env;
  cwd: string;
  stdinIsTty?: boolean;
  stdoutIsTty?: boolean;
  readStdin?: () => Promise<string>;
}

function writeOut(text: string): void {
  process.stdout.write(text);
}
function writeErr(text: string): void {
  process.stderr.write(text);
}

function reportError(error: unknown, format: OutputFormat | undefined): number {
  const cli = error instanceof CliError ? error : undefined;
  const code = cli ? cli.exitCode : EXIT.error;
  const message = error instanceof Error ? error.message : String(error);
  const type = cli?.kind ?? "error";
  if (format === "json") {
    writeOut(
      `${JSON.stringify({ session_id: null, response: null, stats: null, spend: null, error: { type, message, code } }, null, 2)}\n`,
    );
  } else if (format === "stream-json") {
    writeOut(
      `${JSON.stringify({ type: "result", schema_version: 1, status: "error", timestamp: new Date().toISOString(), session_id: null, response: null, stats: null, spend: null, error: { type, message, code } })}\n`,
    );
  }
  writeErr(`ml-intern: ${message}\n`);
  if (!cli && error instanceof Error && process.env.ML_INTERN_DEBUG) writeErr(`${error.stack}\n`);
  return code;
}

/** Runs the command line and returns the exit code. */
export async function runCli(argv: readonly string[], ctx: RunCliContext): Promise<number> {
  if (argv[0] === "mcp") {
    const { runMcpSubcommand } = await import("./mcp-command.ts");
    return runMcpSubcommand(argv.slice(1), ctx.env, ctx.cwd).catch((e) => reportError(e, undefined));
  }
  if (argv[0] === "sandbox") {
    const { runSandboxCommand } = await import("./sandbox-command.ts");
    return runSandboxCommand(argv.slice(1), ctx.env, ctx.cwd).catch((e) => reportError(e, undefined));
  }

  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    return reportError(error, undefined);
  }
  try {
    const stdinIsTty = ctx.stdinIsTty ?? process.stdin.isTTY === true;
    let prompt = args.prompt;
    if (prompt === undefined && !stdinIsTty) {
      const piped = ctx.readStdin ? await ctx.readStdin() : await Bun.stdin.text();
      if (piped.trim()) prompt = piped.trim();
    }
    if (prompt === undefined && (!stdinIsTty || args.print)) {
      throw new CliError(
        "usage",
        args.print
          ? "-p/--print needs a prompt: pass one as an argument or pipe it on stdin."
          : "No prompt: pass one as an argument or pipe it on stdin, or run in a terminal.",
      );
    }
    if (prompt === undefined && args.outputFormat && args.outputFormat !== "text") {
      throw new CliError("usage", `--output-format ${args.outputFormat} needs a prompt (headless mode)`);
    }

    const [{ loadConfig }, { RuntimeError }] = await Promise.all([
      import("@ml-intern/runtime/config"),
      import("@ml-intern/runtime/errors"),
    ]);
    let loaded: LoadedConfig;
    try {
      loaded = loadConfig({ env: ctx.env, cwd: ctx.cwd, configFile: args.config });
    } catch (error) {
      if (error instanceof RuntimeError) throw new CliError(error.kind, error.message);
      throw error;
    }
    for (const notice of loaded.envNotices) writeErr(`${notice}\n`);
    const home = loaded.env.HOME ?? homedir();
    let env: Env = loaded.env;
    let envSource = loaded.envSource;
    if (!env.HF_TOKEN && !env.HUGGING_FACE_HUB_TOKEN) {
      const stored = readStoredHfToken(env, home);
      if (stored) {
        env = { ...env, HF_TOKEN: stored };
        const tokenFile = hfTokenPath(env, home);
        envSource = (name) => (name === "HF_TOKEN" ? tokenFile : loaded.envSource(name));
      }
    }
    const [{ pickStartModel }, { resolveStateHome }] = await Promise.all([
      import("@ml-intern/runtime/model"),
      import("@ml-intern/core"),
    ]);
    // After the stored HF token is read: it counts as a key present.
    const { model, source: modelSource } = pickStartModel(
      args.model ?? (loaded.modelNamed ? loaded.config.model_name : undefined),
      env,
      resolveStateHome({ env, homeDir: home }),
    );

    if (prompt !== undefined) {
      const { runHeadlessCommand } = await import("./headless-command.ts");
      return await runHeadlessCommand({
        args,
        config: loaded.config,
        env,
        envSource,
        cwd: ctx.cwd,
        model,
        prompt,
      });
    }
    const { runInteractive } = await import("../interactive/run-interactive.ts");
    return await runInteractive({
      args,
      config: loaded.config,
      env,
      cwd: ctx.cwd,
      model,
      modelSource,
      home,
    });
  } catch (error) {
    return reportError(error, args.outputFormat);
  }
}
