import { Writable } from "node:stream";
import {
  type AgentEvent,
  type ApprovalAnswer,
  type ApprovalRequestItem,
  DEFAULT_HF_ROUTER_URL,
  type Env,
  type PlanItem,
} from "@ml-intern/core";
import type { MlInternConfig } from "@ml-intern/runtime/config";
import type { ModelSource } from "@ml-intern/runtime/model";
import pkg from "../../package.json" with { type: "json" };
import { EXIT } from "../cli/exit-codes.ts";
import { storeHfToken } from "../cli/hf-token-store.ts";
import type { CliArgs } from "../cli/parse-args.ts";
import { saveUserKey } from "../cli/user-key-store.ts";
import { createColors } from "../render/colors.ts";
import { createMarkdownRenderer } from "../render/markdown-renderer.ts";
import { createMarkdownBuffer } from "../render/markdown-stream.ts";
import { renderPlan } from "../render/plan-view.ts";
import { progressBar } from "../render/progress-bar.ts";
import { displayToolName, firstLine, summarizeArgs } from "../render/tool-summary.ts";
import { type CliRuntime, createRuntime, effortOf } from "../runtime/create-runtime.ts";
import { parseApprovalInput, parseEditedArguments, rejectAll } from "./approval-answer.ts";
import { fetchRouterModels } from "./router-models.ts";
import { createSessionStats } from "./session-stats.ts";
import { completeSlash } from "./slash-commands.ts";
import { createSlashRunner } from "./slash-runner.ts";
import { createSpinner } from "./spinner.ts";

export interface InteractiveOptions {
  args: CliArgs;
  config: MlInternConfig;
  env: Env;
  cwd: string;
  model: string;
  /** Where `model` came from: named (flag or config), the last /model pick, or the credentials present. */
  modelSource?: ModelSource;
  home: string;
}

const DOUBLE_PRESS_MS = 1000;
/** Banner suffix when the model was chosen from the credentials present (see chooseDefaultModel). */
const MODEL_NOTES: Record<ModelSource, string> = {
  named: "",
  "last-pick": "  (your last /model pick; --model or model_name override it)",
  credentials: "  (default for the keys present: ANTHROPIC_API_KEY → Anthropic, else HF_TOKEN → HF router)",
};

/** stdout for readline that can hide typed characters (token entry). */
class MutableOutput extends Writable {
  muted = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    if (!this.muted) process.stdout.write(chunk);
    done();
  }
}

