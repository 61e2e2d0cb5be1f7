import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { configSchema } from "@ml-intern/runtime/config";
import { DEFAULT_MODEL, DEFAULT_ROUTER_MODEL, rememberModel } from "@ml-intern/runtime/model";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import { parseMcpArgs } from "../src/cli-args.ts";
import { loadMcpSettings, mergeToolFilter } from "../src/run-mcp-command.ts";

describe("ml-intern mcp settings", () => {
  test("flags replace the config's filter keys; exclusions add up; read-only from either side holds", () => {
    const config = configSchema.parse({
      toolsets: ["hf-docs"],
      tools: ["hf_whoami"],
      exclude_tools: ["fetch_hf_docs"],
      read_only: true,
    });
    expect(mergeToolFilter(config, {})).toEqual({
      toolsets: ["hf-docs"],
      tools: ["hf_whoami"],
      excludeTools: ["fetch_hf_docs"],
      readOnly: true,
    });
    expect(mergeToolFilter(config, { toolsets: ["github"], excludeTools: ["github_read_file"] })).toEqual({
      toolsets: ["github"],
      tools: ["hf_whoami"],
      excludeTools: ["fetch_hf_docs", "github_read_file"],
      readOnly: true,
    });
    expect(mergeToolFilter(configSchema.parse({}), { readOnly: true })).toEqual({ readOnly: true });
  });

  test("the model: --model, else ML_INTERN_MODEL, else the config's model_name, else the runtime's default", async () => {
    await using dir = await createTempDir("ml-intern-mcp-settings-");
    writeFileSync(join(dir.path, "c.json"), JSON.stringify({ model_name: "openai/gpt-5" }));
    const env = { HOME: dir.path, XDG_CONFIG_HOME: join(dir.path, "xdg") };
    const model = async (argv: string[], extra: Record<string, string> = {}) =>
      (await loadMcpSettings(parseMcpArgs(argv), { ...env, ...extra }, dir.path)).model;
    expect(await model([])).toBe(DEFAULT_MODEL);
    expect(await model(["--config", "c.json"])).toBe("openai/gpt-5");
    expect(await model(["--config", "c.json"], { ML_INTERN_MODEL: "ollama/llama3.1" })).toBe(
      "ollama/llama3.1",
    );
    expect(await model(["--config", "c.json", "--model", "anthropic/claude-opus-5-5"])).toBe(
      "anthropic/claude-opus-5-5",
    );
  });

  test("no model named: the CLI's last /model pick while its key is present, as in the CLI", async () => {
    await using dir = await createTempDir("ml-intern-mcp-settings-");
    const env = {
      HOME: dir.path,
      XDG_CONFIG_HOME: join(dir.path, "xdg"),
      ML_INTERN_HOME: join(dir.path, "state"),
    };
    rememberModel(env.ML_INTERN_HOME, "anthropic/claude-opus-5-5");
    const model = async (extra: Record<string, string>) =>
      (await loadMcpSettings(parseMcpArgs([]), { ...env, ...extra }, dir.path)).model;
    expect(await model({ ANTHROPIC_API_KEY: "sk-ant-x" })).toBe("anthropic/claude-opus-5-5");
    expect(await model({ HF_TOKEN: "hf_x" })).toBe(DEFAULT_ROUTER_MODEL);
    expect(await model({ ANTHROPIC_API_KEY: "sk-ant-x", ML_INTERN_MODEL: "ollama/llama3.1" })).toBe(
      "ollama/llama3.1",
    );
  });
});
