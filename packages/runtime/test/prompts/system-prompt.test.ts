import { describe, expect, test } from "bun:test";
import {
  buildSystemPrompt,
  LOCAL_MODE_PROMPT,
  MAIN_SYSTEM_PROMPT,
  RESEARCH_SYSTEM_PROMPT,
  renderSessionContext,
} from "../../src/prompts/system-prompt.ts";

const dynamic = {
  date: new Date("2026-03-05T23:30:00Z"),
  cwd: "/home/me/project",
  hfUser: "alice",
  model: "anthropic/claude-sonnet-4-5",
  toolNames: ["bash", "hf_jobs", "research"],
};

describe("system prompt", () => {
  test("covers the ML-engineering discipline", () => {
    for (const topic of [
      "research",
      "columns",
      "push_to_hub",
      "timeout",
      "smoke-test",
      "Trackio",
      "approval",
      "plan_tool",
    ]) {
      expect(MAIN_SYSTEM_PROMPT).toContain(topic);
    }
  });

  test("the workflow names the tool for each step, in order: data, examples, docs, smoke test, job", () => {
    const workflow = MAIN_SYSTEM_PROMPT.slice(
      MAIN_SYSTEM_PROMPT.indexOf("# The workflow"),
      MAIN_SYSTEM_PROMPT.indexOf("# GPU pre-flight"),
    );
    const order = [
      "hf_inspect_dataset",
      "github_find_examples",
      "github_read_file",
      "explore_hf_docs",
      "fetch_hf_docs",
      "smoke-test it with bash",
      "hf_jobs",
      "Trackio",
    ].map((needle) => workflow.indexOf(needle));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test("keeps the original's rules: Trackio read-back and tuning, GPU triggers, resume, time reserve", () => {
    const p = MAIN_SYSTEM_PROMPT;
    // Trackio: alerts raised in a callback, read back between runs, next config derived from them.
    for (const s of ["trackio.alert", "on_log", "on_evaluate", "trackio get alerts", "learning rate ×0.1"])
      expect(p).toContain(s);
    // GPU pre-flight triggers.
    for (const s of ["CUDA", "bf16", "quantisation", "flash attention", "torch.compile"])
      expect(p).toContain(s);
    expect(p).toMatch(/sandbox[^.]*files do not survive[^.]*resume/);
    expect(p).toMatch(/keep at least 10 minutes/);
    expect(p.split(/\s+/).length).toBeGreaterThan(1800);
  });

  test("static parts first, dynamic session context last", () => {
    const prompt = buildSystemPrompt({ staticParts: [LOCAL_MODE_PROMPT], dynamic });
    expect(prompt.startsWith(MAIN_SYSTEM_PROMPT)).toBe(true);
    expect(prompt.indexOf(LOCAL_MODE_PROMPT)).toBeGreaterThan(0);
    expect(prompt.indexOf("# Session context")).toBeGreaterThan(prompt.indexOf(LOCAL_MODE_PROMPT));
    expect(prompt.trimEnd().endsWith("Tools (3): bash, hf_jobs, research")).toBe(true);
    expect(prompt).toContain("Working directory: /home/me/project");
    expect(prompt).toContain("Hugging Face user: alice");
  });

  test("the static prefix is identical across sessions, so caching holds", () => {
    const a = buildSystemPrompt({ dynamic });
    const b = buildSystemPrompt({
      dynamic: { ...dynamic, cwd: "/elsewhere", hfUser: null, model: "other/model" },
    });
    const prefix = a.slice(0, a.indexOf("# Session context"));
    expect(b.startsWith(prefix)).toBe(true);
    expect(b).toContain("unknown (not logged in)");
  });

  test("date in the requested zone, no clock time", () => {
    expect(renderSessionContext(dynamic)).toContain("Date: 2026-03-05 (Thursday, UTC)");
    expect(renderSessionContext({ ...dynamic, timeZone: "Europe/Paris" })).toContain(
      "Date: 2026-03-06 (Friday, Europe/Paris)",
    );
    expect(renderSessionContext(dynamic)).not.toContain("23:30");
  });

  test("research prompt is read-only and paper-first", () => {
    expect(RESEARCH_SYSTEM_PROMPT).toContain("read-only");
    expect(RESEARCH_SYSTEM_PROMPT).toContain("anchor paper");
    expect(RESEARCH_SYSTEM_PROMPT).toContain('DPO needs "prompt", "chosen", "rejected"');
  });
});
