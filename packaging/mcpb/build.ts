/**
 * Builds the Claude Desktop bundle, dist/ml-intern.mcpb (`bun run bundle` at the root):
 *
 * 1. `bun build --target=node` of server-entry.ts (`ml-intern mcp` over stdio, every dependency and text
 *    prompt inlined) into server/index.mjs, so the bundle runs on the Node that Claude Desktop ships;
 * 2. runs that file on Node and asks it `tools/list` over MCP: the manifest's `tools`;
 * 3. writes manifest.json (version and Node range from @ml-intern/mcp-server's package.json, default models
 *    from @ml-intern/runtime), checks it with `mcpb validate` and packs with `mcpb pack` (@anthropic-ai/mcpb).
 *
 *   bun packaging/mcpb/build.ts [--out <file.mcpb>]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { DEFAULT_MODEL, DEFAULT_ROUTER_MODEL } from "@ml-intern/runtime/model";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { WORKSPACE_ENV } from "./launch.ts";
import { createMcpbManifest, ENTRY_POINT, httpsRepositoryUrl, type McpbManifest } from "./manifest.ts";

const ROOT = resolve(import.meta.dir, "../..");

export interface BuildMcpbOptions {
  /** Default: <repo>/dist/ml-intern.mcpb. */
  outFile?: string;
  /** The Node that runs the built server and the mcpb CLI (default `node` on PATH). */
  node?: string;
  log?: (line: string) => void;
}

export interface BuildMcpbResult {
  file: string;
  bytes: number;
  manifest: McpbManifest;
}

interface PackageJson {
  version: string;
  license?: string;
  engines?: { node?: string };
  repository?: { url?: string } | string;
}

/** The mcpb CLI script of the installed @anthropic-ai/mcpb (run it with Node). */
export function mcpbCli(): string {
  return join(dirname(Bun.resolveSync("@anthropic-ai/mcpb", import.meta.dir)), "cli", "cli.js");
}

async function run(cmd: string[], cwd: string): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(cmd, { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code: await proc.exited, out: `${out}${err}`.trim() };
}

/** `mcpb validate <manifest>`; throws with its report when the manifest does not pass. */
export async function mcpbValidate(manifestPath: string, node = "node"): Promise<string> {
  const res = await run([node, mcpbCli(), "validate", manifestPath], dirname(manifestPath));
  if (res.code !== 0) throw new Error(`mcpb validate ${manifestPath} failed:\n${res.out}`);
  return res.out;
}

async function bundleServer(outFile: string): Promise<void> {
  const result = await Bun.build({
    entrypoints: [join(import.meta.dir, "server-entry.ts")],
    target: "node",
    format: "esm",
    minify: { whitespace: true, syntax: true, identifiers: false },
    sourcemap: "none",
    throw: false,
  });
  if (!result.success) {
    throw new Error(`bundling the server failed:\n${result.logs.map((l) => String(l)).join("\n")}`);
  }
  const [entry, ...rest] = result.outputs;
  if (!entry || rest.length) throw new Error(`expected one bundled file, got ${result.outputs.length}`);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, await entry.text());
}

/**
 * What the built server lists, run on Node with placeholder keys in an empty home and workspace (no user
 * config, no .env), both keys set so the model-backed tools are listed too.
 */
export async function listServedTools(
  entry: string,
  node = "node",
): Promise<{ name: string; description?: string | undefined }[]> {
  const scratch = mkdtempSync(join(tmpdir(), "ml-intern-mcpb-tools-"));
  const transport = new StdioClientTransport({
    command: node,
    args: [entry],
    cwd: scratch,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: scratch,
      HF_TOKEN: "hf_bundle_build_placeholder",
      ANTHROPIC_API_KEY: "sk-ant-bundle-build-placeholder",
      [WORKSPACE_ENV]: join(scratch, "workspace"),
    },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "ml-intern-mcpb-build", version: "0.0.0" });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    return tools.map((t) => ({ name: t.name, description: t.description }));
  } catch (error) {
    throw new Error(`the built server did not answer tools/list: ${String(error)}\n${stderr}`);
  } finally {
    await client.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function buildMcpb(options: BuildMcpbOptions = {}): Promise<BuildMcpbResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const node = options.node ?? "node";
  const file = resolve(options.outFile ?? join(ROOT, "dist", "ml-intern.mcpb"));
  const pkg = JSON.parse(
    readFileSync(join(ROOT, "packages", "mcp-server", "package.json"), "utf8"),
  ) as PackageJson;
  const stage = mkdtempSync(join(tmpdir(), "ml-intern-mcpb-"));
  try {
    const entry = join(stage, ENTRY_POINT);
    await bundleServer(entry);
    log(`server: ${ENTRY_POINT} (${(statSync(entry).size / 1e6).toFixed(1)} MB, bun build --target=node)`);
    const tools = await listServedTools(entry, node);
    log(`tools: ${tools.length} from the built server's tools/list on ${node}`);
    const repositoryUrl = httpsRepositoryUrl(
      typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url,
    );
    const manifest = createMcpbManifest({
      version: pkg.version,
      nodeRange: pkg.engines?.node ?? ">=20",
      ...(pkg.license ? { license: pkg.license } : {}),
      ...(repositoryUrl ? { repositoryUrl } : {}),
      tools,
      defaultModel: DEFAULT_MODEL,
      routerModel: DEFAULT_ROUTER_MODEL,
    });
    const manifestPath = join(stage, "manifest.json");
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    log(`manifest: ${(await mcpbValidate(manifestPath, node)).split("\n")[0]}`);
    mkdirSync(dirname(file), { recursive: true });
    rmSync(file, { force: true });
    const packed = await run([node, mcpbCli(), "pack", stage, file], stage);
    if (packed.code !== 0) throw new Error(`mcpb pack failed:\n${packed.out}`);
    const bytes = statSync(file).size;
    log(`bundle: ${file} (${(bytes / 1e6).toFixed(1)} MB, ${manifest.name}@${manifest.version})`);
    return { file, bytes, manifest };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf("--out");
  const outFile = outAt >= 0 ? args[outAt + 1] : undefined;
  if (outAt >= 0 && !outFile) {
    process.stderr.write("usage: bun packaging/mcpb/build.ts [--out <file.mcpb>]\n");
    process.exit(2);
  }
  try {
    await buildMcpb(outFile ? { outFile } : {});
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
