import { describe, expect, test } from "bun:test";
import {
  compareExampleFiles,
  rankExampleFiles,
  selectExampleFiles,
} from "../../src/github/example-ranking.ts";

const files = [
  "README.md",
  "src/lib/grpo.py",
  "examples/scripts/grpo.py",
  "examples/scripts/dpo.py",
  "cookbook/grpo_walkthrough.ipynb",
  "docs/getting-started/install.md",
  "tests/test_grpo.py",
  "examples/research/gpro/run.py",
  "scripts/generate_grpo_data.py",
].map((path) => ({ path, size: 10, sha: "0123456789abcdef" }));

describe("example ranking", () => {
  test("stage 1 keeps only example-like paths", () => {
    const kept = selectExampleFiles(files).map((f) => f.path);
    expect(kept).toContain("cookbook/grpo_walkthrough.ipynb");
    expect(kept).toContain("docs/getting-started/install.md");
    expect(kept).not.toContain("src/lib/grpo.py");
    expect(kept).not.toContain("tests/test_grpo.py");
    expect(kept).not.toContain("README.md");
  });

  test("a keyword ranks exact names above names that merely contain it", () => {
    const ranked = rankExampleFiles(files, "GRPO", 60).map((f) => f.path);
    expect(ranked[0]).toBe("examples/scripts/grpo.py");
    expect(ranked.indexOf("cookbook/grpo_walkthrough.ipynb")).toBeLessThan(
      ranked.indexOf("scripts/generate_grpo_data.py"),
    );
    expect(ranked).not.toContain("examples/scripts/dpo.py");
  });

  test("fuzzy: a typo still matches when min_score allows it", () => {
    const strict = rankExampleFiles(files, "grop", 90).map((f) => f.path);
    const loose = rankExampleFiles(files, "grop", 40).map((f) => f.path);
    expect(strict).not.toContain("examples/scripts/grpo.py");
    expect(loose).toContain("examples/scripts/grpo.py");
  });

  test("scores are between min_score and 100, best first", () => {
    const ranked = rankExampleFiles(files, "grpo walkthrough", 50);
    expect(ranked[0]?.path).toBe("cookbook/grpo_walkthrough.ipynb");
    for (const r of ranked) {
      expect(r.score).toBeGreaterThanOrEqual(50);
      expect(r.score).toBeLessThanOrEqual(100);
    }
    const scores = ranked.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  test("no keyword: top-level examples/ first, then pattern priority, depth, path", () => {
    const sorted = [...selectExampleFiles(files)].sort(compareExampleFiles).map((f) => f.path);
    expect(sorted.slice(0, 3)).toEqual([
      "examples/scripts/dpo.py",
      "examples/scripts/grpo.py",
      "examples/research/gpro/run.py",
    ]);
    expect(sorted.indexOf("scripts/generate_grpo_data.py")).toBeLessThan(
      sorted.indexOf("cookbook/grpo_walkthrough.ipynb"),
    );
  });
});
