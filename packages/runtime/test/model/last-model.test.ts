import { expect, test } from "bun:test";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTempDir } from "@ml-intern/testing";
import { DEFAULT_MODEL, DEFAULT_ROUTER_MODEL } from "../../src/model/default-model.ts";
import {
  hasModelCredentials,
  lastModelFile,
  pickStartModel,
  readLastModel,
  rememberModel,
} from "../../src/model/last-model.ts";

test("a remembered model is read back; nothing, garbage or a non-id is no model", async () => {
  await using dir = await createTempDir();
  const home = join(dir.path, "state");
  expect(readLastModel(home)).toBeUndefined();
  expect(rememberModel(home, "anthropic/claude-opus-5-5")).toBe(true);
  expect(readLastModel(home)).toBe("anthropic/claude-opus-5-5");
  expect(statSync(lastModelFile(home)).mode & 0o777).toBe(0o600);
  expect(rememberModel(home, "moonshotai/Kimi-K2.6:novita")).toBe(true);
  expect(readLastModel(home)).toBe("moonshotai/Kimi-K2.6:novita");

  expect(rememberModel(home, "not a model id\n")).toBe(false);
  expect(readLastModel(home)).toBe("moonshotai/Kimi-K2.6:novita");
  writeFileSync(lastModelFile(home), "{ not json");
  expect(readLastModel(home)).toBeUndefined();
  writeFileSync(lastModelFile(home), JSON.stringify({ model: "$(rm -rf ~)" }));
  expect(readLastModel(home)).toBeUndefined();
  writeFileSync(lastModelFile(home), "null");
  expect(readLastModel(home)).toBeUndefined();
});

test("a home that cannot be written only loses the memory", async () => {
  await using dir = await createTempDir();
  const file = join(dir.path, "a-file");
  writeFileSync(file, "");
  expect(rememberModel(join(file, "state"), "anthropic/claude-opus-5-5")).toBe(false);
});

test("credentials: each provider's key, AWS for Bedrock, nothing for a local server", () => {
  expect(hasModelCredentials("anthropic/claude-opus-5-5", {})).toBe(false);
  expect(hasModelCredentials("anthropic/claude-opus-5-5", { ANTHROPIC_API_KEY: "sk-ant-x" })).toBe(true);
  expect(hasModelCredentials("anthropic/claude-opus-5-5", { ANTHROPIC_AUTH_TOKEN: "t" })).toBe(true);
  expect(hasModelCredentials("moonshotai/Kimi-K2.6:novita", { ANTHROPIC_API_KEY: "sk-ant-x" })).toBe(false);
  expect(hasModelCredentials("moonshotai/Kimi-K2.6:novita", { HF_TOKEN: "hf_x" })).toBe(true);
  expect(hasModelCredentials("openai/gpt-5", { HF_TOKEN: "hf_x" })).toBe(false);
  expect(hasModelCredentials("ollama/llama3", {})).toBe(true);
  expect(hasModelCredentials("bedrock/anthropic.claude", {})).toBe(true);
  expect(hasModelCredentials("no-slash", { ANTHROPIC_API_KEY: "sk-ant-x" })).toBe(false);
});

test("the start model: the named one, else the last pick with its key, else the default for the keys", async () => {
  await using dir = await createTempDir();
  const anthropic = { ANTHROPIC_API_KEY: "sk-ant-x" };
  expect(pickStartModel(undefined, anthropic, dir.path)).toEqual({
    model: DEFAULT_MODEL,
    source: "credentials",
  });
  rememberModel(dir.path, "anthropic/claude-opus-5-5");
  expect(pickStartModel(undefined, anthropic, dir.path)).toEqual({
    model: "anthropic/claude-opus-5-5",
    source: "last-pick",
  });
  expect(pickStartModel("openai/gpt-5", anthropic, dir.path)).toEqual({
    model: "openai/gpt-5",
    source: "named",
  });
  expect(pickStartModel(undefined, { HF_TOKEN: "hf_x" }, dir.path)).toEqual({
    model: DEFAULT_ROUTER_MODEL,
    source: "credentials",
  });
});
