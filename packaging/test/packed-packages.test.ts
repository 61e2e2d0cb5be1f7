/**
 * Packs every publishable package (scripts/release-dry.ts), installs the tarballs into a temporary project
 * outside the monorepo with their real dependencies from npm (one `npm install`), then imports and runs
 * each package from Node 20 and from Bun against the fake servers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createTempDir, type FakeLlm, startFakeAnthropic, type TempDir } from "@ml-intern/testing";
import { type FakeGithub, startFakeGithub } from "@ml-intern/testing/github/fake-github";
import { FAKE_HF_TOKEN, type FakeHub, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { readCatalog } from "../../scripts/release/manifest.ts";
import { type ReleaseDryResult, releaseDry } from "../../scripts/release-dry.ts";

const ROOT = resolve(import.meta.dir, "../..");
const FIXTURES = resolve(import.meta.dir, "../fixtures");
const EXPECTED = [
  "@ml-intern/tool",
  "@ml-intern/core",
  "@ml-intern/tools-hf",
  "@ml-intern/tools-github",
  "@ml-intern/sandbox",
  "@ml-intern/runtime",
  "@ml-intern/mcp-server",
  "ml-intern",
];
/** Packages that define tools: installing one must not pull an LLM SDK. */
const TOOL_PACKAGES = [
  "@ml-intern/tool",
  "@ml-intern/tools-hf",
  "@ml-intern/tools-github",
  "@ml-intern/sandbox",
];
const LLM_SDKS = ["@anthropic-ai/sdk", "@anthropic-ai/bedrock-sdk", "openai"];
const SANDBOX_TOKEN = "packaging-sandbox-token-0123456789";

let temp: TempDir;
let project: string;
let release: ReleaseDryResult;

async function exec(cmd: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 60_000) {
  const proc = Bun.spawn(cmd, {
    cwd,
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
  });
  const timer = setTimeout(() => proc.kill(), timeoutMs);
  const [stdout, stderr] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  const code = await proc.exited;
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Runs a fixture script from inside the temp project, so every import resolves from its node_modules. */
async function runFixture(runtime: "node" | "bun", script: string, env: Record<string, string>) {
  const res = await exec([runtime, script], project, env);
  if (res.code !== 0)
    throw new Error(`${runtime} ${script} exited ${res.code}:\n${res.stderr}\n${res.stdout}`);
  const lastLine = res.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(lastLine) as Record<string, unknown>;
}

beforeAll(async () => {
  temp = await createTempDir("ml-intern-packaging-");
  release = await releaseDry({ root: ROOT, outDir: join(temp.path, "tarballs"), log: () => {} });
  project = join(temp.path, "project");
  cpSync(FIXTURES, project, { recursive: true });
  const catalog = readCatalog(ROOT);
  const dependencies: Record<string, string> = {
    zod: catalog.zod ?? "^4",
    "@modelcontextprotocol/sdk": catalog["@modelcontextprotocol/sdk"] ?? "^1",
  };
  for (const pkg of release.packages) dependencies[pkg.name] = `file:${pkg.tarball}`;
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "packaging-consumer", private: true, type: "module", dependencies }, null, 2),
  );
  const install = await exec(
    ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
    project,
    {},
    240_000,
  );
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
}, 600_000);

afterAll(async () => {
  // Removing the consumer's node_modules takes seconds on a loaded machine.
  await temp?.[Symbol.asyncDispose]();
}, 120_000);

test("release:dry packs every publishable package and every tarball passes its checks", () => {
  expect(release.packages.map((p) => p.name).sort()).toEqual([...EXPECTED].sort());
  const problems = release.packages.flatMap((p) => p.report.problems.map((m) => `${p.name}: ${m}`));
  expect(problems).toEqual([]);
  expect(release.ok).toBe(true);
});

test("the consumer project holds real copies, not workspace links, and no test helpers", () => {
  for (const name of EXPECTED) {
    const dir = join(project, "node_modules", name);
    expect(existsSync(join(dir, "package.json"))).toBe(true);
    expect(lstatSync(dir).isSymbolicLink()).toBe(false);
    expect(existsSync(join(dir, "src"))).toBe(false);
  }
  expect(existsSync(join(project, "node_modules", "@ml-intern", "testing"))).toBe(false);
  expect(readdirSync(join(project, "node_modules", "@anthropic-ai"))).toContain("sdk");
});

/**
 * Every package an install of `name` brings, read from the consumer's node_modules the way Node resolves
 * them (nested node_modules first, then each parent's): dependencies and non-optional peer dependencies.
 */
