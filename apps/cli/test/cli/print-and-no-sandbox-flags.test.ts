import { expect, test } from "bun:test";
import { CliError } from "../../src/cli/exit-codes.ts";
import { parseCliArgs } from "../../src/cli/parse-args.ts";

test("-p/--print is accepted (Claude Code's habit) and keeps the prompt", () => {
  expect(parseCliArgs(["-p", "summarise this repo"])).toMatchObject({
    print: true,
    prompt: "summarise this repo",
  });
  expect(parseCliArgs(["--print"]).print).toBe(true);
  expect(parseCliArgs(["hello"]).print).toBeUndefined();
});

test("--dangerously-no-sandbox is --sandbox none and conflicts with any other sandbox", () => {
  expect(parseCliArgs(["--dangerously-no-sandbox"]).sandbox).toBe("none");
  expect(parseCliArgs(["--dangerously-no-sandbox", "--sandbox", "none"]).sandbox).toBe("none");
  expect(() => parseCliArgs(["--dangerously-no-sandbox", "--sandbox", "bwrap"])).toThrow(CliError);
  expect(() => parseCliArgs(["--dangerously-no-sandbox", "--sandbox-tools"])).toThrow(
    /conflicts with --sandbox/,
  );
});
