import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/index.ts";
import { chooseDefaultModel, DEFAULT_MODEL, DEFAULT_ROUTER_MODEL } from "../../src/model/default-model.ts";

describe("chooseDefaultModel", () => {
  test("an Anthropic key (or auth token) picks the Anthropic default, even beside an HF token", () => {
    expect(chooseDefaultModel({ ANTHROPIC_API_KEY: "k", HF_TOKEN: "h" })).toBe(DEFAULT_MODEL);
    expect(chooseDefaultModel({ ANTHROPIC_AUTH_TOKEN: "t" })).toBe(DEFAULT_MODEL);
  });
  test("only an HF token picks the router model", () => {
    expect(chooseDefaultModel({ HF_TOKEN: "h" })).toBe(DEFAULT_ROUTER_MODEL);
    expect(chooseDefaultModel({ HUGGING_FACE_HUB_TOKEN: "h", ANTHROPIC_API_KEY: "" })).toBe(
      DEFAULT_ROUTER_MODEL,
    );
  });
  test("neither falls back to the Anthropic default (whose missing key names both ways)", () => {
    expect(chooseDefaultModel({})).toBe(DEFAULT_MODEL);
  });
});

describe("loadConfig modelNamed", () => {
  const dir = () => mkdtempSync(join(tmpdir(), "ml-intern-default-model-"));
  test("false when only the schema default applies; true with ML_INTERN_DEFAULT_MODEL_ID", () => {
    const cwd = dir();
    const env = { HOME: cwd, XDG_CONFIG_HOME: join(cwd, "config"), ML_INTERN_HOME: join(cwd, "mi") };
    expect(loadConfig({ env, cwd }).modelNamed).toBe(false);
    const named = loadConfig({ env: { ...env, ML_INTERN_DEFAULT_MODEL_ID: "ollama/llama3.1" }, cwd });
    expect(named.modelNamed).toBe(true);
    expect(named.config.model_name).toBe("ollama/llama3.1");
  });
});
