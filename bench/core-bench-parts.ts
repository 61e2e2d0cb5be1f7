/**
 * Issue-3 building blocks, excluding model time:
 * - prune-pass compaction of a synthetic ~1M-token session (budget 200 ms), spilling (redacted) to a real file;
 * - doom-loop check per agent iteration over a realistic window (budget 0.2 ms).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pruneToolOutputs } from "../packages/core/src/context/prune.ts";
import { estimateMessagesTokens } from "../packages/core/src/context/tokens.ts";
import { createDoomLoopGuard } from "../packages/core/src/doom-loop/doom-loop-guard.ts";
import type { Message } from "../packages/core/src/llm/messages.ts";
import { createRedactor } from "../packages/core/src/redact/redactor.ts";
import { createSessionStore } from "../packages/core/src/session/session-store.ts";

export interface PruneBenchResult {
  sessionTokens: number;
  messages: number;
  pruned: number;
  tokensAfter: number;
  /** Median and worst of the runs, in ms, through the session store's batch spill (one redacted file per pass). */
  ms: number;
  maxMs: number;
  /** Median ms of the same pass with an in-memory spill (the pruning logic alone, no disk I/O). */
  logicMs: number;
  budgetMs: number;
}

export interface DoomLoopBenchResult {
  iterations: number;
  window: number;
  /** Mean ms per check with the guard's signature cache (the real loop). */
  ms: number;
  /** Mean ms per check with a fresh guard each time (every signature re-hashed). */
  coldMs: number;
  budgetMs: number;
}

const logLine = "step 1200 | loss 0.8421 | lr 1.9e-05 | grad_norm 0.77 | tokens/s 15432 | epoch 0.42\n";

function toolStep(i: number, outputChars: number): Message[] {
  const id = `call_${i}`;
  const content = `[${i}] ${logLine.repeat(Math.ceil(outputChars / logLine.length)).slice(0, outputChars)}`;
  return [
    {
      role: "assistant",
      content: `Checking training progress (${i}).`,
      toolCalls: [
        { id, name: "bash", arguments: JSON.stringify({ command: `tail -n 200 run_${i % 7}.log` }) },
      ],
    },
    { role: "tool", toolCallId: id, name: "bash", content },
  ];
}

function session(targetTokens: number): Message[] {
  const messages: Message[] = [
    { role: "user", content: "Fine-tune Qwen on my dataset and push it to the Hub." },
  ];
  let tokens = 0;
  for (let i = 0; tokens < targetTokens; i++) {
    const outputChars = 2_000 + ((i * 7919) % 22_000); // 0.5k–6k tokens per output
    const step = toolStep(i, outputChars);
    messages.push(...step);
    tokens += estimateMessagesTokens(step);
  }
  return messages;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchPrune(runs = 5, targetTokens = 1_000_000): Promise<PruneBenchResult> {
  const messages = session(targetTokens);
  const sessionTokens = estimateMessagesTokens(messages);
  const dir = await mkdtemp(join(tmpdir(), "ml-intern-bench-prune-"));
  try {
    const times: number[] = [];
    let last: Awaited<ReturnType<typeof pruneToolOutputs>> | undefined;
    const store = createSessionStore({
      home: dir,
      redactor: createRedactor({ secrets: ["hf_benchmarkSecretValue"] }),
    });
    const { session_id } = store.create({ model: "bench/model" });
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      last = await pruneToolOutputs(messages, {
        spill: (id, content) => store.spill(session_id, id, content),
        spillMany: (items) => store.spillMany(session_id, items),
      });
      times.push(performance.now() - t0);
    }
    store.close();
    const logic: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      await pruneToolOutputs(messages, { spill: (id) => `/memory/${id}.txt` });
      logic.push(performance.now() - t0);
    }
    return {
      sessionTokens,
      messages: messages.length,
      pruned: last!.prunedCount,
      tokensAfter: estimateMessagesTokens(last!.messages),
      ms: Math.round(median(times) * 100) / 100,
      maxMs: Math.round(Math.max(...times) * 100) / 100,
      logicMs: Math.round(median(logic) * 100) / 100,
      budgetMs: 200,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchDoomLoop(iterations = 2_000, window = 30): Promise<DoomLoopBenchResult> {
  // A long history whose outputs vary, so the guard never fires and every check does the full work.
  const messages: Message[] = [{ role: "user", content: "Train and evaluate." }];
  for (let i = 0; i < 200; i++) messages.push(...toolStep(i, 2_000 + ((i * 7919) % 22_000)));
  const warm = createDoomLoopGuard({ enabled: true, window });
  let warmTotal = 0;
  let coldTotal = 0;
  for (let i = 200; i < 200 + iterations; i++) {
    messages.push(...toolStep(i, 2_000 + ((i * 7919) % 22_000)));
    let t0 = performance.now();
    if (warm.check(messages)) throw new Error("benchmark history unexpectedly looks like a loop");
    warmTotal += performance.now() - t0;
    const cold = createDoomLoopGuard({ enabled: true, window });
    t0 = performance.now();
    cold.check(messages);
    coldTotal += performance.now() - t0;
  }
  return {
    iterations,
    window,
    ms: Math.round((warmTotal / iterations) * 10_000) / 10_000,
    coldMs: Math.round((coldTotal / iterations) * 10_000) / 10_000,
    budgetMs: 0.2,
  };
}

if (import.meta.main) {
  console.log(JSON.stringify({ prune: await benchPrune(), doomLoop: await benchDoomLoop() }, null, 2));
}