function installedClosure(name: string): Set<string> {
  const seen = new Set<string>();
  const visit = (pkg: string, fromDir: string) => {
    for (let dir = fromDir; ; dir = dirname(dir)) {
      const candidate = join(dir, "node_modules", pkg);
      if (existsSync(join(candidate, "package.json"))) {
        const key = `${pkg}@${candidate}`;
        if (seen.has(key)) return;
        seen.add(key);
        const manifest = JSON.parse(readFileSync(join(candidate, "package.json"), "utf8")) as {
          dependencies?: Record<string, string>;
          peerDependencies?: Record<string, string>;
          peerDependenciesMeta?: Record<string, { optional?: boolean }>;
        };
        const peers = Object.keys(manifest.peerDependencies ?? {}).filter(
          (p) => !manifest.peerDependenciesMeta?.[p]?.optional,
        );
        for (const dep of [...Object.keys(manifest.dependencies ?? {}), ...peers]) visit(dep, candidate);
        return;
      }
      if (dir === project || dirname(dir) === dir) return;
    }
  };
  visit(name, project);
  return new Set([...seen].map((k) => k.slice(0, k.indexOf("@", 1))));
}

test("installing a tool package pulls none of the LLM SDKs (dependency closure in node_modules)", () => {
  for (const name of TOOL_PACKAGES) {
    const closure = installedClosure(name);
    expect(closure.has(name)).toBe(true);
    expect({ name, sdks: LLM_SDKS.filter((sdk) => closure.has(sdk)) }).toEqual({ name, sdks: [] });
    expect({ name, core: closure.has("@ml-intern/core") }).toEqual({ name, core: false });
  }
  // The check can see an SDK when there is one: core pulls all three.
  const core = installedClosure("@ml-intern/core");
  expect(LLM_SDKS.filter((sdk) => core.has(sdk))).toEqual(LLM_SDKS);
});

test("npm ls: every path to an LLM SDK goes through @ml-intern/core, never only through a tool package", async () => {
  for (const sdk of LLM_SDKS) {
    const json = await exec(["npm", "ls", sdk, "--all", "--json"], project);
    const tree = JSON.parse(json.stdout) as { dependencies?: Record<string, NpmNode> };
    const paths = sdkPaths(tree.dependencies ?? {}, sdk, []);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      expect({ sdk, path, viaCore: path.includes("@ml-intern/core") }).toEqual({ sdk, path, viaCore: true });
    }
    expect(json.code).toBe(0);
  }
}, 60_000);

interface NpmNode {
  dependencies?: Record<string, NpmNode>;
}

/** The dependency paths (package names from the root) that end at `target` in `npm ls --json` output. */
function sdkPaths(deps: Record<string, NpmNode>, target: string, prefix: string[]): string[][] {
  const out: string[][] = [];
  for (const [name, node] of Object.entries(deps)) {
    const path = [...prefix, name];
    if (name === target) out.push(path);
    else out.push(...sdkPaths(node.dependencies ?? {}, target, path));
  }
  return out;
}

