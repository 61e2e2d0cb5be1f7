import { describe, expect, test } from "bun:test";
import { createRedactor, isSecretKeyName } from "../../src/redact/redactor.ts";

// Fake credentials assembled at runtime so the file itself never looks like it holds a real one.
const alnum = (n: number, seed = 7): string => {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += chars[x % chars.length];
  }
  return out;
};
const HF = `hf_${alnum(34)}`;
const ANTHROPIC = `sk-ant-api03-${alnum(40)}-${alnum(20, 3)}`;
const OPENAI_LEGACY = `sk-${alnum(48)}`;
const OPENAI_PROJECT = `sk-proj-${alnum(60)}_${alnum(30, 5)}`;
const GH = (prefix: string) => `${prefix}_${alnum(36, 11)}`;
const GH_PAT = `github_pat_11ABCDEFG0_${alnum(59, 13)}`;
const AWS = "AKIAIOSFODNN7EXAMPLE";
const AWS_TEMP = "ASIAY34FZKBOKMUTVV7A";

const r = createRedactor();

describe("token patterns", () => {
  test("HF token", () => {
    const out = r.redact(`token is ${HF}.`);
    expect(out).toBe("token is [REDACTED_HF_TOKEN].");
  });

  test("Anthropic key", () => {
    expect(r.redact(`key ${ANTHROPIC} end`)).toBe("key [REDACTED_ANTHROPIC_KEY] end");
  });

  test("OpenAI legacy and project keys", () => {
    expect(r.redact(`a ${OPENAI_LEGACY} b`)).toBe("a [REDACTED_OPENAI_KEY] b");
    expect(r.redact(`a ${OPENAI_PROJECT} b`)).toBe("a [REDACTED_OPENAI_KEY] b");
  });

  test.each(["ghp", "gho", "ghu", "ghs", "ghr"])("GitHub %s_ token", (prefix) => {
    expect(r.redact(`x ${GH(prefix)} y`)).toBe("x [REDACTED_GITHUB_TOKEN] y");
  });

  test("GitHub fine-grained PAT", () => {
    expect(r.redact(`pat=${GH_PAT}`)).toBe("pat=[REDACTED_GITHUB_TOKEN]");
  });

  test("AWS access key ids", () => {
    expect(r.redact(`id ${AWS} and ${AWS_TEMP}`)).toBe("id [REDACTED_AWS_KEY_ID] and [REDACTED_AWS_KEY_ID]");
  });

  test("token embedded in a URL or JSON is still found", () => {
    const out = r.redact(`https://user:${HF}@huggingface.co/x {"t":"${GH("ghp")}"}`);
    expect(out).not.toContain(HF);
    expect(out).not.toContain(GH("ghp"));
  });
});

describe("headers", () => {
  test("Authorization: Bearer", () => {
    expect(r.redact("Authorization: Bearer abc.def-123")).toBe("Authorization: Bearer [REDACTED]");
  });

  test("X-...-Authorization and X-Api-Key", () => {
    expect(r.redact("X-Sandbox-Authorization: Bearer sbx_secret_value_1")).toBe(
      "X-Sandbox-Authorization: Bearer [REDACTED]",
    );
    expect(r.redact("x-api-key: abcdef123456")).toBe("x-api-key: [REDACTED]");
  });

  test("header inside a JSON-ish curl command", () => {
    const out = r.redact(`curl -H "Authorization: token s3cr3tvalue" https://api.github.com`);
    expect(out).toBe(`curl -H "Authorization: token [REDACTED]" https://api.github.com`);
  });

  test("bare Bearer credential", () => {
    expect(r.redact("sent Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig")).toBe("sent Bearer [REDACTED]");
  });

  test("environment references are left alone", () => {
    const cmd = `curl -H "Authorization: Bearer $HF_TOKEN" https://huggingface.co/api/whoami-v2`;
    expect(r.redact(cmd)).toBe(cmd);
  });
});

