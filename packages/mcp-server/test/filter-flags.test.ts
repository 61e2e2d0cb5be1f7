import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createTempDir } from "@ml-intern/testing";

const CLI = join(import.meta.dir, "..", "..", "..", "apps", "cli", "src", "main.ts");

/** `ml-intern mcp <flags>` as a user runs it (stdin closed: no client), with an empty home. */
async function mlInternMcp(flags: string[]): Promise<{ code: number; stderr: string }> {
  await using home = await createTempDir();
  const child = Bun.spawn([process.execPath, CLI, "mcp", ...flags], {
    env: { PATH: process.env.PATH ?? "", HOME: home.path, ML_INTERN_HOME: home.path },
    cwd: home.path,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  return { code, stderr };
}

describe("unknown names in the filter flags are a usage error", () => {
  test("ml-intern mcp --toolsets foo exits 2 naming the valid toolsets", async () => {
    const { code, stderr } = await mlInternMcp(["--toolsets", "foo"]);
    expect(code).toBe(2);
    expect(stderr).toContain('--toolsets: unknown toolset "foo"');
    for (const toolset of ["all", "github", "hf-datasets", "hf-jobs", "hf-papers", "hf-repos", "web"]) {
      expect(stderr).toContain(toolset);
    }
  }, 20_000);

  test("ml-intern mcp --tools hf_paper exits 2 naming the tools; --exclude-tools too", async () => {
    const tools = await mlInternMcp(["--tools", "hf_paper", "--no-agent"]);
    expect(tools.code).toBe(2);
    expect(tools.stderr).toContain('--tools: unknown tool "hf_paper"; the tools are');
    expect(tools.stderr).toContain("hf_papers");
    expect(tools.stderr).not.toContain("ml_intern,");
    const excluded = await mlInternMcp(["--exclude-tools", "hf_job", "--transport", "http", "--port", "0"]);
    expect(excluded.code).toBe(2);
    expect(excluded.stderr).toContain('--exclude-tools: unknown tool "hf_job"');
  }, 20_000);
});
