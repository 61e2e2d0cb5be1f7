import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ToolResult } from "@ml-intern/tool";
import type { SandboxBackend } from "../../src/backend.ts";
import { createSandboxTools, type SandboxTools } from "../../src/tools/create-sandbox-tools.ts";
import { liveProcesses, toolRunner, uniqueSleep, waitFor } from "./harness.ts";

export interface ConformanceSession {
  backend: SandboxBackend;
  /** The workspace on this machine (all backends under test run locally). */
  hostWorkspace: string;
  /** Ends the session the way the host would (dispose the tools, stop the server). */
  end(): Promise<void>;
}

/** One suite, run against every backend: the tools must behave the same everywhere. */
export function describeConformance(name: string, open: () => Promise<ConformanceSession>): void {
  describe(`conformance: ${name}`, () => {
    let session: ConformanceSession;
    let tools: SandboxTools;
    let run: ReturnType<typeof toolRunner>;
    let ended = false;

    beforeEach(async () => {
      session = await open();
      tools = createSandboxTools({ backend: session.backend });
      run = toolRunner(tools.tools);
      ended = false;
    });
    afterEach(async () => {
      if (!ended) await session.end();
    });

    const text = (r: ToolResult) => r.text;

    test("exit codes and interleaved output", async () => {
      const okResult = await run("bash", { command: "echo one; echo two >&2; echo three" });
      expect(okResult.isError).toBeFalsy();
      expect(text(okResult)).toBe("one\ntwo\nthree\n");
      const failed = await run("bash", { command: "echo partial; exit 3" });
      expect(failed.isError).toBe(true);
      expect(failed.text).toContain("partial");
      expect(failed.text).toContain("Exit code 3");
      expect(failed.structured?.exitCode).toBe(3);
      const empty = await run("bash", { command: "true" });
      expect(empty.text).toBe("(no output)");
      const colours = await run("bash", { command: "printf '\\033[31mred\\033[0m plain\\n'" });
      expect(colours.text).toBe("red plain\n");
    });

    test("cwd is the workspace, work_dir is honoured, environment is set", async () => {
      const pwd = await run("bash", { command: "pwd" });
      expect(pwd.text.trim()).toBe(session.backend.workspace);
      await run("bash", { command: "mkdir -p sub/dir" });
      const inSub = await run("bash", { command: "pwd", work_dir: "sub/dir" });
      expect(inSub.text.trim()).toBe(join(session.backend.workspace, "sub/dir"));
      const env = await run("bash", {
        command: 'echo "home=$HOME path=$(test -n "$PATH" && echo set) unbuffered=$PYTHONUNBUFFERED"',
      });
      expect(env.text).toMatch(/home=\/\S* path=set unbuffered=1/);
    });

    test("a non-positive timeout is an error", async () => {
      const result = await run("bash", { command: "echo never", timeout: 0 });
      expect(result.isError).toBe(true);
      expect(result.text).toContain("positive");
      expect((await run("bash", { command: "echo never", timeout: -5 })).isError).toBe(true);
    });

    test("timeout kills the whole process group, grandchildren included", async () => {
      const marker = uniqueSleep();
      const result = await run("bash", {
        command: `echo before; bash -c 'sleep ${marker}' & sleep ${marker}`,
        timeout: 1,
      });
      expect(result.isError).toBe(true);
      expect(result.text).toContain("timed out after 1s");
      expect(result.text).toContain("before");
      expect(result.structured?.timedOut).toBe(true);
      await waitFor(async () => (await liveProcesses(marker)).length === 0, { what: "no live process" });
    });

    test("abort stops the command and everything it started", async () => {
      const marker = uniqueSleep();
      const controller = new AbortController();
      const pending = run(
        "bash",
        { command: `sleep ${marker} & sleep ${marker}; echo unreachable` },
        controller.signal,
      );
      await waitFor(async () => (await liveProcesses(marker)).length >= 2, { what: "the command to start" });
      controller.abort();
      const result = await pending;
      expect(result.isError).toBe(true);
      expect(result.text).not.toContain("unreachable");
      expect(result.structured?.cancelled).toBe(true);
      await waitFor(async () => (await liveProcesses(marker)).length === 0, { what: "no live process" });
    });

    test("parallel calls really run in parallel", async () => {
      const waiter = run("bash", {
        command: "for i in $(seq 1 200); do [ -f go ] && echo released && exit 0; sleep 0.05; done; exit 1",
        timeout: 30,
      });
      const releaser = await run("bash", { command: "touch go" });
      expect(releaser.isError).toBeFalsy();
      const waited = await waiter;
      expect(waited.text).toContain("released");
    });

    test("long output is truncated 25%/75% with a readable spill file", async () => {
      const result = await run("bash", { command: "seq 1 30000" });
      expect(result.structured?.truncated).toBe(true);
      expect(result.text.startsWith("1\n2\n3\n")).toBe(true);
      expect(result.text).toContain("30000\n");
      expect(result.text).toMatch(/chars omitted, showing first 6,250 \+ last 18,750/);
      const spill = result.structured?.fullOutputPath as string;
      expect(result.text).toContain(`Full output saved to ${spill}`);
      const middle = await run("read", { path: spill, offset: 15000, limit: 2 });
      expect(middle.isError).toBeFalsy();
      expect(middle.text).toBe(
        " 15000\t15000\n 15001\t15001\n\n(showing lines 15000-15001 of 30000; continue with offset=15002)",
      );
    });

    test("a background job outlives the call but not the session", async () => {
      const marker = uniqueSleep();
      const started = await run("bash", {
        command: `nohup sh -c 'sleep 0.3; echo done > bg.txt; sleep ${marker}' > /dev/null 2>&1 & echo started`,
      });
      expect(started.text).toBe("started\n");
      await waitFor(() => existsSync(join(session.hostWorkspace, "bg.txt")), { what: "the background job" });
      await waitFor(async () => (await liveProcesses(marker)).length > 0, {
        what: "the job to keep running",
      });
      ended = true;
      await session.end();
      await waitFor(async () => (await liveProcesses(marker)).length === 0, {
        what: "session end to kill the job",
      });
    });

    test("write is atomic, needs a fresh read to overwrite, and creates parents", async () => {
      const created = await run("write", { path: "pkg/mod.py", content: "x = 1\n" });
      expect(created.isError).toBeFalsy();
      expect(created.text).toContain("Wrote 6 bytes");
      expect(await readFile(join(session.hostWorkspace, "pkg/mod.py"), "utf8")).toBe("x = 1\n");
      await writeFile(join(session.hostWorkspace, "existing.txt"), "original\n");
      const blind = await run("write", { path: "existing.txt", content: "clobber" });
      expect(blind.isError).toBe(true);
      expect(blind.text).toContain("must read existing.txt");
      await run("read", { path: "existing.txt" });
      await run("bash", { command: "echo changed >> existing.txt" });
      const stale = await run("write", { path: "existing.txt", content: "clobber" });
      expect(stale.isError).toBe(true);
      expect(stale.text).toContain("changed on disk");
      await run("read", { path: "existing.txt" });
      const fresh = await run("write", { path: "existing.txt", content: "new\n" });
      expect(fresh.isError).toBeFalsy();
      expect(await readFile(join(session.hostWorkspace, "existing.txt"), "utf8")).toBe("new\n");
      expect((await readdir(session.hostWorkspace)).filter((f) => f.includes(".tmp"))).toEqual([]);
    });

    test("read numbers lines, honours offset/limit and refuses directories and escapes", async () => {
      await writeFile(join(session.hostWorkspace, "f.txt"), `a\n${"x".repeat(4100)}\nc\n`);
      const all = await run("read", { path: "f.txt" });
      expect(all.text).toBe(`     1\ta\n     2\t${"x".repeat(4000)}...\n     3\tc`);
      const page = await run("read", { path: "f.txt", offset: 3, limit: 1 });
      expect(page.text).toBe("     3\tc");
      await run("bash", { command: "mkdir -p adir" });
      const dir = await run("read", { path: "adir" });
      expect(dir.isError).toBe(true);
      expect(dir.text).toContain("directory");
      const missing = await run("read", { path: "nope.txt" });
      expect(missing.text).toContain("File not found");
      for (const path of ["../../../../etc/passwd", "/etc/passwd"]) {
        const outside = await run("read", { path });
        expect(outside.isError).toBe(true);
        expect(outside.text).toContain("outside the workspace");
      }
    });

    test("edit: every error, and tolerant matching that keeps indentation", async () => {
      const file = join(session.hostWorkspace, "e.py");
      await writeFile(file, "def f():\n    return \u201chi\u201d\n\nx = 1\nx = 1\nfoo = bar  # comment\n");
      const unread = await run("edit", { path: "e.py", old_str: "x = 1", new_str: "x = 2" });
      expect(unread.text).toContain("must read e.py");
      await run("read", { path: "e.py" });
      const same = await run("edit", { path: "e.py", old_str: "a", new_str: "a" });
      expect(same.text).toBe("old_str and new_str must differ.");
      const dup = await run("edit", { path: "e.py", old_str: "x = 1", new_str: "x = 2" });
      expect(dup.isError).toBe(true);
      expect(dup.text).toContain("Found 2 matches");
      const dupAppend = await run("edit", {
        path: "e.py",
        old_str: "x = 1",
        new_str: "\n#",
        mode: "append_after",
      });
      expect(dupAppend.text).toContain("Found 2 matches");
      const miss = await run("edit", { path: "e.py", old_str: 'retrun "hi"', new_str: "y" });
      expect(miss.isError).toBe(true);
      expect(miss.text).toContain("not found");
      expect(miss.text).toContain("Closest match (lines 2-2");
      const empty = await run("edit", { path: "e.py", old_str: "", new_str: "y" });
      expect(empty.isError).toBe(true);
      const fuzzy = await run("edit", { path: "e.py", old_str: 'return "hi"', new_str: "return 1" });
      expect(fuzzy.isError).toBeFalsy();
      expect(fuzzy.text).toContain("unicode");
      const comment = await run("edit", { path: "e.py", old_str: "bar  # comment   ", new_str: "baz" });
      expect(comment.isError).toBeFalsy();
      const all = await run("edit", { path: "e.py", old_str: "x = 1", new_str: "x = 3", replace_all: true });
      expect(all.text).toContain("2 replacements");
      expect(await readFile(file, "utf8")).toBe("def f():\n    return 1\n\nx = 3\nx = 3\nfoo = baz\n");
      await run("bash", { command: "echo '# touched' >> e.py" });
      const stale = await run("edit", { path: "e.py", old_str: "foo = baz", new_str: "foo = qux" });
      expect(stale.text).toContain("changed on disk");
      await run("read", { path: "e.py" });
      const prepend = await run("edit", {
        path: "e.py",
        old_str: "foo = baz",
        new_str: "# before\n",
        mode: "prepend_before",
      });
      expect(prepend.isError).toBeFalsy();
      expect(await readFile(file, "utf8")).toContain("x = 3\n# before\nfoo = baz\n# touched\n");
      const missingFile = await run("edit", { path: "absent.py", old_str: "a", new_str: "b" });
      expect(missingFile.text).toContain("File not found");
    });
  });
}
