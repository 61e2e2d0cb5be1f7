/**
 * Runs an image's start command on this machine instead of in a container: the image's WORKDIR maps to the
 * repository root, `bun` to the running Bun, and the image port to a free local port.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FinalStage } from "../../src/dockerfile.ts";
import { waitFor } from "./wait-for.ts";

export function freePort(): number {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port;
  probe.stop(true);
  if (!port) throw new Error("could not find a free port");
  return port;
}

export interface Translation {
  repoRoot: string;
  stage: FinalStage;
  imagePort: string;
  localPort: number;
}

/** Rewrites an in-image argv to run from the checkout. */
export function toLocalArgv(argv: readonly string[], t: Translation): string[] {
  const workdir = t.stage.workdir ?? "/";
  return argv.map((arg, i) => {
    if (i === 0 && arg === "bun") return process.execPath;
    if (argv[i - 1] === "--port") return String(t.localPort);
    if (arg === workdir || arg.startsWith(`${workdir}/`)) return t.repoRoot + arg.slice(workdir.length);
    return arg.replaceAll(`:${t.imagePort}/`, `:${t.localPort}/`);
  });
}

export interface LocalServer {
  baseUrl: string;
  /** Everything the server wrote to stderr so far (for failure messages). */
  output(): string;
  exitCode(): number | null;
  stop(): Promise<void>;
}

export async function startLocalServer(
  argv: string[],
  {
    cwd,
    env,
    port,
    timeoutMs,
  }: { cwd: string; env: Record<string, string>; port: number; timeoutMs: number },
): Promise<LocalServer> {
  const home = await mkdtemp(join(tmpdir(), "ml-intern-deploy-"));
  const proc = Bun.spawn(argv, {
    cwd,
    env: { ...env, HOME: home, XDG_CONFIG_HOME: join(home, ".config") },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let output = "";
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  void drain(proc.stdout);
  void drain(proc.stderr);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill("SIGTERM");
      const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(5_000).then(() => false)]);
      if (!exited) proc.kill("SIGKILL");
      await proc.exited;
    }
    await rm(home, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `${argv.slice(1).join(" ")} to answer ${baseUrl}/health`,
      async () => {
        const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
        return res.status === 200 ? res : undefined;
      },
      {
        timeoutMs,
        abortIf: () => (proc.exitCode === null ? undefined : `the server exited with code ${proc.exitCode}`),
      },
    );
  } catch (error) {
    await stop();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- server output (tail) ---\n${output.slice(-4_000)}`);
  }
  return { baseUrl, output: () => output, exitCode: () => proc.exitCode, stop };
}
