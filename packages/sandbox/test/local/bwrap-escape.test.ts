import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTempDir, type TempDir } from "@ml-intern/testing/temp-dir";
import type { SandboxBackend } from "../../src/backend.ts";
import { SandboxUnavailableError } from "../../src/errors.ts";
import { type BwrapLayout, buildBwrapArgs, probeBubblewrap } from "../../src/local/bwrap.ts";
import { createLocalBackend, type LocalBackendOptions } from "../../src/local/local-backend.ts";
import { createSandboxTools } from "../../src/tools/create-sandbox-tools.ts";
import { toolRunner } from "../lib/harness.ts";

describe("bubblewrap isolation", () => {
  let dir: TempDir;
  let home: string;
  let outside: string;
  let backend: SandboxBackend | undefined;

  beforeEach(async () => {
    dir = await createTempDir("sandbox-escape-");
    home = join(dir.path, "home");
    outside = join(dir.path, "outside");
    await mkdir(home);
    await mkdir(outside);
    await writeFile(join(home, ".netrc"), "machine huggingface.co password hf_home_secret\n");
    await writeFile(join(outside, "target.txt"), "untouched\n");
  });
  afterEach(async () => {
    await backend?.dispose();
    backend = undefined;
    await dir[Symbol.asyncDispose]();
  });

  const open = async (extra: Partial<LocalBackendOptions> = {}) => {
    backend = await createLocalBackend({
      workspace: join(dir.path, "ws"),
      isolation: "bwrap",
      homeDir: home,
      hostEnv: { PATH: process.env.PATH, HOME: home, HF_TOKEN: "hf_env_secret_value", LANG: "C.UTF-8" },
      ...extra,
    });
    return toolRunner(createSandboxTools({ backend }).tools);
  };

  test("the probe succeeds here and reports a version", async () => {
    const probe = await probeBubblewrap();
    expect(probe.ok).toBe(true);
    if (probe.ok) expect(probe.version).toContain("bubblewrap");
  });

  test("a missing bwrap fails closed with install and opt-out instructions", async () => {
    const probe = await probeBubblewrap({ bwrapPath: join(dir.path, "no-such-bwrap") });
    expect(probe.ok).toBe(false);
    const attempt = createLocalBackend({
      workspace: join(dir.path, "ws"),
      bwrapPath: join(dir.path, "no-such-bwrap"),
    });
    await expect(attempt).rejects.toBeInstanceOf(SandboxUnavailableError);
    const message = await attempt.catch((e: Error) => e.message);
    expect(message).toContain("apt-get install bubblewrap");
    expect(message).toContain("--dangerously-no-sandbox");
  });

  test("cannot write outside the workspace or into system directories", async () => {
    const run = await open();
    const result = await run("bash", {
      command: `echo pwned > ${outside}/new.txt; echo pwned > ${outside}/target.txt; touch /etc/ml-intern-escape; touch /usr/ml-intern-escape; echo exit=$?`,
    });
    expect(result.text).toContain("Read-only file system");
    expect(existsSync(join(outside, "new.txt"))).toBe(false);
    expect(await readFile(join(outside, "target.txt"), "utf8")).toBe("untouched\n");
    expect(existsSync("/etc/ml-intern-escape")).toBe(false);
    expect(existsSync("/usr/ml-intern-escape")).toBe(false);
  });

  test("root inside the sandbox has no capabilities: remounting / read-write fails", async () => {
    const run = await open();
    const caps = await run("bash", { command: "grep CapEff /proc/self/status" });
    expect(caps.text).toMatch(/CapEff:\s+0+\n/);
    const remount = await run("bash", { command: "mount -o remount,rw / && touch /etc/ml-intern-remount" });
    expect(remount.isError).toBe(true);
    expect(existsSync("/etc/ml-intern-remount")).toBe(false);
  });

  test("/proc is the session's own: only sandbox processes, and /proc/sys is read-only", async () => {
    const run = await open();
    const result = await run("bash", {
      command:
        "grep -c '^Pid:' /proc/self/status; cat /proc/sys/kernel/hostname > /proc/sys/kernel/hostname; ls /proc | grep -cE '^[0-9]+$'; echo done",
    });
    const [pidLine, ...rest] = result.text.split("\n");
    expect(pidLine).toBe("1");
    expect(result.text.match(/Read-only file system/g)?.length).toBe(1);
    // bwrap's reaper, the session init, this shell and its pipeline: nothing from the host.
    const count = Number(rest.find((l) => /^\d+$/.test(l)));
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(12);
    expect(result.text).toEndWith("done\n");
  });

  test("/dev: devices work, /dev/shm is private and writable, /dev itself cannot be changed (as root: prepared once)", async () => {
    const stateDir = join(dir.path, "state");
    const run = await open({ stateDir });
    const result = await run("bash", {
      command:
        "echo x > /dev/null && head -c 4 /dev/urandom | wc -c; echo s > /dev/shm/f && cat /dev/shm/f; rm -f /dev/null; touch /dev/new; test -e /dev/pts/ptmx && echo has-ptys; echo done",
    });
    // As root the prepared /dev is used unless this machine cannot make device nodes (a rootless container).
    const prepared = existsSync(join(stateDir, "dev", "null"));
    expect(result.text).toStartWith("4\ns\n");
    expect(result.text).toEndWith("done\n");
    if (prepared) {
      // The prepared /dev belongs to another user, and the sandbox's root has no CAP_FOWNER/CAP_DAC_OVERRIDE.
      expect(result.text.match(/Permission denied/g)?.length).toBe(2);
      expect(result.text).not.toContain("has-ptys");
      expect(existsSync(join(stateDir, "dev", "new"))).toBe(false);
      expect(existsSync(join(stateDir, "dev", "shm", "f"))).toBe(false);
    } else {
      expect(result.text).toContain("has-ptys");
    }
    // /dev/shm lives as long as the session; a new session starts with an empty one, and dispose removes
    // the prepared /dev from a caller's state dir.
    expect((await run("bash", { command: "ls -A /dev/shm | wc -l" })).text).toBe("1\n");
    await backend?.dispose();
    backend = undefined;
    expect(existsSync(join(stateDir, "dev"))).toBe(false);
    expect(existsSync(join(stateDir, "home"))).toBe(true);
    const again = await open({ stateDir });
    expect((await again("bash", { command: "ls -A /dev/shm | wc -l" })).text).toBe("0\n");
  });

  test("ptys: true gives commands a private devpts", async () => {
    const run = await open({ ptys: true });
    const result = await run("bash", {
      command: "test -c /dev/pts/ptmx && test -L /dev/ptmx && echo has-ptys",
    });
    expect(result.text).toBe("has-ptys\n");
  });

  test("the real home directory is hidden and the sandbox home is private", async () => {
    const run = await open();
    const result = await run("bash", { command: `cat ${home}/.netrc; ls -A ${home}; echo "HOME=$HOME"` });
    expect(result.text).not.toContain("hf_home_secret");
    expect(result.text).toContain("No such file");
    expect(result.text).toContain(`HOME=${home}`);
    await run("bash", { command: "echo cached > ~/.cache-marker" });
    expect(await readFile(join(home, ".netrc"), "utf8")).toContain("hf_home_secret");
    expect(existsSync(join(home, ".cache-marker"))).toBe(false);
  });

  test("tokens in the host environment do not leak unless allowed explicitly", async () => {
    const run = await open();
    const env = await run("bash", { command: "env" });
    expect(env.text).not.toContain("hf_env_secret_value");
    expect(env.text).toContain("LANG=C.UTF-8");
    await backend?.dispose();
    const allowed = await open({ allowEnv: ["HF_TOKEN"] });
    expect((await allowed("bash", { command: "echo $HF_TOKEN" })).text).toBe("hf_env_secret_value\n");
  });

  test("a symlink a command created cannot be used to escape through write, read or edit", async () => {
    const run = await open();
    await run("bash", {
      command: `ln -s ${outside}/target.txt link.txt && ln -s ${outside} linkdir && ln -s ${home} h`,
    });
    const write = await run("write", { path: "link.txt", content: "pwned" });
    expect(write.isError).toBe(true);
    expect(write.text).toContain("symlink");
    const nested = await run("write", { path: "linkdir/new.txt", content: "pwned" });
    expect(nested.isError).toBe(true);
    const read = await run("read", { path: "h/.netrc" });
    expect(read.isError).toBe(true);
    expect(read.text).not.toContain("hf_home_secret");
    const edit = await run("edit", { path: "link.txt", old_str: "untouched", new_str: "pwned" });
    expect(edit.isError).toBe(true);
    expect(await readFile(join(outside, "target.txt"), "utf8")).toBe("untouched\n");
    expect(existsSync(join(outside, "new.txt"))).toBe(false);
  });

  test("network can be cut", async () => {
    await using server = {
      inner: Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("pong") }),
      async [Symbol.asyncDispose]() {
        await this.inner.stop(true);
      },
    };
    const probe = `exec 3<>/dev/tcp/127.0.0.1/${server.inner.port} && echo connected || echo refused`;
    const online = await open();
    expect((await online("bash", { command: probe })).text).toContain("connected");
    await backend?.dispose();
    const offline = await open({ network: false });
    expect((await offline("bash", { command: probe })).text).toContain("refused");
  });

  const layout = {
    workspace: "/w",
    privateHome: "/s/home",
    tmpSizeBytes: 1024,
    readOnlyBinds: [],
    protectedPaths: [],
    hiddenDirs: [],
    reboundDirs: [],
    devices: [],
    network: "on",
    switchUser: false,
    env: {},
    cwd: "/",
  } satisfies BwrapLayout;

  test("argv: a prepared /dev replaces --dev; a fresh /proc; a size-capped private /tmp", () => {
    const prepared = buildBwrapArgs({ ...layout, staticDev: "/s/dev" }).join(" ");
    expect(prepared).toContain("--dev-bind /s/dev /dev --tmpfs /dev/shm");
    expect(prepared).not.toContain("--dev /dev");
    const plain = buildBwrapArgs(layout).join(" ");
    expect(plain).toContain("--dev /dev");
    for (const args of [prepared, plain]) {
      expect(args).toContain("--proc /proc");
      expect(args).toContain("--size 1024 --tmpfs /tmp --chmod 1777 /tmp");
    }
  });

  test("argv: own pid namespace, no --new-session, caps dropped, environment cleared, sockets hidden", () => {
    const args = buildBwrapArgs({
      ...layout,
      home: "/home/u",
      readOnlyBinds: ["/s/outputs"],
      protectedPaths: ["/w/.env"],
      hiddenDirs: ["/run"],
      devices: ["/dev/nvidia0"],
      network: "off",
      env: { PATH: "/bin" },
    });
    const joined = args.join(" ");
    expect(joined).toContain("--unshare-pid");
    expect(joined).toContain("--cap-drop ALL");
    expect(joined).not.toContain("--cap-add");
    expect(joined).toContain("--clearenv");
    expect(joined).toContain("--unshare-net");
    expect(joined).toContain("--tmpfs /run");
    expect(joined).toContain("--dev-bind /dev/nvidia0 /dev/nvidia0");
    expect(joined).not.toContain("--new-session");
    // the home is hidden before the workspace is bound, so a workspace inside home stays visible, and the
    // protected files are bound read-only over the workspace
    expect(args.indexOf("/home/u")).toBeLessThan(args.lastIndexOf("/w"));
    expect(args.lastIndexOf("/w/.env")).toBeGreaterThan(args.lastIndexOf("/w"));
    const switching = buildBwrapArgs({ ...layout, switchUser: true }).join(" ");
    expect(switching).toContain("--cap-drop ALL --cap-add CAP_SETUID --cap-add CAP_SETGID");
  });
});
