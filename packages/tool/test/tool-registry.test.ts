import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { defineTool, type ToolContext } from "../src/tool-definition.ts";
import { createToolRegistry } from "../src/tool-registry.ts";

const ctx = (): ToolContext => ({
  signal: new AbortController().signal,
  toolCallId: "call_1",
  sessionId: "s1",
  progress: () => {},
  log: () => {},
});

const echo = defineTool({
  name: "echo",
  description: "Echo text",
  toolset: "test",
  input: z.object({
    text: z.string().describe("what to echo"),
    times: z.number().int().min(1).default(1).describe("n"),
  }),
  annotations: { readOnlyHint: true },
  async execute({ text, times }) {
    return { text: text.repeat(times) };
  },
});
const write = defineTool({
  name: "write_thing",
  description: "Writes",
  toolset: "io",
  input: z.object({ value: z.string().describe("v") }),
  annotations: { readOnlyHint: false, destructiveHint: true },
  async execute() {
    throw new Error("disk full");
  },
});

describe("tool registry", () => {
  test("validates, defaults and runs", async () => {
    const reg = createToolRegistry({ tools: [echo, write] });
    expect(await reg.execute("echo", { text: "ab", times: 2 }, ctx())).toEqual({ text: "abab" });
    expect((await reg.execute("echo", { text: "x" }, ctx())).text).toBe("x");
  });

  test("invalid arguments become an actionable error result", async () => {
    const reg = createToolRegistry({ tools: [echo] });
    const res = await reg.execute("echo", { text: 5 }, ctx());
    expect(res.isError).toBe(true);
    expect(res.text).toContain("Invalid arguments for tool 'echo'");
    expect(res.text).toContain("text");
  });

  test("unknown tools list what exists", async () => {
    const reg = createToolRegistry({ tools: [echo, write] });
    const res = await reg.execute("nope", {}, ctx());
    expect(res.isError).toBe(true);
    expect(res.text).toContain("Unknown tool 'nope'");
    expect(res.text).toContain("echo, write_thing");
  });

  test("a throwing tool becomes an error result", async () => {
    const reg = createToolRegistry({ tools: [write] });
    const res = await reg.execute("write_thing", { value: "x" }, ctx());
    expect(res).toMatchObject({ isError: true, text: "Tool 'write_thing' failed: disk full" });
  });

  test("huge outputs are cut centrally and spilled", async () => {
    const big = defineTool({
      ...echo,
      name: "big",
      async execute() {
        return { text: `${"a".repeat(30_000)}${"z".repeat(30_000)}` };
      },
    });
    const spilled: string[] = [];
    const reg = createToolRegistry({
      tools: [big],
      outputBudgetChars: 1000,
      spill: async (id, _name, text) => {
        spilled.push(text);
        return `/tmp/spill-${id}.txt`;
      },
    });
    const res = await reg.execute("big", { text: "" }, ctx());
    expect(res.text.length).toBeLessThan(1300);
    expect(res.text.startsWith("a".repeat(250))).toBe(true);
    expect(res.text.endsWith("z".repeat(750))).toBe(true);
    expect(res.text).toContain("/tmp/spill-call_1.txt");
    expect(spilled[0]?.length).toBe(60_000);
  });

  test("filters: read-only beats include, exclude beats toolsets", () => {
    const names = (filter: Parameters<typeof createToolRegistry>[0]["filter"]) =>
      createToolRegistry({ tools: [echo, write], filter })
        .list()
        .map((t) => t.name);
    expect(names({})).toEqual(["echo", "write_thing"]);
    expect(names({ readOnly: true, tools: ["write_thing"] })).toEqual([]);
    expect(names({ readOnly: true })).toEqual(["echo"]);
    expect(names({ toolsets: ["io"] })).toEqual(["write_thing"]);
    expect(names({ toolsets: ["all"], excludeTools: ["echo"] })).toEqual(["write_thing"]);
    expect(names({ tools: ["echo"] })).toEqual(["echo"]);
  });

  test("schemas are deterministic and described", () => {
    const a = JSON.stringify(createToolRegistry({ tools: [echo, write] }).schemas());
    const b = JSON.stringify(createToolRegistry({ tools: [echo, write] }).schemas());
    expect(a).toBe(b);
    const schema = createToolRegistry({ tools: [echo] }).schemas()[0]!;
    expect(schema.inputSchema).toMatchObject({
      type: "object",
      properties: { text: { type: "string", description: "what to echo" } },
      required: ["text"],
    });
    expect(JSON.stringify(schema.inputSchema)).not.toContain("$schema");
  });
});
