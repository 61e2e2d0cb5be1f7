/**
 * The README's install path, as a new user meets it: a fresh clone, a clean HOME, `bash scripts/setup.sh`, then a
 * new login shell in some other folder. `ml-intern` must be on PATH there, and that folder must be the workspace;
 * `bun run ml-intern` from a folder inside the checkout must work in that folder, not in the checkout's root.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createTempDir, type TempDir } from "@ml-intern/testing/temp-dir";

const ROOT = resolve(import.meta.dir, "../../../..");

let temp: TempDir;
let fake: FakeLlm;
let clone: string;
let home: string;
/** What a fresh machine has: Bun and Node where npm put them, the system dirs; not ~/.local/bin. */
let basePath: string;

async function exec(cmd: string[], cwd: string, env: Record<string, string>, timeoutMs = 120_000) {
  const proc = Bun.spawn(cmd, { cwd, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    PATH: basePath,
    // The clean HOME has no package cache; reuse this machine's so the install stays offline.
    BUN_INSTALL_CACHE_DIR: process.env.BUN_INSTALL_CACHE_DIR ?? join(homedir(), ".bun", "install", "cache"),
    NO_COLOR: "1",
    ...extra,
  };
}

beforeAll(async () => {
  temp = await createTempDir("ml-intern-install-");
  fake = await startFakeAnthropic();
  home = join(temp.path, "home");
  mkdirSync(home);
  const bunDir = dirname(Bun.which("bun") ?? process.execPath);
  const nodeDir = dirname(Bun.which("node") ?? "/usr/bin/node");
  basePath = [...new Set([bunDir, nodeDir, "/usr/local/bin", "/usr/bin", "/bin"])].join(":");
  clone = join(temp.path, "ml-intern");
  const cloned = await exec(["git", "clone", "-q", ROOT, clone], temp.path, userEnv());
  if (cloned.code !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
}, 60_000);
afterAll(async () => {
  await fake.close();
  await temp[Symbol.asyncDispose]();
});

test("setup.sh puts ml-intern on PATH for a new shell; run elsewhere, that folder is the workspace", async () => {
  const setup = await exec(["bash", "scripts/setup.sh"], clone, userEnv(), 240_000);
  expect(setup.code, setup.stderr).toBe(0);
  const launcher = join(home, ".local", "bin", "ml-intern");
  expect(setup.stderr).toContain(`wrote ${launcher}`);
  expect(setup.stderr).toContain(`added ${join(home, ".local", "bin")} to PATH in ${join(home, ".profile")}`);

  const project = join(temp.path, "my-project");
  mkdirSync(project);
  // A new login shell, as a new terminal would start: PATH comes from ~/.profile.
  const which = await exec(
    ["bash", "-lc", "command -v ml-intern && ml-intern --version"],
    project,
    userEnv(),
  );
  expect(which.code, which.stderr).toBe(0);
  expect(which.stdout.split("\n")[0]).toBe(launcher);
  expect(which.stdout).toMatch(/^\d+\.\d+\.\d+/m);

  fake.enqueue(
    { toolCalls: [{ name: "write", input: { path: "hello.txt", content: "from the launcher\n" } }] },
    { text: "Wrote hello.txt." },
  );
  const run = await exec(
    ["bash", "-lc", 'ml-intern --dangerously-no-sandbox -p "write hello.txt"'],
    project,
    userEnv({ ANTHROPIC_API_KEY: "sk-ant-test-key-1234", ANTHROPIC_BASE_URL: fake.url }),
  );
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain("Wrote hello.txt.");
  expect(readFileSync(join(project, "hello.txt"), "utf8")).toBe("from the launcher\n");
  expect(existsSync(join(clone, "hello.txt"))).toBe(false);
}, 300_000);

test("`bun run ml-intern` from a folder inside the checkout works in that folder", async () => {
  const sub = join(clone, "experiments", "run-1");
  mkdirSync(sub, { recursive: true });
  fake.enqueue(
    { toolCalls: [{ name: "write", input: { path: "train.py", content: "print('hi')\n" } }] },
    { text: "Wrote train.py." },
  );
  const run = await exec(
    ["bun", "run", "ml-intern", "--", "--dangerously-no-sandbox", "-p", "write train.py"],
    sub,
    userEnv({ ANTHROPIC_API_KEY: "sk-ant-test-key-1234", ANTHROPIC_BASE_URL: fake.url }),
  );
  expect(run.code, run.stderr).toBe(0);
  expect(readFileSync(join(sub, "train.py"), "utf8")).toBe("print('hi')\n");
  expect(existsSync(join(clone, "train.py"))).toBe(false);
}, 120_000);
