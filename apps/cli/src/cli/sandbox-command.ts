import { parseArgs } from "node:util";
import type { Env } from "@ml-intern/core";
import { CliError, EXIT } from "./exit-codes.ts";

const SANDBOX_HELP = `Usage: ml-intern sandbox serve [--host 127.0.0.1] [--port 7860] [--workspace DIR] [--isolation bwrap|none]

Serves the sandbox API that a remote ML Intern session drives. Requires SANDBOX_API_TOKEN
(at least 16 characters); clients send it in X-Sandbox-Authorization.
`;

/** `ml-intern sandbox serve`: runs @ml-intern/sandbox's server until SIGINT/SIGTERM. */
export async function runSandboxCommand(argv: readonly string[], env: Env, cwd: string): Promise<number> {
  if (argv[0] === "--help" || argv[0] === "-h" || argv.length === 0) {
    process.stdout.write(SANDBOX_HELP);
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  if (argv[0] !== "serve") throw new CliError("usage", `Unknown sandbox command "${argv[0]}" (try: serve)`);
  let values: { host?: string; port?: string; workspace?: string; isolation?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv.slice(1)],
      strict: true,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        workspace: { type: "string" },
        isolation: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new CliError("usage", (error as Error).message.split("\n")[0]!);
  }
  if (values.help) {
    process.stdout.write(SANDBOX_HELP);
    return EXIT.ok;
  }
  const port = values.port === undefined ? Number(env.PORT ?? 7860) : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError("usage", "--port must be 0-65535");
  if (values.isolation && values.isolation !== "bwrap" && values.isolation !== "none") {
    throw new CliError("usage", "--isolation must be bwrap or none");
  }
  const { startSandboxServer } = await import("@ml-intern/sandbox");
  let server: Awaited<ReturnType<typeof startSandboxServer>>;
  try {
    server = await startSandboxServer({
      token: env.SANDBOX_API_TOKEN,
      host: values.host ?? "127.0.0.1",
      port,
      workspace: values.workspace ?? cwd,
      isolation: values.isolation as "bwrap" | "none" | undefined,
    });
  } catch (error) {
    throw new CliError("config", (error as Error).message);
  }
  process.stderr.write(`sandbox server listening on ${server.url}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.stop();
  return EXIT.ok;
}
