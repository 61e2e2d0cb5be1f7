/**
 * The Claude Desktop bundle: builds ml-intern.mcpb into a temp dir (packaging/mcpb/build.ts, what
 * `bun run bundle` runs), unpacks it with `mcpb unpack`, checks the manifest with `mcpb validate`, then
 * starts the server the way Claude Desktop does: the manifest's mcp_config through @anthropic-ai/mcpb's own
 * getMcpConfigForManifest (the substitution Claude Desktop uses), its command (`node`) on PATH, and a real
 * MCP client over stdio, against the fake Hub.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { getMcpConfigForManifest, type McpbUserConfigValues, v0_3 } from "@anthropic-ai/mcpb/browser";
import { DEFAULT_MODEL, DEFAULT_ROUTER_MODEL } from "@ml-intern/runtime/model";
import { createTempDir, type TempDir } from "@ml-intern/testing";
import {
  DEFAULT_FAKE_USERS,
  FAKE_HF_TOKEN,
  type FakeHub,
  startFakeHub,
} from "@ml-intern/testing/hf/fake-hub";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { type BuildMcpbResult, buildMcpb, mcpbCli } from "../mcpb/build.ts";
import { isUnsubstituted, resolveBundleLaunch, WORKSPACE_ENV } from "../mcpb/launch.ts";
import { ENTRY_POINT, firstLine } from "../mcpb/manifest.ts";

const ROOT = resolve(import.meta.dir, "../..");
const ANTHROPIC_TEST_KEY = "sk-ant-bundle-test-key-0123456789";
const FAKE_USER = DEFAULT_FAKE_USERS[FAKE_HF_TOKEN]!.name;

type Manifest = ReturnType<typeof v0_3.McpbManifestSchema.parse>;
type TextContent = { type: "text"; text: string };
/** `${user_config.<key>}`, what the manifest puts where Claude Desktop substitutes a user setting. */
const placeholder = (key: string) => `\${user_config.${key}}`;

let temp: TempDir;
let hub: FakeHub;
let built: BuildMcpbResult;
let unpacked: string;
let manifest: Manifest;

async function exec(cmd: string[], cwd: string) {
  const proc = Bun.spawn(cmd, {
    cwd,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
  });
  const [stdout, stderr] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code: await proc.exited, stdout, stderr };
}

beforeAll(async () => {
  temp = await createTempDir("ml-intern-mcpb-");
  hub = await startFakeHub();
  built = await buildMcpb({ outFile: join(temp.path, "ml-intern.mcpb"), log: () => {} });
  unpacked = join(temp.path, "unpacked");
  const res = await exec(["node", mcpbCli(), "unpack", built.file, unpacked], temp.path);
  if (res.code !== 0) throw new Error(`mcpb unpack failed:\n${res.stdout}${res.stderr}`);
  manifest = v0_3.McpbManifestSchema.parse(JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8")));
}, 180_000);

afterAll(async () => {
  await hub?.close();
  await temp?.[Symbol.asyncDispose]();
});

/** Starts the unpacked bundle as Claude Desktop would for these user settings; returns a connected client. */
async function startBundle(userConfig: McpbUserConfigValues, home: string) {
  const config = await getMcpConfigForManifest({
    manifest,
    extensionPath: unpacked,
    systemDirs: {
      HOME: home,
      DESKTOP: join(home, "Desktop"),
      DOCUMENTS: join(home, "Documents"),
      DOWNLOADS: join(home, "Downloads"),
    },
    userConfig,
    pathSeparator: "/",
  });
  if (!config) throw new Error("getMcpConfigForManifest: required configuration missing");
  const transport = new StdioClientTransport({
    command: config.command,
    args: config.args ?? [],
    // Claude Desktop's own working directory, not the workspace.
    cwd: temp.path,
    env: { PATH: process.env.PATH ?? "", HOME: home, HF_ENDPOINT: hub.url, ...config.env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "claude-desktop-stand-in", version: "0.0.0" });
  await client.connect(transport);
  return { client, config, stderr: () => stderr };
}

test("the build wrote a bundle whose manifest passes `mcpb validate`", async () => {
  expect(built.bytes).toBeGreaterThan(100_000);
  expect(existsSync(join(unpacked, ENTRY_POINT))).toBe(true);
  const res = await exec(["node", mcpbCli(), "validate", join(unpacked, "manifest.json")], temp.path);
  expect(res.stdout).toContain("Manifest schema validation passes!");
  expect(res.code).toBe(0);
});

test("the manifest: Node server, version from @ml-intern/mcp-server, user_config for the keys, model and workspace", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "packages", "mcp-server", "package.json"), "utf8")) as {
    version: string;
    engines: { node: string };
  };
  expect(manifest.version).toBe(pkg.version);
  expect(manifest.compatibility?.runtimes?.node).toBe(pkg.engines.node);
  expect(manifest.server.type).toBe("node");
  expect(manifest.server.entry_point).toBe(ENTRY_POINT);
  expect(manifest.server.mcp_config?.command).toBe("node");
  expect(manifest.server.mcp_config?.args).toEqual([`\${__dirname}/${ENTRY_POINT}`]);
  expect(manifest.server.mcp_config?.env).toEqual({
    HF_TOKEN: placeholder("hf_token"),
    ANTHROPIC_API_KEY: placeholder("anthropic_api_key"),
    ML_INTERN_MODEL: placeholder("model"),
    [WORKSPACE_ENV]: placeholder("workspace"),
  });
  const options = manifest.user_config ?? {};
  expect(options.hf_token).toMatchObject({ type: "string", sensitive: true, required: true });
  expect(options.anthropic_api_key).toMatchObject({ type: "string", sensitive: true, required: false });
  expect(options.model).toMatchObject({ type: "string", required: false });
  expect(options.model?.description).toContain(DEFAULT_MODEL);
  expect(options.model?.description).toContain(DEFAULT_ROUTER_MODEL);
  expect(options.workspace).toMatchObject({ type: "directory", required: false });
  for (const option of Object.values(options)) expect(option.default).toBeUndefined();
  const names = (manifest.tools ?? []).map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(["hf_whoami", "hub_repo_search", "research", "ml_intern"]));
  expect(new Set(names).size).toBe(names.length);
});

