/**
 * Attacks a hostile command would try on the machine and on other sessions (issue 18, item 2 and 3): each of
 * these worked before commands ran in a per-session sandbox with its own pid namespace.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { createTempDir, type TempDir } from "@ml-intern/testing/temp-dir";
import type { SandboxBackend } from "../../src/backend.ts";
import { createLocalBackend, type LocalBackendOptions } from "../../src/local/local-backend.ts";
import { createSandboxTools } from "../../src/tools/create-sandbox-tools.ts";
import { liveProcesses, toolRunner, uniqueSleep, waitFor } from "../lib/harness.ts";

const asRoot = process.getuid?.() === 0;

/** Whether uid 65534 exists in this user namespace (not in a rootless container that maps only root). */
function nobodyMapped(): boolean {
  try {
    return readFileSync("/proc/self/uid_map", "utf8")
      .trim()
      .split("\n")
      .some((line) => {
        const [inside, , count] = line.trim().split(/\s+/).map(Number) as [number, number, number];
        return inside <= 65534 && 65534 < inside + count;
      });
  } catch {
    return false;
  }
}

/** Host pids of live processes whose command line contains marker. */
async function hostPids(marker: string): Promise<number[]> {
  const proc = Bun.spawn(["ps", "-eo", "pid=,stat=,args="], { stdout: "pipe", stderr: "ignore" });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] && !f[1].startsWith("Z") && f.slice(2).join(" ").includes(marker))
    .filter((f) => !f.slice(2).join(" ").includes("ps -eo"))
    .map((f) => Number(f[0]));
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("session sandbox: processes, other sessions, root's files, network", () => {
  let dir: TempDir;
  let home: string;
  const backends: SandboxBackend[] = [];

  beforeEach(async () => {
    dir = await createTempDir("sandbox-session-");
    home = join(dir.path, "home");
    await mkdir(home);
  });
  afterEach(async () => {
    for (const b of backends.splice(0)) await b.dispose();
    await dir[Symbol.asyncDispose]();
  });

  const open = async (name: string, extra: Partial<LocalBackendOptions> = {}) => {
    const backend = await createLocalBackend({
      workspace: join(dir.path, name),
      homeDir: home,
      hostEnv: { PATH: process.env.PATH, HOME: home, HF_TOKEN: `hf_secret_of_${name}` },
      ...extra,
    });
    backends.push(backend);
    return { backend, run: toolRunner(createSandboxTools({ backend }).tools) };
  };

  test("kill -9 of a host process fails and the process lives", async () => {
    const marker = uniqueSleep();
    const victim = Bun.spawn(["sleep", marker], { stdout: "ignore", stderr: "ignore" });
    try {
      const { run } = await open("ws");
      const result = await run("bash", { command: `kill -9 ${victim.pid}; echo "rc=$?"` });
      expect(result.text).toContain("No such process");
      expect(result.text).toContain("rc=1");
      // Killing everything it can see only ends its own session; the next call gets a fresh one.
      const all = await run("bash", { command: "kill -9 -1; sleep 5; echo unreachable" });
      expect(all.text).toContain("The sandbox session ended");
      expect(all.text).not.toContain("unreachable");
      expect((await run("bash", { command: "echo fresh" })).text).toBe("fresh\n");
      await Bun.sleep(100);
      expect(isAlive(victim.pid)).toBe(true);
      expect(victim.exitCode).toBeNull();
    } finally {
      victim.kill("SIGKILL");
    }
  });

  test("another session's environment is unreadable and its workspace cannot be written through /proc/<pid>/root", async () => {
    const a = await open("a", { allowEnv: ["HF_TOKEN"] });
    const b = await open("b");
    const marker = uniqueSleep();
    await a.run("bash", { command: `nohup sleep ${marker} > /dev/null 2>&1 & echo $HF_TOKEN` });
    await waitFor(async () => (await hostPids(marker)).length > 0, { what: "session A's job" });
    const [pid] = await hostPids(marker);
    const target = join(a.backend.workspace, "pwned.txt");
    const attack = await b.run("bash", {
      command: [
        `cat /proc/${pid}/environ; echo "environ=$?"`,
        `echo x > /proc/${pid}/root${target}; echo "root=$?"`,
        "grep -l hf_secret_of_a /proc/*/environ 2>/dev/null; echo scanned",
      ].join("\n"),
    });
    expect(attack.text).toContain("No such file");
    expect(attack.text).toContain("environ=1");
    expect(attack.text).toMatch(/root=[12]/);
    expect(attack.text).not.toContain("hf_secret_of_a");
    expect(attack.text).toEndWith("scanned\n");
    expect(existsSync(target)).toBe(false);
  });

  test("a setsid child is gone after a timeout", async () => {
    const { run } = await open("ws");
    const marker = uniqueSleep();
    const result = await run("bash", {
      command: `setsid sleep ${marker} > /dev/null 2>&1 < /dev/null & sleep ${marker}`,
      timeout: 1,
    });
    expect(result.structured?.timedOut).toBe(true);
    await waitFor(async () => (await liveProcesses(marker)).length === 0, {
      what: "the setsid child to die",
    });
  });

  test("a setsid child outlives its call but not the session", async () => {
    const { backend, run } = await open("ws");
    const marker = uniqueSleep();
    const started = await run("bash", {
      command: `setsid nohup sleep ${marker} > /dev/null 2>&1 < /dev/null & echo started`,
    });
    expect(started.text).toBe("started\n");
    await waitFor(async () => (await liveProcesses(marker)).length > 0, { what: "the job" });
    await Bun.sleep(200);
    expect((await liveProcesses(marker)).length).toBeGreaterThan(0);
    await backend.dispose();
    await waitFor(async () => (await liveProcesses(marker)).length === 0, { what: "dispose to kill it" });
  });

  // Needs a second uid: a rootless container that maps only root cannot chown to one.
  test.skipIf(!asRoot || !nobodyMapped())(
    "as root, commands run as the workspace's owner: root-owned 0600 files and /etc/shadow are unreadable",
    async () => {
      const ws = join(dir.path, "owned");
      await mkdir(ws);
      await chown(ws, 65534, 65534);
      // Outside /tmp (which the sandbox replaces anyway) and outside HOME.
      const secretDir = join("/var/tmp", `ml-intern-secret-${process.pid}-${Date.now()}`);
      await mkdir(secretDir, { mode: 0o755 });
      const secret = join(secretDir, "secret.txt");
      await writeFile(secret, "root-only-secret\n", { mode: 0o600 });
      await chmod(secret, 0o600);
      try {
        const { backend, run } = await open("owned");
        const result = await run("bash", {
          command: `id -u; cat ${secret}; cat /etc/shadow | head -1; touch mine.txt && echo made`,
        });
        expect(result.text).toStartWith("65534\n");
        expect(result.text).not.toContain("root-only-secret");
        expect(result.text.match(/Permission denied/g)?.length).toBe(2);
        expect(result.text).toContain("made");
        // Files the tools create belong to that user too, so later commands can change them.
        await run("write", { path: "tool.txt", content: "x\n" });
        const change = await run("bash", { command: "echo y >> tool.txt && echo ok" });
        expect(change.text).toBe("ok\n");
        await backend.dispose();
      } finally {
        await rm(secretDir, { recursive: true, force: true });
      }
    },
  );

  test.skipIf(!asRoot)("as root with a root-owned workspace, root's secrets are hidden", async () => {
    const { run } = await open("ws");
    const result = await run("bash", {
      command: "wc -c < /etc/shadow; grep -c CapEff:.0000000000000000 /proc/self/status",
    });
    expect(result.text).toBe("0\n1\n");
  });

  test("network off: neither host loopback TCP nor a host unix socket answers", async () => {
    const tcp = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("pong") });
    const socketDir = existsSync("/run") ? join("/run", `ml-intern-test-${process.pid}`) : undefined;
    let unix: Server | undefined;
    const socketPath = socketDir ? join(socketDir, "s.sock") : undefined;
    try {
      if (socketDir && socketPath) {
        await mkdir(socketDir, { recursive: true });
        unix = createServer((s) => s.end("hello\n"));
        await new Promise<void>((resolve) => unix?.listen(socketPath, resolve));
      }
      const port = tcp.port as number;
      const probe = () =>
        `exec 3<>/dev/tcp/127.0.0.1/${port} && echo tcp-connected || echo tcp-refused; ` +
        (socketPath
          ? `test -S ${socketPath} && echo socket-visible || echo socket-hidden`
          : "echo socket-hidden");
      const online = await open("on");
      expect((await online.run("bash", { command: probe() })).text).toContain("tcp-connected");
      const offline = await open("off", { network: "off" });
      const text = (await offline.run("bash", { command: probe() })).text;
      expect(text).toContain("tcp-refused");
      expect(text).toContain("socket-hidden");
      // Host daemons' socket directories are hidden in every mode.
      expect((await online.run("bash", { command: probe() })).text).toContain("socket-hidden");
    } finally {
      await tcp.stop(true);
      unix?.close();
      if (socketDir) await rm(socketDir, { recursive: true, force: true });
    }
  });
});