/** The interactive session: streaming markdown, tool lines, approvals, slash commands, Ctrl-C handling. */
export async function runInteractive(options: InteractiveOptions): Promise<number> {
  const { config } = options;
  let env = options.env;
  const isTty = process.stdout.isTTY === true;
  const c = createColors(env, isTty);
  const width = Math.min(process.stdout.columns || 100, 120);
  const out = (s: string) => process.stdout.write(s);
  const readline = await import("node:readline/promises");
  const output = new MutableOutput();
  const rl = readline.createInterface({
    input: process.stdin,
    output,
    terminal: process.stdin.isTTY === true,
    completer: completeSlash,
    historySize: 500,
  });

  if (!env.HF_TOKEN && !env.HUGGING_FACE_HUB_TOKEN) {
    out(`${c.yellow("No Hugging Face token found.")} Create one at https://huggingface.co/settings/tokens\n`);
    output.muted = false;
    out("Paste your HF token (input hidden, Enter to skip): ");
    output.muted = true;
    const token = (await rl.question("")).trim();
    output.muted = false;
    out("\n");
    if (token) {
      const path = storeHfToken(token, env, options.home);
      env = { ...env, HF_TOKEN: token };
      out(c.dim(`Saved to ${path}\n`));
    }
  }

  const missingKey = await missingModelKey(options.model, env);
  if (missingKey) {
    out(`${c.yellow(`${missingKey} is not set`)}; ${options.model} needs it.\n`);
    output.muted = false;
    out(`Paste your ${missingKey} (input hidden, Enter to skip): `);
    output.muted = true;
    const key = (await rl.question("")).trim();
    output.muted = false;
    out("\n");
    if (key) {
      try {
        const path = saveUserKey(missingKey, key, env, options.home);
        env = { ...env, [missingKey]: key };
        out(c.dim(`Saved to ${path} (only you can read it).\n`));
      } catch (error) {
        out(`${c.yellow("!")} ${(error as Error).message}\n`);
      }
    }
  }

  out(c.dim("Starting…\r"));
  const runtime: CliRuntime = await createRuntime({
    config,
    env,
    cwd: options.cwd,
    model: options.model,
    headless: false,
    yolo: options.args.yolo || config.yolo_mode,
    maxIterations: options.args.maxIterations ?? config.max_iterations,
    spendCapUsd: options.args.maxSpendUsd ?? config.spend_cap_usd,
    stream: options.args.stream && config.stream,
    sandbox: options.args.sandbox ?? config.sandbox,
    network: options.args.network,
    resume: options.args.continue ? "1" : options.args.resume || undefined,
    warn: (m) => out(`${c.yellow("!")} ${m}\n`),
  }).catch((error: unknown) => {
    rl.close();
    throw error;
  });
  const { agent } = runtime;
  // A real terminal on both ends gets the terminal UI; anything else (a pipe, a dumb terminal) the line mode below.
  if (isTty && process.stdin.isTTY === true && env.TERM !== "dumb" && !env.ML_INTERN_PLAIN_UI) {
    rl.close();
    const { runTui } = await importTuiOutsideCiMode();
    return runTui({
      runtime,
      c,
      env,
      cwd: options.cwd,
      banner: bannerText(runtime, options.cwd, c, options.modelSource ?? "named"),
      renderMarkdown: await createMarkdownRenderer({ colors: c.enabled, width, structure: true }),
      effort: effortOf(config.reasoning_effort),
      resumed: Boolean(options.args.continue || options.args.resume),
    });
  }
  const renderMarkdown = await createMarkdownRenderer({ colors: c.enabled, width });
  // Blocks always end with a newline: readline redraws the prompt line and would erase a partial one.
  const render = (markdown: string) => {
    const text = renderMarkdown(markdown);
    return text.endsWith("\n") ? text : `${text}\n`;
  };
  const spinner = createSpinner(out, isTty);
  const md = createMarkdownBuffer();
  const sessionStats = createSessionStats(runtime.model);
  let plan: PlanItem[] = [];
  let busy = false;
  let streamed = false;
  let progressOpen = false;
  let lastSigint = 0;
  let approvalAbort: AbortController | undefined;
  let quitCode: number | undefined;

  const print = (text: string) => {
    spinner.stop();
    if (progressOpen) {
      out("\n");
      progressOpen = false;
    }
    out(text);
  };

  const mcpLines = runtime.mcp.map((s) =>
    s.status === "connected"
      ? `${c.green("✓")} ${s.name} ${c.dim(`(${s.toolCount} tools, ${s.transport})`)}`
      : s.status === "disabled"
        ? `${c.dim("○")} ${s.name} ${c.dim("(disabled)")}`
        : `${c.red("✗")} ${s.name} ${c.dim(s.error)}`,
  );
  out("\x1b[K");
  print(
    [
      `${c.bold("ML Intern")} ${c.dim(`v${pkg.version}`)}`,
      `${c.dim("model")}     ${runtime.model}${c.dim(MODEL_NOTES[options.modelSource ?? "named"])}`,
      `${c.dim("workspace")} ${options.cwd}`,
      `${c.dim("tools")}     ${runtime.tools.length}${runtime.isYolo() ? c.yellow("  · YOLO on") : ""}`,
      ...(mcpLines.length ? [`${c.dim("mcp")}       ${mcpLines.join("  ")}`] : []),
      c.dim("/help for commands · /model to switch · Ctrl-C interrupts · Ctrl-C twice quits"),
      "",
    ].join("\n"),
  );

  const askApproval = async (items: ApprovalRequestItem[]): Promise<ApprovalAnswer[]> => {
    print(
      `\n${c.bold(c.yellow(`Approval required — ${items.length} item${items.length > 1 ? "s" : ""}`))}\n`,
    );
    const answers: ApprovalAnswer[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const cost =
        item.estimated_cost_usd === undefined
          ? ""
          : item.estimated_cost_usd === null
            ? " · cost unknown"
            : ` · est. $${item.estimated_cost_usd.toFixed(2)}`;
      const json = JSON.stringify(item.arguments, null, 2).split("\n");
      const shown = json.length > 24 ? [...json.slice(0, 24), `… (${json.length - 24} more lines)`] : json;
      print(
        `${c.bold(`[${i + 1}/${items.length}]`)} ${c.cyan(displayToolName(item.tool))}\n  ${item.reason}${c.dim(cost)}\n${c.dim(shown.map((l) => `  ${l}`).join("\n"))}\n`,
      );
      for (;;) {
        approvalAbort = new AbortController();
        let input: string;
        try {
          input = await rl.question(
            `${c.bold("Approve?")} ${c.dim("[y]es / [n]o / [a]lways / [e]dit / yolo, or type feedback to reject")} `,
            { signal: approvalAbort.signal },
          );
        } catch {
          approvalAbort = undefined;
          print(`\n${c.dim("Approval cancelled.")}\n`);
          return [...answers, ...rejectAll(items.slice(i), "User cancelled approval")];
        }
        approvalAbort = undefined;
        const parsed = parseApprovalInput(input);
        if (parsed.kind === "edit") {
          rl.write(JSON.stringify(item.arguments));
          const edited = parseEditedArguments(await rl.question("Arguments (JSON): "));
          if (typeof edited === "string") {
            print(`${c.red(edited)}\n`);
            continue;
          }
          answers.push({ tool_call_id: item.tool_call_id, decision: "approve", edited_arguments: edited });
        } else if (parsed.kind === "yolo") {
          runtime.setYolo(true);
          print(c.yellow(`yolo → auto-approved ${items.length - i} item(s); YOLO is on\n`));
          for (const rest of items.slice(i))
            answers.push({ tool_call_id: rest.tool_call_id, decision: "approve" });
          return answers;
        } else if (parsed.kind === "reject") {
          answers.push({ tool_call_id: item.tool_call_id, decision: "reject", feedback: parsed.feedback });
        } else {
          answers.push({
            tool_call_id: item.tool_call_id,
            decision: parsed.kind === "always" ? "always" : "approve",
          });
        }
        break;
      }
    }
    return answers;
  };

  const onEvent = (event: AgentEvent) => {
    sessionStats.record(event);
    switch (event.type) {
      case "assistant_chunk": {
        spinner.stop();
        streamed = true;
        const ready = md.push(event.content);
        if (ready) print(render(ready));
        return;
      }
      case "assistant_stream_end": {
        const rest = md.flush();
        if (rest.trim()) print(render(rest));
        return;
      }
      case "assistant_message":
        if (!streamed) print(render(event.content));
        streamed = false;
        return;
      case "tool_call":
        if (event.agent_id) return;
        print(
          `${c.cyan("▸")} ${c.bold(displayToolName(event.tool))} ${c.dim(summarizeArgs(event.arguments))}\n`,
        );
        return;
      case "tool_progress":
        spinner.stop();
        if (isTty) {
          out(`\r\x1b[K  ${c.dim(progressBar(event.progress, event.total, event.message ?? ""))}`);
          progressOpen = true;
        } else print(`  ${progressBar(event.progress, event.total, event.message ?? "")}\n`);
        return;
      case "notice":
        print(`${c.dim(`· ${event.message}`)}\n`);
        return;
      case "tool_log":
        for (const line of event.log.split("\n")) print(`  ${c.dim(`│ ${line}`)}\n`);
        return;
      case "tool_output":
        if (event.agent_id) return;
        print(
          event.success
            ? `  ${c.green("✓")} ${c.dim(firstLine(event.output))}\n`
            : `  ${c.red("✗")} ${firstLine(event.output)}\n`,
        );
        if (busy) spinner.start();
        return;
      case "tool_state_change":
        if (event.state === "running") spinner.start(`Running ${displayToolName(event.tool)}…`);
        return;
      case "approval_required":
        spinner.stop();
        void askApproval(event.tools).then((approvals) => {
          agent.submit({ type: "exec_approval", approvals });
          if (busy) spinner.start();
        });
        return;
      case "plan_update":
        plan = event.plan;
        return;
      case "compacted":
        print(c.dim(`· context compacted: ${event.old_tokens} → ${event.new_tokens} tokens\n`));
        return;
      case "error":
        print(`${c.red("error:")} ${event.error}\n`);
        return;
      case "interrupted":
        print(`${c.yellow("Interrupted.")}\n`);
        return;
      case "undo_complete":
        print(c.dim(`Undid the last turn (${event.removed_messages} messages).\n`));
        return;
      case "new_complete":
        plan = [];
        print(c.dim(`Started a new conversation (${event.session_id}).\n`));
        return;
      case "resume_complete":
        print(c.dim(`Resumed ${event.session_id} (${event.message_count} messages).\n`));
        return;
      default:
        return;
    }
  };
  const unsubscribe = agent.subscribe(onEvent);

  const prompt = () => {
    rl.setPrompt(`${c.bold(c.magenta("›"))} `);
    rl.prompt();
  };

  const runTurn = async (text: string) => {
    busy = true;
    streamed = false;
    out("\n");
    spinner.start();
    const result = await agent.send(text);
    busy = false;
    spinner.stop();
    const rest = md.flush();
    if (rest.trim()) print(render(rest));
    if (result.status === "max_iterations")
      print(c.yellow("Reached the iteration limit; send a message to continue.\n"));
    const planText = renderPlan(plan, c);
    if (planText) print(`\n${planText}`);
  };

  const slash = createSlashRunner({
    runtime,
    c,
    cwd: options.cwd,
    print: (text) => print(`${text}\n`),
    effort: effortOf(config.reasoning_effort),
    stats: sessionStats.snapshot,
    // A numbered list and a question: line mode has no arrow-key picker.
    pick: async (title, labels, values, choose) => {
      print(
        `${c.bold(title)}\n${labels.map((label, i) => `${String(i + 1).padStart(3)}. ${label}`).join("\n")}\n`,
      );
      const answer = (await rl.question(`Number ${c.dim("(Enter to cancel)")}: `)).trim();
      if (!answer) return;
      const index = Number(answer);
      const value = Number.isInteger(index) ? values[index - 1] : undefined;
      if (value === undefined) {
        print(`No entry ${answer}; nothing changed.\n`);
        return;
      }
      await choose(value);
    },
    clearScreen: () => {
      if (isTty) out("\x1b[2J\x1b[H");
    },
    quit: (code) => {
      quitCode = code;
    },
    refreshStatus: () => {},
    routerModels: () =>
      fetchRouterModels({
        fetch,
        baseUrl: env.HF_ROUTER_URL || DEFAULT_HF_ROUTER_URL,
        token: env.HF_TOKEN,
      }),
  });

  return new Promise<number>((resolve) => {
    let finished = false;
    const finish = async (code: number) => {
      if (finished) return;
      finished = true;
      spinner.stop();
      unsubscribe();
      rl.close();
      await runtime.dispose();
      resolve(code);
    };

    rl.on("SIGINT", () => {
      const now = Date.now();
      const double = now - lastSigint < DOUBLE_PRESS_MS;
      lastSigint = now;
      if (double) {
        // A user quit is a success: `bun run ml-intern` would otherwise print "exited with code 130".
        print("\n");
        void finish(EXIT.ok);
        return;
      }
      if (approvalAbort) {
        approvalAbort.abort();
        agent.submit({ type: "interrupt" });
        return;
      }
      if (busy) {
        agent.submit({ type: "interrupt" });
        void runtime.interruptTools();
        print(c.dim("\n(interrupting… press Ctrl-C again to quit)\n"));
        return;
      }
      rl.write(null, { ctrl: true, name: "u" });
      print(c.dim("\n(press Ctrl-C again to quit)\n"));
      prompt();
    });
    rl.on("close", () => void finish(quitCode ?? EXIT.ok));
    rl.on("line", (line) => {
      if (busy || finished) {
        if (!approvalAbort && line.trim())
          print(c.dim("(busy: wait for the turn to end, or Ctrl-C to interrupt)\n"));
        return;
      }
      const text = line.trim();
      if (!text) {
        prompt();
        return;
      }
      if (text === "exit" || text === "quit") {
        void finish(EXIT.ok);
        return;
      }
      const work = text.startsWith("/") ? slash.run(text) : runTurn(text);
      void work
        .catch((error: unknown) => print(`${c.red("error:")} ${(error as Error).message}\n`))
        .then(() => {
          if (quitCode !== undefined) void finish(quitCode);
          else if (!finished) prompt();
        });
    });
    prompt();
  });
}

