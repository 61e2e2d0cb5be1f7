import { describe, expect, test } from "bun:test";
import { CliError } from "../../src/cli/exit-codes.ts";
import { parseCliArgs } from "../../src/cli/parse-args.ts";

function usageError(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    return (error as CliError).message;
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`);
}

describe("parseCliArgs", () => {
  test("reads every flag", () => {
    expect(
      parseCliArgs([
        "-m",
        "anthropic/claude-opus-5-5",
        "--max-iterations",
        "-1",
        "--no-stream",
        "--output-format",
        "stream-json",
        "--yolo",
        "--config",
        "c.json",
        "--sandbox-tools",
        "fine-tune",
        "llama",
      ]),
    ).toEqual({
      prompt: "fine-tune llama",
      model: "anthropic/claude-opus-5-5",
      maxIterations: -1,
      stream: false,
      outputFormat: "stream-json",
      yolo: true,
      config: "c.json",
      sandbox: "remote",
      resume: undefined,
      continue: false,
    });
  });

  test("--resume takes an optional ref", () => {
    expect(parseCliArgs(["--resume"]).resume).toBe("");
    expect(parseCliArgs(["--resume", "--yolo"]).resume).toBe("");
    expect(parseCliArgs(["-r", "abc123"]).resume).toBe("abc123");
    expect(parseCliArgs(["--continue"]).continue).toBe(true);
  });

  test("unknown flags and bad values are one-line usage errors", () => {
    expect(usageError(["--frobnicate"])).toContain("--frobnicate");
    expect(usageError(["--output-format", "xml"])).toContain("text, json, stream-json");
    expect(usageError(["--max-iterations", "ten"])).toContain("integer");
    expect(usageError(["--max-iterations", "0"])).toContain("positive");
    expect(usageError(["--sandbox", "docker"])).toContain("bwrap, none, remote");
    expect(usageError(["--sandbox", "none", "--sandbox-tools"])).toContain("conflicts");
    expect(usageError(["--model"])).toContain("--model");
    for (const argv of [["--frobnicate"], ["--output-format", "xml"]])
      expect(usageError(argv)).not.toContain("\n");
  });
});
