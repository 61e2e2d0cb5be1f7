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
      "Smoke-test",
      "Trackio",
      "approval",
      "plan_tool",
    ]) {
      expect(MAIN_SYSTEM_PROMPT).toContain(topic);
    }
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