/**
 * Ink draws only finished lines, never the live editor, when it believes it runs in CI: `is-in-ci` reads CI and
 * CONTINUOUS_INTEGRATION once, when Ink is first imported. We only get here with a terminal on both ends (a CI shell
 * with a TTY, a dev container that exports CI=1), so Ink is loaded with those two hidden, then they are put back.
 */
async function importTuiOutsideCiMode(): Promise<typeof import("./run-tui.ts")> {
  const saved = (["CI", "CONTINUOUS_INTEGRATION"] as const).map((k) => [k, process.env[k]] as const);
  for (const [k] of saved) delete process.env[k];
  try {
    return await import("./run-tui.ts");
  } finally {
    for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
  }
}

function bannerText(
  runtime: CliRuntime,
  cwd: string,
  c: ReturnType<typeof createColors>,
  modelSource: ModelSource,
): string {
  const mcpLines = runtime.mcp.map((s) =>
    s.status === "connected"
      ? `${c.green("✓")} ${s.name} ${c.dim(`(${s.toolCount} tools, ${s.transport})`)}`
      : s.status === "disabled"
        ? `${c.dim("○")} ${s.name} ${c.dim("(disabled)")}`
        : `${c.red("✗")} ${s.name} ${c.dim(s.error)}`,
  );
  return [
    `${c.bold("ML Intern")} ${c.dim(`v${pkg.version}`)}`,
    `${c.dim("model")}     ${runtime.model}${c.dim(MODEL_NOTES[modelSource])}`,
    `${c.dim("workspace")} ${cwd}`,
    `${c.dim("tools")}     ${runtime.tools.length}${runtime.isYolo() ? c.yellow("  · YOLO on") : ""}`,
    ...(mcpLines.length ? [`${c.dim("mcp")}       ${mcpLines.join("  ")}`] : []),
    c.dim("/help for commands · /model to switch · Ctrl-C interrupts · Ctrl-C twice quits"),
  ].join("\n");
}

/** The variable holding the chosen model's API key when it is missing (HF router keys are asked for above). */
async function missingModelKey(model: string, env: InteractiveOptions["env"]): Promise<string | undefined> {
  const [{ resolveModelId }, { hasModelCredentials }] = await Promise.all([
    import("@ml-intern/core"),
    import("@ml-intern/runtime/model"),
  ]);
  if (hasModelCredentials(model, env)) return undefined;
  try {
    const { apiKeyEnv } = resolveModelId(model, env);
    return apiKeyEnv === "HF_TOKEN" ? undefined : apiKeyEnv;
  } catch {
    return undefined;
  }
}
