import { describe, expect, test } from "bun:test";
import { createLiveOutput, type LiveOutputOptions } from "../../src/tools/live-output.ts";

function capture(options: Partial<LiveOutputOptions> = {}) {
  const messages: string[] = [];
  const live = createLiveOutput({ intervalMs: 20, ...options, emit: (text) => messages.push(text) });
  return { live, messages };
}

const waitFor = async (check: () => boolean) => {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await Bun.sleep(5);
  }
};

describe("live command output", () => {
  test("complete lines are sent in batches while the command runs; the last partial line at the end", async () => {
    const { live, messages } = capture();
    live.write("one\ntw");
    live.write("o\nthree");
    await waitFor(() => messages.length === 1);
    expect(messages).toEqual(["one\ntwo"]);
    live.write(" and more\n");
    await waitFor(() => messages.length === 2);
    live.write("tail without newline");
    live.end();
    expect(messages).toEqual(["one\ntwo", "three and more", "tail without newline"]);
    live.write("after the end\n");
    await Bun.sleep(40);
    expect(messages).toHaveLength(3);
  });

  test("a flood keeps the newest lines of a batch and says how many were left out", () => {
    const { live, messages } = capture({ maxLinesPerFlush: 3 });
    live.write(Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join("\n"));
    live.end();
    expect(messages).toEqual(["… 97 lines not shown\nline 98\nline 99\nline 100"]);
  });

  test("past maxLines in all it sends only the newest line per slow interval", async () => {
    const { live, messages } = capture({ maxLines: 2, slowIntervalMs: 60_000 });
    live.write("a\nb\n");
    await waitFor(() => messages.length === 1);
    live.write("c\nd\ne\n");
    await Bun.sleep(60);
    // Slow mode: nothing within the normal interval.
    expect(messages).toEqual(["a\nb"]);
    live.end();
    expect(messages).toEqual(["a\nb", "… 2 lines not shown\ne"]);
  });

  test("carriage-return redraws show their last state; CRLF, escape sequences and blank lines are cleaned", () => {
    const { live, messages } = capture();
    live.write("10%\r50%\r100%\nok\r\n\n   \n\u001b[3");
    live.write("1mred\u001b[0m\n");
    live.end();
    expect(messages).toEqual(["100%\nok\nred"]);
  });

  test("a very long line is cut", () => {
    const { live, messages } = capture({ maxLineChars: 10 });
    live.write(`${"x".repeat(50)}\n`);
    live.end();
    expect(messages).toEqual([`${"x".repeat(9)}…`]);
  });
});