test("`node` on PATH is Node 20 or newer (what Claude Desktop ships)", async () => {
  const res = await exec(["node", "--version"], temp.path);
  expect(Number(/^v(\d+)\./.exec(res.stdout.trim())?.[1])).toBeGreaterThanOrEqual(20);
});

describe("started as mcp_config says, under node, with a real MCP client", () => {
  test("every field set: lists the manifest's tools, hf_whoami answers, no key on stderr, the workspace is made", async () => {
    const home = join(temp.path, "home-full");
    const workspace = join(temp.path, "chosen workspace");
    const { client, config, stderr } = await startBundle(
      {
        hf_token: FAKE_HF_TOKEN,
        anthropic_api_key: ANTHROPIC_TEST_KEY,
        model: DEFAULT_MODEL,
        workspace,
      },
      home,
    );
    try {
      expect(config.args).toEqual([join(unpacked, ENTRY_POINT)]);
      expect(config.env?.HF_TOKEN).toBe(FAKE_HF_TOKEN);
      const served = (await client.listTools()).tools;
      const byName = new Map(served.map((t) => [t.name, t]));
      for (const tool of manifest.tools ?? []) {
        expect({ name: tool.name, listed: byName.has(tool.name) }).toEqual({ name: tool.name, listed: true });
        expect(tool.description).toBe(firstLine(byName.get(tool.name)?.description));
      }
      const whoami = await client.callTool({ name: "hf_whoami", arguments: {} });
      expect(whoami.isError).toBeFalsy();
      const text = (whoami.content as TextContent[]).map((c) => c.text).join("\n");
      expect(text).toContain(FAKE_USER);
      expect(text).not.toContain(FAKE_HF_TOKEN);
      expect(hub.server.requestsTo("/api/whoami-v2").length).toBeGreaterThan(0);
      expect(existsSync(workspace)).toBe(true);
    } finally {
      await client.close();
    }
    expect(stderr()).not.toContain(FAKE_HF_TOKEN);
    expect(stderr()).not.toContain(ANTHROPIC_TEST_KEY);
  }, 60_000);

  test("only the HF token: the placeholders of unfilled fields count as unset (router model, ~/ml-intern)", async () => {
    const home = join(temp.path, "home-token-only");
    const { client, config, stderr } = await startBundle({ hf_token: FAKE_HF_TOKEN }, home);
    try {
      // Claude Desktop's substitution keeps the placeholders of optional fields without a value.
      expect(config.env?.ML_INTERN_MODEL).toBe(placeholder("model"));
      expect(config.env?.ANTHROPIC_API_KEY).toBe(placeholder("anthropic_api_key"));
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(["hf_whoami", "research", "ml_intern"]));
      const whoami = await client.callTool({ name: "hf_whoami", arguments: {} });
      expect((whoami.content as TextContent[])[0]?.text).toContain(FAKE_USER);
      expect(existsSync(join(home, "ml-intern"))).toBe(true);
    } finally {
      await client.close();
    }
    expect(stderr()).not.toContain("not served");
    expect(stderr()).not.toContain(FAKE_HF_TOKEN);
  }, 60_000);

  test("without the required HF token Claude Desktop does not start it", async () => {
    const config = await getMcpConfigForManifest({
      manifest,
      extensionPath: unpacked,
      systemDirs: {},
      userConfig: { anthropic_api_key: ANTHROPIC_TEST_KEY },
      pathSeparator: "/",
    });
    expect(config).toBeUndefined();
  });
});

describe("resolveBundleLaunch", () => {
  test("drops unsubstituted and empty values; the workspace defaults to ~/ml-intern", () => {
    const launch = resolveBundleLaunch({
      env: {
        HF_TOKEN: "hf_x",
        ANTHROPIC_API_KEY: placeholder("anthropic_api_key"),
        ML_INTERN_MODEL: "  ",
        [WORKSPACE_ENV]: placeholder("workspace"),
        PATH: "/bin",
        UNSET: undefined,
      },
      homeDir: "/home/u",
    });
    expect(launch).toEqual({
      env: { HF_TOKEN: "hf_x", PATH: "/bin" },
      workspace: join("/home/u", "ml-intern"),
    });
  });

  test("a chosen workspace wins; a placeholder inside other text is kept", () => {
    const launch = resolveBundleLaunch({
      env: { [WORKSPACE_ENV]: "/data/ws", NOTE: `cost ${placeholder("x")} and more` },
      homeDir: "/home/u",
    });
    expect(launch.workspace).toBe("/data/ws");
    expect(launch.env.NOTE).toBe(`cost ${placeholder("x")} and more`);
    expect(isUnsubstituted(placeholder("model"))).toBe(true);
    expect(isUnsubstituted(`anthropic/${placeholder("model")}`)).toBe(false);
  });
});
