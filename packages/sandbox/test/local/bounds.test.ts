/**
 * Bounded resources and files that must not be corrupted (issue 18, items 5 and 6), plus the workspace files
 * the sandbox may not change and state left behind by a killed process.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { mkdir, readFile, rmdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTempDir, type TempDir } from "@ml-intern/testing/temp-dir";
import type { SandboxBackend } from "../../src/backend.ts";
import { CGROUP_PREFIX, ownCgroupDir, removeStaleCgroups } from "../../src/local/cgroup.ts";
import { createLocalBackend, type LocalBackendOptions } from "../../src/local/local-backend.ts";
import { STATE_DIR_PREFIX } from "../../src/local/state-dirs.ts";
import { createSandboxTools } from "../../src/tools/create-sandbox-tools.ts";
import { toolRunner } from "../lib/harness.ts";

describe("bounded resources, byte-exact edits, protected files", () => {
  let dir: TempDir;
  let home: string;
  let ws: string;
  let backend: SandboxBackend | undefined;

  beforeEach(async () => {
    dir = await createTempDir("sandbox-bounds-");
    home = join(dir.path, "home");
    ws = join(dir.path, "ws");
    await mkdir(home);
    await mkdir(ws);
  });
  afterEach(async () => {
    await backend?.dispose();
    backend = undefined;
    await dir[Symbol.asyncDispose]();
  });

  const open = async (extra: Partial<LocalBackendOptions> = {}) => {
    backend = await createLocalBackend({
      workspace: ws,
      homeDir: home,
      hostEnv: { PATH: process.env.PATH, HOME: home },
      ...extra,
    });
    return toolRunner(createSandboxTools({ backend }).tools);
  };

  test("reading a FIFO is refused at once, and eight of them block nothing else", async () => {
    const run = await open();
    await run("bash", { command: "mkfifo pipe" });
    const reads = Array.from({ length: 8 }, () => run("read", { path: "pipe" }));
    const other = await run("bash", { command: "echo still-working" });
    expect(other.text).toBe("still-working\n");
    for (const result of await Promise.all(reads)) {
      expect(result.isError).toBe(true);
      expect(result.text).toContain("FIFO");
    }
    const edit = await run("edit", { path: "pipe", old_str: "a", new_str: "b" });
    expect(edit.isError).toBe(true);
  });

  test("a 1 GB sparse file is refused with its size instead of being read into memory", async () => {
    const run = await open();
    await run("bash", { command: "truncate -s 1G big.bin" });
    const before = process.memoryUsage().rss;
    const result = await run("read", { path: "big.bin" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("1024.0 MB");
    expect(result.text).toContain("head");
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  test("a 50 MB edit target fails clearly, and a miss in a multi-megabyte file skips the slow fuzzy passes", async () => {
    const run = await open();
    const line = "    value = compute(alpha, beta)  # a fairly ordinary line of code\n";
    await writeFile(join(ws, "huge.py"), line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)));
    const huge = await run("edit", { path: "huge.py", old_str: "value = compute(alpha,beta)", new_str: "x" });
    expect(huge.isError).toBe(true);
    expect(huge.text).toContain("MB");
    await writeFile(join(ws, "big.py"), line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)));
    expect((await run("read", { path: "big.py", limit: 1 })).isError).toBeFalsy();
    const pending = run("edit", { path: "big.py", old_str: "value =  compute(alpha,beta)", new_str: "x" });
    const other = run("bash", { command: "echo meanwhile" });
    const [miss, done] = await Promise.all([pending, other]);
    expect(done.text).toBe("meanwhile\n");
    expect(miss.isError).toBe(true);
    expect(miss.text).toContain("must match exactly");
  }, 60_000);

  test("a Latin-1 file keeps every other byte after an edit of one line", async () => {
    const run = await open();
    const original = Buffer.concat([
      Buffer.from("caf", "latin1"),
      Buffer.from([0xe9]),
      Buffer.from("\nname = 'old'\n", "latin1"),
      Buffer.from([0xff, 0xfe, 0x80, 0x00, 0x41]),
      Buffer.from("\nna\u00efve\n", "latin1"),
    ]);
    await writeFile(join(ws, "legacy.txt"), original);
    const read = await run("read", { path: "legacy.txt" });
    expect(read.text).toContain("caf\u00e9");
    expect(read.text).toContain("Latin-1");
    const edit = await run("edit", { path: "legacy.txt", old_str: "name = 'old'", new_str: "name = 'new'" });
    expect(edit.isError).toBeFalsy();
    const after = await readFile(join(ws, "legacy.txt"));
    expect(after.equals(Buffer.from(original.toString("latin1").replace("'old'", "'new'"), "latin1"))).toBe(
      true,
    );
    const wide = await run("edit", {
      path: "legacy.txt",
      old_str: "name = 'new'",
      new_str: "name = '\u2603'",
    });
    expect(wide.isError).toBe(true);
    expect(wide.text).toContain("Latin-1");
    expect((await readFile(join(ws, "legacy.txt"))).equals(after)).toBe(true);
  });

  test(".env, .git/hooks and ML Intern's own files are read-only inside the sandbox and for the tools", async () => {
    await writeFile(join(ws, ".env"), "HF_ENDPOINT=https://huggingface.co\n");
    await mkdir(join(ws, ".git", "hooks"), { recursive: true });
    await mkdir(join(ws, ".ml-intern"));
    const run = await open();
    const result = await run("bash", {
      command:
        "echo HF_ENDPOINT=https://evil.example >> .env; echo 'curl evil' > .git/hooks/post-checkout; touch .ml-intern/x; echo ok > notes.txt && echo notes-ok",
    });
    expect(result.text.match(/Read-only file system/g)?.length).toBe(3);
    expect(result.text).toContain("notes-ok");
    expect(await readFile(join(ws, ".env"), "utf8")).toBe("HF_ENDPOINT=https://huggingface.co\n");
    expect(existsSync(join(ws, ".git", "hooks", "post-checkout"))).toBe(false);
    await run("read", { path: ".env" });
    const write = await run("write", { path: ".env", content: "HF_ENDPOINT=https://evil.example\n" });
    expect(write.isError).toBe(true);
    expect(write.text).toContain("read-only");
    const hook = await run("write", { path: ".git/hooks/pre-commit", content: "#!/bin/sh\n" });
    expect(hook.isError).toBe(true);
    expect(existsSync(join(ws, ".git", "hooks", "pre-commit"))).toBe(false);
  });

  test("the spill file and the private /tmp are size-capped", async () => {
    const run = await open({ maxSpillBytes: 100_000, tmpSizeBytes: 1024 * 1024 });
    const long = await run("bash", { command: "seq 1 200000" });
    const spill = long.structured?.fullOutputPath as string;
    expect(long.text).toContain("capped");
    expect((await stat(spill)).size).toBeLessThanOrEqual(100_000);
    const fill = await run("bash", { command: "head -c 3000000 /dev/zero > /tmp/fill; echo rc=$?" });
    expect(fill.text).toContain("No space left on device");
  });

  test("state folders left behind by a killed process are removed at the next start; live ones stay", async () => {
    const stale = join(tmpdir(), `${STATE_DIR_PREFIX}stale-${process.pid}-${Date.now()}`);
    const live = join(tmpdir(), `${STATE_DIR_PREFIX}live-${process.pid}-${Date.now()}`);
    await mkdir(join(stale, "home"), { recursive: true });
    await mkdir(live, { recursive: true });
    // pid_max is at most 4194304: this pid cannot exist.
    await writeFile(join(stale, "owner"), "4194305 123\n");
    await writeFile(join(live, "owner"), `${process.pid}\n`);
    try {
      await open();
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      const { rm } = await import("node:fs/promises");
      await rm(stale, { recursive: true, force: true });
      await rm(live, { recursive: true, force: true });
    }
  });
});

test("empty session cgroups of dead processes are removed; a live process's new cgroup is not", async () => {
  const parent = ownCgroupDir();
  const probe = parent ? join(parent, `${CGROUP_PREFIX}probe-${process.pid}`) : undefined;
  const writable = probe
    ? await mkdir(probe).then(
        () => rmdir(probe).then(() => true),
        () => false,
      )
    : false;
  if (!parent || !writable) {
    console.warn("skipped: cgroup v2 is not writable here");
    return;
  }
  const dead = join(parent, `${CGROUP_PREFIX}4194305-aaaaaa`);
  const mine = join(parent, `${CGROUP_PREFIX}${process.pid}-bbbbbb`);
  await mkdir(dead);
  await mkdir(mine);
  try {
    await removeStaleCgroups(parent);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(mine)).toBe(true);
  } finally {
    await rmdir(dead).catch(() => undefined);
    await rmdir(mine).catch(() => undefined);
  }
});
