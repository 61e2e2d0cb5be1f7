// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax under test
import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RESEARCH_MAX_PARALLEL } from "@ml-intern/core";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import { BUILTIN_CONFIG_SOURCE, loadConfig } from "../../src/config/load-config.ts";
import { configSchema } from "../../src/config/schema.ts";
import { RuntimeError } from "../../src/errors.ts";
import { DEFAULT_MODEL } from "../../src/model/default-model.ts";

async function setup(files: Record<string, unknown>) {
  const dir = await createTempDir("ml-intern-config-");
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir.path, rel);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

function readJson(dir: string, name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, unknown>;
}

function configError(fn: () => unknown): RuntimeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuntimeError && error.kind === "config") return error;
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("loadConfig", () => {
  test("built-in, XDG user config and --config deep-merge in that order; null removes a key", async () => {
    await using dir = await setup({
      "builtin.json": {
        model_name: "anthropic/claude-sonnet-5-5",
        max_iterations: 300,
        mcpServers: { a: { command: "a-server" }, b: { url: "https://example.com/mcp" } },
      },
      "xdg/ml-intern/config.json": { max_iterations: 50, mcpServers: { a: { args: ["--x"] }, b: null } },
      "extra.json": { model_name: "anthropic/claude-opus-5-5" },
    });
    const loaded = loadConfig({
      env: { XDG_CONFIG_HOME: join(dir.path, "xdg") },
      cwd: dir.path,
      configFile: "extra.json",
      builtin: readJson(dir.path, "builtin.json"),
    });
    expect(loaded.config.model_name).toBe("anthropic/claude-opus-5-5");
    expect(loaded.config.max_iterations).toBe(50);
    expect(Object.keys(loaded.config.mcpServers)).toEqual(["a"]);
    expect(loaded.config.mcpServers.a).toMatchObject({ command: "a-server", args: ["--x"], enabled: true });
    expect(loaded.sources.map((s) => s.replace(dir.path, ""))).toEqual([
      BUILTIN_CONFIG_SOURCE,
      "/xdg/ml-intern/config.json",
      "/extra.json",
    ]);
  });

  test("${VAR} and ${VAR:-default} come from the environment, then .env in the launch dir", async () => {
    await using dir = await setup({
      "builtin.json": {
        model_name: "${MODEL:-anthropic/claude-haiku-5-5}",
        mcpServers: {
          remote: {
            url: "https://example.com/mcp",
            headers: { Authorization: "Bearer ${MY_TOKEN}", X: "${EMPTY}" },
          },
        },
      },
      ".env": 'MY_TOKEN="from-dotenv"\nEMPTY=\nOTHER=dotenv # comment\n',
    });
    const loaded = loadConfig({
      env: { OTHER: "process" },
      cwd: dir.path,
      builtin: readJson(dir.path, "builtin.json"),
    });
    expect(loaded.config.model_name).toBe("anthropic/claude-haiku-5-5");
    const remote = loaded.config.mcpServers.remote as { headers: Record<string, string> };
    expect(remote.headers).toEqual({ Authorization: "Bearer from-dotenv", X: "" });
    expect(loaded.env.OTHER).toBe("process");
    expect(loaded.env.MY_TOKEN).toBe("from-dotenv");
  });

  test("a missing variable is a configuration error naming it and where it is used", async () => {
    await using dir = await setup({
      "builtin.json": {
        mcpServers: { gh: { url: "https://example.com/mcp", headers: { Authorization: "${GH_PAT}" } } },
      },
    });
    const error = configError(() =>
      loadConfig({ env: {}, cwd: dir.path, builtin: readJson(dir.path, "builtin.json") }),
    );
    expect(error.message).toContain("'GH_PAT'");
    expect(error.message).toContain("config.mcpServers.gh.headers.Authorization");
  });

  test("schema errors point at the field", async () => {
    await using dir = await setup({
      "builtin.json": {
        max_iterations: "many",
        mcpServers: { bad: { url: "not a url" } },
        sandbox: "docker",
      },
    });
    const error = configError(() =>
      loadConfig({ env: {}, cwd: dir.path, builtin: readJson(dir.path, "builtin.json") }),
    );
    expect(error.message).toContain("max_iterations:");
    expect(error.message).toContain("sandbox:");
    expect(error.message).toContain("mcpServers.bad");
  });

  test("invalid JSON, a missing --config and a missing ML_INTERN_CLI_CONFIG are configuration errors", async () => {
    await using dir = await setup({ "broken.json": "{ nope" });
    const base = { cwd: dir.path, builtin: {} };
    expect(configError(() => loadConfig({ ...base, env: {}, configFile: "broken.json" })).message).toContain(
      "not valid JSON",
    );
    expect(configError(() => loadConfig({ ...base, env: {}, configFile: "absent.json" })).message).toContain(
      "file not found",
    );
    expect(
      configError(() => loadConfig({ ...base, env: { ML_INTERN_CLI_CONFIG: join(dir.path, "x.json") } }))
        .message,
    ).toContain("ML_INTERN_CLI_CONFIG");
  });

  test("defaults apply when no file exists", async () => {
    await using dir = await setup({});
    const { config } = loadConfig({ env: {}, cwd: dir.path, builtin: {} });
    expect(config).toMatchObject({
      model_name: DEFAULT_MODEL,
      reasoning_effort: "high",
      max_iterations: 300,
      yolo_mode: false,
      mcpServers: {},
      sandbox: "bwrap",
    });
  });

  test("the shipped defaults (inside the package) are valid and connect to nothing by default", async () => {
    await using dir = await setup({});
    const { config, sources } = loadConfig({ env: {}, cwd: dir.path, homeDir: dir.path });
    expect(sources).toEqual([BUILTIN_CONFIG_SOURCE]);
    expect(config.model_name).toBe(DEFAULT_MODEL);
    expect(Object.keys(config.mcpServers)).toEqual(["hf-mcp-server"]);
    expect(Object.values(config.mcpServers).every((s) => s.enabled === false)).toBe(true);
  });

  test("ML_INTERN_DEFAULT_MODEL_ID replaces the default model, but not one a file names", async () => {
    await using dir = await setup({ "pick.json": { model_name: "openai/gpt-5" } });
    const env = { ML_INTERN_DEFAULT_MODEL_ID: "moonshotai/Kimi-K2.6:novita" };
    expect(loadConfig({ env, cwd: dir.path, homeDir: dir.path }).config.model_name).toBe(
      "moonshotai/Kimi-K2.6:novita",
    );
    expect(
      loadConfig({ env, cwd: dir.path, homeDir: dir.path, configFile: "pick.json" }).config.model_name,
    ).toBe("openai/gpt-5");
  });
});

test("research_max_parallel's description names the default the research tool applies", () => {
  expect(configSchema.shape.research_max_parallel.description).toContain(`default ${RESEARCH_MAX_PARALLEL})`);
});
