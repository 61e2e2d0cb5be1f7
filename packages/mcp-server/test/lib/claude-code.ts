import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

/** The Claude Code range this suite drives (`claude -p` with --mcp-config and --strict-mcp-config). */
export const CLAUDE_CODE_SPEC = "@anthropic-ai/claude-code@^2.1";

/** Installed once under the repo's node_modules/.cache, so reruns are fast. */
const PREFIX = join(import.meta.dir, "..", "..", "..", "..", "node_modules", ".cache", "claude-code");
const BIN = join(PREFIX, "node_modules", ".bin", "claude");

async function run(cmd: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  const child = Bun.spawn(cmd, { stdin: "ignore", stdout: "pipe", stderr: "pipe", cwd: PREFIX });
  const timer = setTimeout(() => child.kill(), timeoutMs);
  const [code, out, err] = await Promise.all([
    child.exited,
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  clearTimeout(timer);
  return { code, output: `${out}${err}`.trim() };
}

/** The `claude` binary, installing it from npm when needed; a reason instead when npm cannot install it. */
export async function installClaudeCode(): Promise<{ bin: string } | { reason: string }> {
  await mkdir(PREFIX, { recursive: true });
  if (existsSync(BIN) && (await run([BIN, "--version"], 30_000)).code === 0) return { bin: BIN };
  const npm = Bun.which("npm");
  if (!npm) return { reason: "npm is not on PATH" };
  const installed = await run(
    [npm, "install", "--no-audit", "--no-fund", "--prefix", PREFIX, CLAUDE_CODE_SPEC],
    240_000,
  );
  if (installed.code !== 0 || !existsSync(BIN)) {
    return {
      reason: `npm install ${CLAUDE_CODE_SPEC} failed: ${installed.output.split("\n").slice(-3).join(" ")}`,
    };
  }
  const version = await run([BIN, "--version"], 30_000);
  if (version.code !== 0) return { reason: `claude --version failed: ${version.output}` };
  return { bin: BIN };
}
