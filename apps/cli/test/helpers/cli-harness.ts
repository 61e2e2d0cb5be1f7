import { afterAll, beforeAll } from "bun:test";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createTempDir, type TempDir } from "@ml-intern/testing/temp-dir";

export const MAIN = resolve(import.meta.dir, "../../src/main.ts");

export interface IsolatedHome {
  root: TempDir;
  home: string;
  workspace: string;
  configHome: string;
  dataHome: string;
  /** An environment that only points at the isolated dirs (plus PATH). */
  env(extra?: Record<string, string>): Record<string, string>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** HOME, XDG dirs, ML_INTERN_HOME and a workspace, all under one temp dir. */
export async function createIsolatedHome(): Promise<IsolatedHome> {
  const root = await createTempDir("ml-intern-cli-");
  const dirs = {
    home: join(root.path, "home"),
    workspace: join(root.path, "workspace"),
    configHome: join(root.path, "config"),
    dataHome: join(root.path, "data"),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return {
    root,
    ...dirs,
    env: (extra = {}) => ({
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: dirs.home,
      XDG_CONFIG_HOME: dirs.configHome,
      XDG_DATA_HOME: dirs.dataHome,
      XDG_CACHE_HOME: join(dirs.home, ".cache"),
      ML_INTERN_HOME: join(dirs.dataHome, "ml-intern"),
      NO_COLOR: "1",
      ...extra,
    }),
    [Symbol.asyncDispose]: () => root[Symbol.asyncDispose](),
  };
}

export interface FakeAnthropicHome {
  readonly fake: FakeLlm;
  readonly home: IsolatedHome;
  /** The isolated env with an Anthropic key pointed at the fake, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
}

/** A fake Anthropic API and an isolated home for the whole test file (started before it, closed after). */
export function setupFakeAnthropicHome(): FakeAnthropicHome {
  let fake: FakeLlm | undefined;
  let home: IsolatedHome | undefined;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
    home = await createIsolatedHome();
  });
  afterAll(async () => {
    await fake?.close();
    await home?.[Symbol.asyncDispose]();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("setupFakeAnthropicHome: used before its beforeAll ran");
    return value;
  };
  return {
    get fake() {
      return started(fake);
    },
    get home() {
      return started(home);
    },
    env(extra = {}) {
      return started(home).env({
        ANTHROPIC_API_KEY: "sk-ant-test-key-1234",
        ANTHROPIC_BASE_URL: started(fake).url,
        ...extra,
      });
    },
  };
}

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Spawns the real CLI and waits for it to exit (bounded). */
export async function runCliProcess(
  args: string[],
  options: { cwd: string; env: Record<string, string>; stdin?: string; timeoutMs?: number },
): Promise<CliRun> {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  return { exitCode, stdout, stderr };
}

export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
