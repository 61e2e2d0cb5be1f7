import { describe, expect, test } from "bun:test";
import { applyToolFilter, checkToolFilterNames } from "../src/tool-filter.ts";

const tools = [
  { name: "hf_papers", toolset: "hf-papers", annotations: { readOnlyHint: true } },
  { name: "hf_jobs", toolset: "hf-jobs", annotations: { readOnlyHint: false } },
  { name: "github_read_file", toolset: "github", annotations: { readOnlyHint: true } },
];

describe("checkToolFilterNames", () => {
  test("known names (and 'all') pass", () => {
    expect(
      checkToolFilterNames(
        { toolsets: ["all", "github"], tools: ["hf_papers"], excludeTools: ["hf_jobs"] },
        tools,
      ),
    ).toBeUndefined();
    expect(checkToolFilterNames({}, tools)).toBeUndefined();
  });

  test("an unknown toolset names the toolsets that exist", () => {
    expect(checkToolFilterNames({ toolsets: ["foo"] }, tools)).toBe(
      '--toolsets: unknown toolset "foo"; the toolsets are all, github, hf-jobs, hf-papers.',
    );
  });

  test("a misspelt tool, in --tools or --exclude-tools, names the tools that exist", () => {
    const message = checkToolFilterNames({ tools: ["hf_paper"], excludeTools: ["jobs", "hf_jobs"] }, tools);
    expect(message).toContain(
      '--tools: unknown tool "hf_paper"; the tools are github_read_file, hf_jobs, hf_papers.',
    );
    expect(message).toContain('--exclude-tools: unknown tool "jobs";');
    expect(message).not.toContain('"hf_jobs"');
  });

  test("hosts name the fields their own way", () => {
    const labels = { toolsets: "toolsets", tools: "tools", excludeTools: "exclude_tools" };
    expect(checkToolFilterNames({ excludeTools: ["x"] }, tools, labels)).toStartWith(
      "exclude_tools: unknown tool",
    );
  });

  test("without the check a misspelt toolset silently serves nothing", () => {
    expect(applyToolFilter(tools, { toolsets: ["foo"] })).toEqual([]);
  });
});
