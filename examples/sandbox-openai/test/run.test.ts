import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTempDir, type FakeLlm, startFakeOpenAI, type TempDir } from "@ml-intern/testing";
import OpenAI from "openai";
import { runCodeTask } from "../src/run.ts";

let llm: FakeLlm;
let dir: TempDir;
beforeEach(async () => {
  llm = await startFakeOpenAI();
  dir = await createTempDir("example-sandbox-");
});
afterEach(async () => {
  await llm.close();
  await dir[Symbol.asyncDispose]();
});

const client = () => new OpenAI({ apiKey: "sk-test", baseURL: `${llm.url}/v1`, maxRetries: 0 });

test("write, edit and bash calls change the workspace and their outputs go back as tool messages", async () => {
  llm.enqueue(
    { toolCalls: [{ id: "c1", name: "write", input: { path: "greet.py", content: "print('hello')\n" } }] },
    {
      toolCalls: [
        { id: "c2", name: "edit", input: { path: "greet.py", old_str: "hello", new_str: "bonjour" } },
      ],
    },
    { toolCalls: [{ id: "c3", name: "bash", input: { command: "python3 greet.py || cat greet.py" } }] },
    { text: "Done: it prints bonjour." },
  );
  const seen: string[] = [];
  const result = await runCodeTask({
    client: client(),
    model: "gpt-test",
    workspace: dir.path,
    task: "make greet.py say bonjour",
    isolation: "none",
    onToolCall: (name) => seen.push(name),
  });
  expect(result).toEqual({ answer: "Done: it prints bonjour.", steps: 4 });
  expect(seen).toEqual(["write", "edit", "bash"]);
  expect(readFileSync(join(dir.path, "greet.py"), "utf8")).toBe("print('bonjour')\n");
  const last = (llm.bodies[3]!.messages as { role: string; tool_call_id?: string; content: string }[]).at(-1);
  expect(last?.role).toBe("tool");
  expect(last?.tool_call_id).toBe("c3");
  expect(last?.content).toContain("bonjour");
});

test("a path outside the workspace is refused and reported to the model as an error", async () => {
  llm.enqueue(
    { toolCalls: [{ id: "c1", name: "write", input: { path: "../escape.txt", content: "x" } }] },
    { text: "I cannot write there." },
  );
  await runCodeTask({
    client: client(),
    model: "gpt-test",
    workspace: dir.path,
    task: "escape",
    isolation: "none",
  });
  const tool = (llm.bodies[1]!.messages as { role: string; content: string }[]).at(-1);
  expect(tool?.content).toStartWith("ERROR: ");
  expect(() => readFileSync(join(dir.path, "..", "escape.txt"))).toThrow();
});
