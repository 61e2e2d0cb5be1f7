import { expect, test } from "bun:test";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "@ml-intern/runtime/config";
import { createTempDir } from "@ml-intern/testing";
import { saveUserKey } from "../../src/cli/user-key-store.ts";

test("saved keys replace earlier values, keep other lines, and sit below .env and the environment", async () => {
  await using dir = await createTempDir();
  const env = { HOME: dir.path, XDG_CONFIG_HOME: join(dir.path, "config") };
  saveUserKey("OPENAI_API_KEY", "sk-first", env, dir.path);
  saveUserKey("ANTHROPIC_API_KEY", "sk-ant-one", env, dir.path);
  const path = saveUserKey("OPENAI_API_KEY", "sk-second", env, dir.path);
  const text = readFileSync(path, "utf8");
  expect(text).toContain("OPENAI_API_KEY=sk-second");
  expect(text).not.toContain("sk-first");
  expect(text).toContain("ANTHROPIC_API_KEY=sk-ant-one");
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(() => saveUserKey("OPENAI_API_KEY", "has space", env, dir.path)).toThrow();

  const cwd = join(dir.path, "project");
  mkdirSync(cwd);
  writeFileSync(join(cwd, ".env"), "OPENAI_API_KEY=sk-from-dotenv\n");
  const builtin = {};
  const loaded = loadConfig({ env, cwd, builtin });
  expect(loaded.env.OPENAI_API_KEY).toBe("sk-from-dotenv");
  expect(loaded.env.ANTHROPIC_API_KEY).toBe("sk-ant-one");
  const fromEnv = loadConfig({ env: { ...env, ANTHROPIC_API_KEY: "sk-ant-env" }, cwd, builtin });
  expect(fromEnv.env.ANTHROPIC_API_KEY).toBe("sk-ant-env");
});
