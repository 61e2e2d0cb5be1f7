import { describe, expect, test } from "bun:test";
import { FAKE_HF_TOKEN, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { parse as parseYaml } from "yaml";
import { createHfConfig } from "../../src/config.ts";
import { uploadSessionTrace } from "../../src/trace/upload-session-trace.ts";

describe("uploadSessionTrace", () => {
  test("creates the private dataset with a card, then appends sessions", async () => {
    await using hub = await startFakeHub();
    const config = createHfConfig({ hubUrl: hub.url, token: FAKE_HF_TOKEN });
    const first = await uploadSessionTrace({ config, sessionId: "s1", jsonl: '{"type":"user"}\n' });
    expect(first).toMatchObject({
      ok: true,
      repoId: "alice/ml-intern-sessions",
      path: "sessions/s1.jsonl",
      created: true,
    });
    const repo = hub.repo("dataset", "alice/ml-intern-sessions");
    expect(repo?.init.private).toBe(true);
    // The card's front matter is valid YAML with the fields the Hub reads (tags, configs → data_files).
    const card = hub.fileText("dataset", "alice/ml-intern-sessions", "README.md") ?? "";
    const front = /^---\n([\s\S]*?)\n---\n/.exec(card);
    expect(front).not.toBeNull();
    expect(parseYaml(front?.[1] ?? "", { strict: true, uniqueKeys: true })).toEqual({
      pretty_name: "ML Intern Session Traces",
      task_categories: ["text-generation"],
      tags: [
        "agent-traces",
        "coding-agent",
        "ml-intern",
        "session-traces",
        "claude-code",
        "hf-agent-trace-viewer",
      ],
      configs: [{ config_name: "default", data_files: [{ split: "train", path: "sessions/**/*.jsonl" }] }],
    });
    expect(card).toContain("# ML Intern Session Traces");
    expect(hub.fileText("dataset", "alice/ml-intern-sessions", "sessions/s1.jsonl")).toBe(
      '{"type":"user"}\n',
    );
    const second = await uploadSessionTrace({ config, sessionId: "s2", jsonl: "{}\n" });
    expect(second).toMatchObject({ ok: true, created: false });
    expect(hub.server.requestsTo("/api/repos/create").length).toBe(1);
  });

  test("failures are returned, not thrown, and never include the token", async () => {
    await using hub = await startFakeHub();
    const bad = await uploadSessionTrace({
      config: createHfConfig({ hubUrl: hub.url, token: "hf_unknown_token_value" }),
      sessionId: "s1",
      jsonl: "{}",
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).not.toContain("hf_unknown_token_value");
    const traversal = await uploadSessionTrace({
      config: createHfConfig({ hubUrl: hub.url, token: FAKE_HF_TOKEN }),
      sessionId: "../x",
      jsonl: "{}",
    });
    expect(traversal.ok).toBe(false);
  });
});
