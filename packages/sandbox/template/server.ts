/**
 * Entry point of the remote sandbox Space: serves the sandbox protocol on $PORT (7860 on Spaces) for the ML Intern
 * session that created the Space. The container is the isolation boundary (a private Space per session), so commands
 * run unsandboxed inside it; SANDBOX_API_TOKEN is the per-Space secret the provisioner sets.
 */
import { startSandboxServer } from "@ml-intern/sandbox";

const port = Number(process.env.PORT ?? 7860);
const workspace = process.env.SANDBOX_WORKSPACE ?? "/workspace";

const server = await startSandboxServer({
  token: process.env.SANDBOX_API_TOKEN,
  host: process.env.SANDBOX_HOST ?? "0.0.0.0",
  port,
  workspace,
  isolation: "none",
});
process.stderr.write(`sandbox server listening on ${server.url} (workspace ${workspace})\n`);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