describe("key/value secrets", () => {
  test("env-style assignments", () => {
    expect(r.redact("export WANDB_API_KEY=abc123def")).toBe("export WANDB_API_KEY=[REDACTED]");
    expect(r.redact("DB_PASSWORD: hunter2")).toBe("DB_PASSWORD: [REDACTED]");
    expect(r.redact('MY_SECRET="quoted value1"')).toBe('MY_SECRET="[REDACTED]"');
    expect(r.redact('AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG"')).toBe(
      'AWS_SECRET_ACCESS_KEY="[REDACTED]"',
    );
  });

  test("JSON pairs with secret-looking keys", () => {
    const out = r.redact(`{"api_key": "abc", "password":"p@ss", "hfToken": "zzz", "name": "bob"}`);
    expect(out).toBe(
      `{"api_key": "[REDACTED]", "password":"[REDACTED]", "hfToken": "[REDACTED]", "name": "bob"}`,
    );
  });

  test("code assignments with quoted values", () => {
    expect(r.redact(`client = Client(api_key="abc-def", base_url="http://x")`)).toBe(
      `client = Client(api_key="[REDACTED]", base_url="http://x")`,
    );
  });

  test("configured literal secrets anywhere", () => {
    const custom = createRedactor({ secrets: ["my-custom-secret-42", undefined, ""] });
    expect(custom.redact("prefix my-custom-secret-42suffix")).toBe("prefix [REDACTED]suffix");
  });

  test("literal secrets with regex metacharacters", () => {
    const custom = createRedactor({ secrets: ["a.b*c+d(e)"] });
    expect(custom.redact("x a.b*c+d(e) y aXb")).toBe("x [REDACTED] y aXb");
  });
});

describe("nothing else is mangled", () => {
  const untouched = [
    "tokenizer.pad_token = tokenizer.eos_token",
    `{"pad_token": "<pad>", "eos_token": "</s>", "max_tokens": 512}`,
    "generate(max_new_tokens=256, num_tokens=3)",
    "pip install scikit-learn sk-learn torch==2.4.0",
    "The hf_jobs tool and hf_inspect_dataset tool",
    "ghp_short is not a token",
    "git commit -m 'fix tokenizer'",
    "Bearer short",
    "HF_TOKEN=$HF_TOKEN python train.py",
    "password_hint: see docs",
    "model_id: meta-llama/Llama-3.1-8B",
    "sha256:4f2a9c7b1e0d3a8f6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a",
    "AKIA is a prefix",
  ];
  test.each(untouched)("%s", (text) => {
    expect(r.redact(text)).toBe(text);
  });
});

describe("redactDeep", () => {
  test("copies, redacts strings and secret-keyed values, keeps other types", () => {
    const input = {
      message: { role: "tool", content: `out ${HF}` },
      headers: { Authorization: "Bearer abcdefghijklmnopqrstuvwxyz" },
      env: { HF_TOKEN: "plain-value", PATH: "/usr/bin" },
      list: [1, true, null, `k=${GH("ghs")}`],
      nested: { apiKey: "xyz", count: 3 },
    };
    const out = r.redactDeep(input);
    expect(out).not.toBe(input);
    expect(out.message.content).toBe("out [REDACTED_HF_TOKEN]");
    expect(out.headers.Authorization).toBe("[REDACTED]");
    expect(out.env).toEqual({ HF_TOKEN: "[REDACTED]", PATH: "/usr/bin" });
    expect(out.list).toEqual([1, true, null, "k=[REDACTED_GITHUB_TOKEN]"]);
    expect(out.nested).toEqual({ apiKey: "[REDACTED]", count: 3 });
    expect(input.message.content).toContain(HF);
  });

  test("configured literal never survives a deep structure", () => {
    const secret = "tok-live-0123456789";
    const red = createRedactor({ secrets: [secret] });
    const out = JSON.stringify(red.redactDeep({ a: [{ b: `x${secret}y` }], c: secret }));
    expect(out).not.toContain(secret);
  });

  test("handles cycles", () => {
    const a: Record<string, unknown> = { v: HF };
    a.self = a;
    const out = r.redactDeep(a);
    expect(out.v).toBe("[REDACTED_HF_TOKEN]");
    expect(out.self).toBe(out);
  });
});

test("isSecretKeyName", () => {
  for (const k of [
    "HF_TOKEN",
    "token",
    "apiKey",
    "client_secret",
    "Authorization",
    "aws_access_key_id",
    "password",
  ]) {
    expect(isSecretKeyName(k)).toBe(true);
  }
  for (const k of ["pad_token", "max_tokens", "tokenizer", "eos_token_id", "name", "secretary_name"]) {
    expect(isSecretKeyName(k)).toBe(false);
  }
});
