import type { AnyToolDefinition, ToolContext, ToolResult } from "@ml-intern/tool";

export function toolContext(signal: AbortSignal = new AbortController().signal): ToolContext {
  return {
    signal,
    toolCallId: `call-${Math.random().toString(36).slice(2)}`,
    sessionId: "session-test",
    progress: () => {},
    log: () => {},
  };
}

export function toolRunner(tools: readonly AnyToolDefinition[]) {
  return async (name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolResult> => {
    const tool = tools.find((t) => t.name === name);
    if (!tool) throw new Error(`no tool ${name}`);
    const parsed = tool.input.parse(args);
    return tool.execute(parsed, toolContext(signal));
  };
}

/** Waits for a condition with a bounded timeout (never a bare sleep for synchronisation). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 5_000, intervalMs = 20, what = "condition" } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(intervalMs);
  }
}

/** Processes whose command line contains marker and that are not zombies (PID 1 here does not reap). */
export async function liveProcesses(marker: string): Promise<string[]> {
  const proc = Bun.spawn(["ps", "-eo", "stat=,args="], { stdout: "pipe", stderr: "ignore" });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  return out
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.includes(marker) && !l.startsWith("Z") && !l.includes("ps -eo"));
}

/** A distinctive `sleep` duration, used as a marker in the process list. */
export const uniqueSleep = () =>
  `${700 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 1e6)}`;
