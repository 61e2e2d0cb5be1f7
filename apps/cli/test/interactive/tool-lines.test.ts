import { expect, test } from "bun:test";
import { createColors } from "../../src/render/colors.ts";
import { progressBar, withEllipsis } from "../../src/render/progress-bar.ts";
import { describeToolCall, describeToolResult } from "../../src/render/tool-result-summary.ts";
import { summarizeArgs } from "../../src/render/tool-summary.ts";

const c = createColors({ NO_COLOR: "1" }, false);

test("progress without a total shows the message once, not `… 1 1 log lines`", () => {
  expect(progressBar(1, undefined, "1 log lines")).toBe("1 log lines");
  expect(progressBar(7, undefined, "")).toBe("7");
  expect(progressBar(5, 10, "steps")).toBe("[##########..........] 50% steps");
});

test("labels and argument summaries never end in two ellipses", () => {
  expect(withEllipsis("Running bash…")).toBe("Running bash…");
  expect(withEllipsis("Uploading...…")).toBe("Uploading…");
  expect(withEllipsis("Thinking")).toBe("Thinking…");
  const summary = summarizeArgs({ query: "x".repeat(100), extra: "y".repeat(60) });
  expect(summary).not.toContain("… …");
  expect(summary).not.toMatch(/……/);
});

test("a bash call line shows its description; results say what happened", () => {
  expect(describeToolCall("bash", { command: "pip install trl", description: "Install TRL" }, c)).toBe(
    "▸ bash Install TRL $ pip install trl",
  );
  expect(
    describeToolResult(
      {
        tool: "read",
        args: { path: "examples/train.py" },
        output: "…",
        success: true,
        structured: { path: "/w/examples/train.py", firstLine: 1, lastLine: 20, totalLines: 20 },
        cwd: "/w",
      },
      c,
    ),
  ).toBe("  ✓ read 20 lines of examples/train.py");
  expect(
    describeToolResult(
      {
        tool: "hf_jobs",
        args: { operation: "uv" },
        output: "Python job submitted",
        success: true,
        structured: { job: { id: "85c0a1b2c3d4e5f6", stage: "COMPLETED" } },
        elapsedMs: 192_000,
      },
      c,
    ),
  ).toBe("  ✓ job 85c0… COMPLETED in 3m12s");
  const edit = describeToolResult(
    {
      tool: "edit",
      args: { path: "a.py", old_string: "lr = 1e-4\n", new_string: "lr = 1e-5\n" },
      output: "Edited a.py",
      success: true,
      structured: { path: "a.py", replacements: 1 },
    },
    c,
  );
  expect(edit).toContain("✓ edited a.py");
  expect(edit).toContain("-lr = 1e-4");
  expect(edit).toContain("+lr = 1e-5");
  const bash = describeToolResult(
    { tool: "bash", args: {}, output: "a\nb\nc\nd\n", success: true, structured: { exitCode: 0 } },
    c,
  );
  expect(bash.split("\n")[0]).toBe("  ✓ exit 0 · 4 lines of output");
});