for (const runtime of ["node", "bun"] as const) {
  describe(`${runtime}`, () => {
    let anthropic: FakeLlm;
    let hub: FakeHub;
    let github: FakeGithub;
    beforeAll(async () => {
      anthropic = await startFakeAnthropic();
      hub = await startFakeHub();
      github = await startFakeGithub({
        repos: [{ owner: "huggingface", name: "transformers", stars: 150_000, description: "Models" }],
      });
    });
    afterAll(async () => {
      await Promise.all([anthropic.close(), hub.close(), github.close()]);
    });

    test("every package imports, with its declared entry points", async () => {
      const code = `const names = ${JSON.stringify(EXPECTED.filter((n) => n !== "ml-intern"))};
        const out = {};
        for (const n of names) out[n] = Object.keys(await import(n)).length;
        out.adapters = Object.keys(await import("@ml-intern/core/adapters")).length;
        out.registerTool = typeof (await import("@ml-intern/mcp-server/register-tool")).registerToolDefinition;
        console.log(JSON.stringify(out));`;
      const cmd = runtime === "node" ? ["node", "--input-type=module", "-e", code] : ["bun", "-e", code];
      const res = await exec(cmd, project);
      expect(res.stderr).toBe("");
      const out = JSON.parse(res.stdout.trim()) as Record<string, number | string>;
      for (const name of EXPECTED.filter((n) => n !== "ml-intern")) expect(out[name]).toBeGreaterThan(0);
      expect(out.adapters).toBeGreaterThan(0);
      expect(out.registerTool).toBe("function");
    });

    test("@ml-intern/core runs one agent turn with a tool call against the fake Anthropic API", async () => {
      anthropic.enqueue(
        { toolCalls: [{ id: "toolu_1", name: "add", input: { a: 2, b: 40 } }] },
        { text: "It is 42." },
      );
      const out = await runFixture(runtime, "core-agent.mjs", { FAKE_ANTHROPIC_URL: anthropic.url });
      expect(out.status).toBe("done");
      expect(out.finalResponse).toBe("It is 42.");
      expect(out.events).toContain("tool_output:42");
      expect(out.adapter).toEqual([{ type: "tool_result", tool_use_id: "toolu_x", content: "3" }]);
      expect(out.openaiTool).toBe("add");
      const second = anthropic.bodies.at(-1)!.messages as { content: { type: string; content?: string }[] }[];
      expect(second.at(-1)?.content[0]).toMatchObject({ type: "tool_result", content: "42" });
    });

    test("@ml-intern/tools-hf runs hf_whoami against the fake Hub", async () => {
      const out = await runFixture(runtime, "tools-hf.mjs", { FAKE_HUB_URL: hub.url, FAKE_HF_TOKEN });
      expect(out.isError).toBe(false);
      expect(out.names).toContain("hub_repo_search");
      expect(String(out.text)).toContain("alice");
      expect(hub.server.requestsTo("/api/whoami-v2").length).toBeGreaterThan(0);
    });

    test("@ml-intern/tools-github runs github_list_repos against the fake GitHub", async () => {
      const out = await runFixture(runtime, "tools-github.mjs", { FAKE_GITHUB_URL: github.url });
      expect(out.isError).toBe(false);
      expect(String(out.text)).toContain("huggingface/transformers");
    });

    test("@ml-intern/sandbox runs bash, write and edit on the local backend, unrestricted and under bubblewrap", async () => {
      const out = await runFixture(runtime, "sandbox-local.mjs", {});
      expect(out.runtime).toBe(runtime);
      for (const [isolation, kind] of [
        ["none", "local-unrestricted"],
        ["bwrap", "local-bwrap"],
      ] as const) {
        expect(out[isolation]).toEqual({
          kind,
          write: "ok",
          edit: "ok",
          bash: "print('beta')\nerr\nlocal-42\n",
          timedOut: true,
          onDisk: "print('beta')\n",
        });
      }
    });

    test("@ml-intern/runtime loads its shipped default config and assembles the catalog", async () => {
      const out = await runFixture(runtime, "runtime.mjs", {});
      expect(out.model).toBe(out.defaultModel);
      expect(out.sources).toEqual(["(built-in defaults)"]);
      expect(out.servers).toEqual(["hf-mcp-server"]);
      expect(out.tools).toContain("hub_repo_search");
      expect(out.prompt).toBeGreaterThan(1000);
    });

    test("@ml-intern/mcp-server serves a core tool to a real MCP client", async () => {
      const out = await runFixture(runtime, "mcp-server.mjs", {});
      expect(out.tools).toContainEqual({ name: "shout", readOnly: true });
      expect(out.content).toEqual([{ type: "text", text: "PACKED" }]);
    });
  });
}

for (const runtime of ["bun", "node"] as const) {
  test(`@ml-intern/sandbox: its server under ${runtime === "bun" ? "Bun" : "Node"} runs bash locally, and write/edit/bash over HTTP from Node`, async () => {
    const server = Bun.spawn([runtime, "sandbox-server.mjs"], {
      cwd: project,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", SANDBOX_TOKEN },
    });
    try {
      const reader = server.stdout.getReader();
      let buffered = "";
      const deadline = setTimeout(() => server.kill(), 30_000);
      while (!buffered.includes("\n")) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`sandbox server exited: ${await new Response(server.stderr).text()}`);
        buffered += new TextDecoder().decode(chunk.value);
      }
      clearTimeout(deadline);
      const started = JSON.parse(buffered.split("\n")[0]!) as { url: string; local: string; names: string[] };
      expect(started.local).toContain("local-42");
      expect(started.names).toEqual(expect.arrayContaining(["bash", "read", "write", "edit"]));
      const out = await runFixture("node", "sandbox-remote.mjs", { SANDBOX_URL: started.url, SANDBOX_TOKEN });
      expect(out.write).toBe(false);
      expect(out.edit).toBe(false);
      expect(String(out.bash)).toContain("beta");
      expect(String(out.bash)).toContain("remote-ok");
    } finally {
      server.stdin.end();
      const exited = await Promise.race([server.exited, Bun.sleep(5_000).then(() => "timeout")]);
      if (exited === "timeout") server.kill();
    }
  });
}

test("the ml-intern CLI starts from its packed bin", async () => {
  const bin = join(project, "node_modules", ".bin", "ml-intern");
  const version = await exec([bin, "--version"], project);
  expect(version.code).toBe(0);
  expect(version.stdout.trim()).toBe(
    release.packages.find((p) => p.name === "ml-intern")?.version ?? "missing",
  );
  const help = await exec(
    ["node", join(project, "node_modules", "ml-intern", "dist", "main.js"), "--help"],
    project,
  );
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("Usage");
  // `ml-intern mcp` loads the MCP server installed beside the CLI (no package dependency between them).
  const mcpHelp = await exec([bin, "mcp", "--help"], project);
  expect(mcpHelp.code).toBe(0);
  expect(mcpHelp.stderr).toContain("Usage: ml-intern mcp");
  const serverBin = await exec([join(project, "node_modules", ".bin", "ml-intern-mcp"), "--help"], project);
  expect(serverBin.code).toBe(0);
  expect(serverBin.stderr).toContain("Usage: ml-intern mcp");
});
