import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { PassThrough } from "node:stream";
import {
  type AgentEvent,
  type ApprovalAnswer,
  type ApprovalRequestItem,
  DEFAULT_HF_ROUTER_URL,
  modelFacts,
  type PlanItem,
  type ReasoningEffort,
} from "@ml-intern/core";
import { render } from "ink";
import { createElement } from "react";
import { EXIT } from "../cli/exit-codes.ts";
import { renderApprovalItem } from "../render/approval-view.ts";
import type { Colors } from "../render/colors.ts";
import { createMarkdownBuffer } from "../render/markdown-stream.ts";
import { renderPlan } from "../render/plan-view.ts";
import { progressBar, withEllipsis } from "../render/progress-bar.ts";
import { describeToolCall, describeToolResult } from "../render/tool-result-summary.ts";
import { displayToolName } from "../render/tool-summary.ts";
import type { CliRuntime } from "../runtime/create-runtime.ts";
import { rejectAll } from "./approval-answer.ts";
import { editFileFor, runEditor, validateArguments } from "./edit-arguments.ts";
import { createKeyReader, type Key, type KeyEvent } from "./key-reader.ts";
import * as ed from "./line-editor.ts";
import { replayConversation } from "./replay.ts";
import { fetchRouterModels } from "./router-models.ts";
import { createSessionStats } from "./session-stats.ts";
import { createSlashRunner } from "./slash-runner.ts";
import { TuiApp } from "./tui-app.ts";
import { createViewStore } from "./view-store.ts";

export interface TuiOptions {
  runtime: CliRuntime;
  c: Colors;
  env: Record<string, string | undefined>;
  cwd: string;
  banner: string;
  renderMarkdown: (markdown: string) => string;
  effort: ReasoningEffort | undefined;
  resumed: boolean;
}

const DOUBLE_PRESS_MS = 1000;
/** An approval dialog takes keys only once the user has paused typing this long (and it has been shown as long). */
export const ARM_DELAY_MS = 500;

interface PendingApproval {
  items: ApprovalRequestItem[];
  index: number;
  answers: ApprovalAnswer[];
  shownAt: number;
  feedback?: ed.EditorState;
  error?: string;
  /** The current item's arguments were changed in $EDITOR. */
  edited?: boolean;
  resolve: (answers: ApprovalAnswer[]) => void;
}

interface Picker {
  title: string;
  options: string[];
  values: string[];
  index: number;
  choose: (value: string) => void;
}

/** The interactive session on Ink: transcript above, live spinner/queue/dialog/editor/status below. */
export async function runTui(options: TuiOptions): Promise<number> {
  const { runtime, c } = options;
  const { agent } = runtime;
  const store = createViewStore();
  const md = createMarkdownBuffer();
  const render_ = (markdown: string) => options.renderMarkdown(markdown);
  let plan: PlanItem[] = [];
  let busy = false;
  let streamed = false;
  let lastKeyAt = 0;
  let lastCtrlC = 0;
  let approval: PendingApproval | undefined;
  let picker: Picker | undefined;
  let finished = false;
  let quitCode: number | undefined;
  const sessionStats = createSessionStats(agent.model);
  const toolStarts = new Map<
    string,
    { started: number; tool: string; args: Record<string, unknown>; before?: string }
  >();
  const logTails = new Map<string, string[]>();

  const inkStdin = new PassThrough() as unknown as NodeJS.ReadStream;
  const ink = render(createElement(TuiApp, { store, c }), {
    stdin: inkStdin,
    stdout: process.stdout,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const print = (text: string) => store.print(text);

  const statusLine = () => {
    const { contextTokens, contextModel, ...stats } = sessionStats.snapshot();
    const facts = modelFacts(contextModel.replace(/^[^/]+\//, ""));
    const ctx = contextTokens
      ? `ctx ${Math.round(contextTokens / 1000)}k/${Math.round(facts.contextWindow / 1000)}k (${Math.round((100 * contextTokens) / facts.contextWindow)}%)`
      : "ctx -";
    const tokens = `↑${kilo(stats.input + stats.cacheRead + stats.cacheWrite)} ↓${kilo(stats.output)} tokens`;
    const cost = `$${stats.cost.toFixed(2)}${stats.costUnknown ? "+" : ""}`;
    return [agent.model, ctx, tokens, cost, runtime.isYolo() ? "YOLO" : ""].filter(Boolean).join(" · ");
  };
  const refreshStatus = () => store.update({ status: statusLine() });

  const setActivity = (raw: string | undefined, lines: string[] = []) => {
    if (raw === undefined) store.update({ activity: undefined });
    else {
      const label = withEllipsis(raw);
      const prev = store.get().activity;
      store.update({
        activity: { label, lines, startedAt: prev?.label === label ? prev.startedAt : Date.now() },
      });
    }
  };
  const timer = setInterval(() => {
    if (store.get().activity) store.update((s) => ({ tick: s.tick + 1 }));
  }, 100);

  // ---- approvals ----------------------------------------------------------------------------------------
  const armed = (now = Date.now()) =>
    approval !== undefined && now - approval.shownAt >= ARM_DELAY_MS && now - lastKeyAt >= ARM_DELAY_MS;
  let armTimer: ReturnType<typeof setTimeout> | undefined;
  const drawDialog = () => {
    if (!approval) {
      store.update({ dialog: undefined });
      return;
    }
    const item = approval.items[approval.index]!;
    // The dialog must fit the screen (Ink cannot redraw a live area taller than the terminal): the code gets what is left.
    const maxCodeLines = Math.max(6, (process.stdout.rows || 40) - 22);
    const body = renderApprovalItem(
      item,
      c,
      { index: approval.index, count: approval.items.length },
      maxCodeLines,
    );
    const footer = approval.feedback
      ? c.dim("Enter rejects with this feedback · Esc back")
      : armed()
        ? `${c.bold("y")} approve · ${c.bold("a")} always for ${displayToolName(item.tool)} · ${c.bold("n")} reject with feedback · ${c.bold("e")} edit in $EDITOR · ${c.bold("!")} yolo`
        : c.dim("(you are typing: keys go to your message below until you pause)");
    store.update({ dialog: { body, footer, feedback: approval.feedback, error: approval.error } });
    if (armTimer) clearTimeout(armTimer);
    if (!armed()) {
      const wait = Math.max(approval.shownAt, lastKeyAt) + ARM_DELAY_MS - Date.now();
      armTimer = setTimeout(drawDialog, Math.max(10, wait));
    }
  };
  const answer = (a: ApprovalAnswer | "yolo") => {
    if (!approval) return;
    const p = approval;
    const item = p.items[p.index]!;
    if (a === "yolo") {
      runtime.setYolo(true);
      for (const rest of p.items.slice(p.index))
        p.answers.push({ tool_call_id: rest.tool_call_id, decision: "approve" });
      print(c.yellow(`yolo: approved ${p.items.length - p.index} call(s); YOLO is on`));
      p.index = p.items.length;
    } else {
      p.answers.push(a);
      const verb =
        a.decision === "reject"
          ? c.red(`✗ rejected${a.feedback ? `: ${a.feedback}` : ""}`)
          : a.decision === "always"
            ? c.green(`✓ approved (always for ${displayToolName(item.tool)} this session)`)
            : c.green(`✓ approved${a.edited_arguments ? " with your edits" : ""}`);
      print(`${c.dim(displayToolName(item.tool))} ${verb}`);
      p.index++;
      p.feedback = undefined;
      p.error = undefined;
      p.edited = false;
    }
    if (p.index >= p.items.length) {
      approval = undefined;
      store.update({ dialog: undefined });
      p.resolve(p.answers);
      refreshStatus();
    } else {
      p.shownAt = Date.now();
      drawDialog();
    }
  };
  const editCurrent = () => {
    if (!approval) return;
    const item = approval.items[approval.index]!;
    const file = editFileFor(item.tool, item.arguments);
    keys.suspend();
    let edited: string | { error: string };
    try {
      edited = runEditor(file, options.env);
    } finally {
      keys.resume();
    }
    if (typeof edited !== "string") {
      approval.error = edited.error;
      drawDialog();
      return;
    }
    const parsed = file.parse(edited);
    const valid =
      typeof parsed === "string"
        ? parsed
        : validateArguments(
            runtime.tools.find((t) => t.name === item.tool),
            parsed,
          );
    if (typeof valid === "string") {
      approval.error = `Not applied: ${valid}`;
      drawDialog();
      return;
    }
    // Show the edited call once more; the next y approves it as edited.
    approval.items[approval.index] = { ...item, arguments: valid };
    approval.error = undefined;
    approval.edited = true;
    approval.shownAt = Date.now();
    print(c.dim(`Edited the arguments of ${displayToolName(item.tool)}; review and approve.`));
    drawDialog();
  };
  const approvalKey = (key: Key) => {
    if (!approval) return;
    if (approval.feedback) {
      if (key.name === "escape") {
        approval.feedback = undefined;
        drawDialog();
        return;
      }
      if (key.name === "return") {
        const text = approval.feedback.text.trim();
        const item = approval.items[approval.index]!;
        answer({ tool_call_id: item.tool_call_id, decision: "reject", ...(text ? { feedback: text } : {}) });
        return;
      }
      approval.feedback = editKey(approval.feedback, key) ?? approval.feedback;
      drawDialog();
      return;
    }
    const item = approval.items[approval.index]!;
    const edited = approval.edited ? { edited_arguments: item.arguments } : {};
    switch (key.text.toLowerCase()) {
      case "y":
        answer({ tool_call_id: item.tool_call_id, decision: "approve", ...edited });
        return;
      case "a":
        answer({ tool_call_id: item.tool_call_id, decision: "always", ...edited });
        return;
      case "n":
        approval.feedback = ed.createEditorState();
        drawDialog();
        return;
      case "e":
        editCurrent();
        return;
      case "!":
        answer("yolo");
        return;
      default:
    }
  };

  // ---- agent events -------------------------------------------------------------------------------------
  const onEvent = (event: AgentEvent) => {
    sessionStats.record(event);
    switch (event.type) {
      case "assistant_chunk": {
        streamed = true;
        const ready = md.push(event.content);
        if (ready.trim()) print(render_(ready));
        // The unfinished block streams in the live area until it is complete and rendered above.
        const width = process.stdout.columns || 100;
        const tail = md
          .pending()
          .split("\n")
          .filter((l) => l.trim())
          .slice(-4)
          .map((l) => (l.length > width - 4 ? `${l.slice(0, width - 5)}…` : l));
        setActivity("Writing", tail);
        return;
      }
      case "assistant_stream_end": {
        const rest = md.flush();
        if (rest.trim()) print(render_(rest));
        return;
      }
      case "assistant_message":
        if (!streamed && event.content.trim()) print(render_(event.content));
        streamed = false;
        return;
      case "tool_call":
        if (event.agent_id) return;
        toolStarts.set(event.tool_call_id, {
          started: Date.now(),
          tool: event.tool,
          args: event.arguments,
          before: event.tool === "write" ? readBefore(options.cwd, event.arguments.path) : undefined,
        });
        print(describeToolCall(event.tool, event.arguments, c));
        return;
      case "tool_state_change":
        if (event.state === "running") {
          const start = toolStarts.get(event.tool_call_id);
          // Elapsed time counts from when it runs, not from the call (an approval may have waited).
          if (start) start.started = Date.now();
          const desc =
            start && typeof start.args.description === "string" ? ` ${start.args.description}` : "";
          setActivity(`Running ${displayToolName(event.tool)}${desc}…`);
        }
        return;
      case "tool_progress": {
        const bar = progressBar(event.progress, event.total, event.message ?? "");
        const a = store.get().activity;
        setActivity(a?.label ?? `Running ${displayToolName(event.tool)}…`, [bar]);
        return;
      }
      case "notice":
        print(c.dim(`· ${event.message}`));
        return;
      case "tool_log": {
        const id = event.tool_call_id ?? event.tool;
        const tail = [...(logTails.get(id) ?? []), ...event.log.split("\n")];
        logTails.set(id, tail.slice(-200));
        const a = store.get().activity;
        setActivity(
          a?.label ?? `Running ${displayToolName(event.tool)}…`,
          tail.slice(-6).map((l) => `│ ${l}`),
        );
        return;
      }
      case "tool_output": {
        if (event.agent_id) return;
        const start = toolStarts.get(event.tool_call_id);
        toolStarts.delete(event.tool_call_id);
        const tail = logTails.get(event.tool_call_id) ?? [];
        logTails.delete(event.tool_call_id);
        print(
          describeToolResult(
            {
              tool: event.tool,
              args: start?.args ?? {},
              output: event.output,
              success: event.success,
              structured: event.structured,
              elapsedMs: start ? Date.now() - start.started : undefined,
              logTail: tail,
              before: start?.before,
              cwd: options.cwd,
            },
            c,
          ),
        );
        if (busy) setActivity("Thinking…");
        return;
      }
      case "approval_required":
        return;
      case "approval_decision": {
        // Paid calls approved without asking, and refusals, are worth a line; routine "always allow" ones are not.
        if (event.decision === "auto_approved" && event.estimated_cost_usd === undefined) return;
        const cost =
          event.estimated_cost_usd === undefined
            ? ""
            : ` · est. ${event.estimated_cost_usd === null ? "cost unknown" : `$${event.estimated_cost_usd.toFixed(2)}`}`;
        const cap = event.cap_usd === null ? "" : ` of $${event.cap_usd.toFixed(2)}`;
        const head =
          event.decision === "refused"
            ? c.yellow(`✗ ${displayToolName(event.tool)} refused (${event.source})`)
            : c.dim(`✓ ${displayToolName(event.tool)} auto-approved (${event.source})`);
        print(`${head} ${c.dim(`${event.reason}${cost} · spent $${event.spent_usd.toFixed(2)}${cap}`)}`);
        return;
      }
      case "llm_call":
        refreshStatus();
        return;
      case "plan_update":
        plan = event.plan;
        return;
      case "compacted":
        print(
          c.dim(
            `· context compacted (${event.strategy}): ${kilo(event.old_tokens)} → ${kilo(event.new_tokens)} tokens`,
          ),
        );
        refreshStatus();
        return;
      case "error":
        print(`${c.red("error:")} ${event.error}`);
        return;
      case "interrupted":
        print(c.yellow("Interrupted."));
        return;
      case "undo_complete":
        print(c.dim(`Undid the last turn (${event.removed_messages} messages).`));
        return;
      case "new_complete":
        plan = [];
        print(c.dim(`Started a new conversation (${event.session_id}).`));
        refreshStatus();
        return;
      case "resume_complete":
        print(replayConversation(agent.messages(), c, { sessionId: event.session_id, render: render_ }));
        return;
      default:
    }
  };
  const unsubscribe = agent.subscribe(onEvent);
  // Approvals come through the event stream; a promise per request keeps the agent waiting for the answer.
  const unsubscribeApprovals = agent.subscribe((event) => {
    if (event.type !== "approval_required") return;
    void new Promise<ApprovalAnswer[]>((resolve) => {
      approval = { items: event.tools, index: 0, answers: [], shownAt: Date.now(), resolve };
      setActivity("Waiting for your answer");
      drawDialog();
    }).then((approvals) => {
      if (busy) setActivity("Running");
      agent.submit({ type: "exec_approval", approvals });
    });
  });

  // ---- turns, queue, slash commands ---------------------------------------------------------------------
  const slash = createSlashRunner({
    runtime,
    c,
    cwd: options.cwd,
    print,
    effort: options.effort,
    stats: sessionStats.snapshot,
    clearScreen: () => process.stdout.write("\x1b[2J\x1b[3J\x1b[H"),
    pick: (title, opts, values, choose) => {
      picker = { title, options: opts, values, index: 0, choose: (value) => void choose(value) };
      store.update({ picker: { title, options: opts, index: 0 } });
    },
    quit: (code) => {
      quitCode = code;
    },
    refreshStatus,
    routerModels: () =>
      fetchRouterModels({
        fetch,
        baseUrl: options.env.HF_ROUTER_URL || DEFAULT_HF_ROUTER_URL,
        token: options.env.HF_TOKEN,
      }),
  });

  const runTurn = async (text: string) => {
    busy = true;
    streamed = false;
    setActivity("Thinking…");
    try {
      const result = await agent.send(text);
      const rest = md.flush();
      if (rest.trim()) print(render_(rest));
      if (result.status === "max_iterations")
        print(c.yellow("Reached the iteration limit; send a message to continue."));
      const planText = renderPlan(plan, c);
      if (planText) print(planText);
    } finally {
      busy = false;
      setActivity(undefined);
    }
  };

  const dispatch = async (text: string) => {
    print(`${c.bold(c.magenta("›"))} ${text.split("\n").join(`\n  `)}`);
    if (text.startsWith("/")) {
      busy = true;
      setActivity(`${text.split(" ")[0]}…`);
      try {
        await slash.run(text);
      } finally {
        busy = false;
        setActivity(undefined);
      }
    } else await runTurn(text);
  };
  const pump = async () => {
    while (!busy && !finished && quitCode === undefined) {
      const [next, ...rest] = store.get().queue;
      if (next === undefined) return;
      store.update({ queue: rest });
      try {
        await dispatch(next);
      } catch (error) {
        print(`${c.red("error:")} ${(error as Error).message}`);
      }
      refreshStatus();
    }
    if (quitCode !== undefined) void finish(quitCode);
  };
  const submitText = (text: string) => {
    const trimmed = text.trim();
    if (!trimmed) return;
    if (trimmed === "/quit" || trimmed === "/exit" || trimmed === "exit" || trimmed === "quit") {
      void finish(EXIT.ok);
      return;
    }
    store.update((s) => ({ queue: [...s.queue, text.replace(/\s+$/, "")] }));
    void pump();
  };

  // ---- keys ---------------------------------------------------------------------------------------------
  const onCtrlC = () => {
    const now = Date.now();
    const double = now - lastCtrlC < DOUBLE_PRESS_MS;
    lastCtrlC = now;
    if (double) {
      void finish(EXIT.ok);
      return;
    }
    if (approval) {
      const p = approval;
      approval = undefined;
      store.update({ dialog: undefined });
      p.resolve([...p.answers, ...rejectAll(p.items.slice(p.index), "User cancelled approval")]);
      agent.submit({ type: "interrupt" });
      return;
    }
    if (busy) {
      agent.submit({ type: "interrupt" });
      void runtime.interruptTools();
      store.update({ notice: "(interrupting… Ctrl-C again quits)" });
      setTimeout(() => store.update({ notice: undefined }), DOUBLE_PRESS_MS);
      return;
    }
    const editor = store.get().editor;
    if (editor.text) store.update({ editor: { ...editor, text: "", cursor: 0 } });
    store.update({ notice: "(press Ctrl-C again to quit)" });
    setTimeout(() => store.update({ notice: undefined }), DOUBLE_PRESS_MS);
  };

  const pickerKey = (key: Key) => {
    if (!picker) return;
    const p = picker;
    if (key.name === "escape" || (key.ctrl && key.name === "c")) {
      picker = undefined;
      store.update({ picker: undefined });
      return;
    }
    if (key.name === "up" || key.name === "down") {
      p.index = (p.index + (key.name === "up" ? -1 : 1) + p.options.length) % p.options.length;
      store.update({ picker: { title: p.title, options: p.options, index: p.index } });
      return;
    }
    if (key.name === "return") {
      picker = undefined;
      store.update({ picker: undefined });
      const value = p.values[p.index];
      if (value !== undefined) p.choose(value);
    }
  };

  const onKeyEvent = (event: KeyEvent) => {
    if (finished) return;
    const now = Date.now();
    if (event.kind === "paste") {
      lastKeyAt = now;
      if (approval?.feedback) {
        approval.feedback = ed.insert(approval.feedback, event.text);
        drawDialog();
      } else store.update((s) => ({ editor: ed.insert(s.editor, event.text) }));
      if (approval) drawDialog();
      return;
    }
    const key = event.key;
    if (key.ctrl && key.name === "c") {
      onCtrlC();
      return;
    }
    if (picker) {
      pickerKey(key);
      return;
    }
    // Keys go to an approval only once it has been on screen and the user has paused typing; until then they
    // keep going to the message editor, so a sentence typed while the agent works never becomes an answer.
    if (approval && (approval.feedback || armed(now))) {
      lastKeyAt = now;
      approvalKey(key);
      return;
    }
    lastKeyAt = now;
    const editor = store.get().editor;
    if (key.ctrl && key.name === "d" && !editor.text) {
      void finish(EXIT.ok);
      return;
    }
    if (key.name === "return" && !key.meta) {
      if (editor.text.endsWith("\\")) {
        store.update({ editor: ed.insert(ed.backspace(editor), "\n") });
        return;
      }
      const { state, text } = ed.submit(editor);
      store.update({ editor: state });
      submitText(text);
    } else {
      const next = editKey(editor, key);
      if (next) store.update({ editor: next });
    }
    if (approval) drawDialog();
  };
  const keys = createKeyReader(process.stdin, process.stdout, onKeyEvent);

  // ---- start --------------------------------------------------------------------------------------------
  print(options.banner);
  if (options.resumed)
    print(replayConversation(agent.messages(), c, { sessionId: agent.sessionId, render: render_ }));
  refreshStatus();

  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });
  async function finish(code: number): Promise<void> {
    if (finished) return;
    finished = true;
    clearInterval(timer);
    if (armTimer) clearTimeout(armTimer);
    if (approval) approval.resolve(rejectAll(approval.items.slice(approval.index), "Session ended"));
    store.update({ activity: undefined, dialog: undefined, picker: undefined, notice: undefined });
    unsubscribe();
    unsubscribeApprovals();
    keys.close();
    ink.unmount();
    await runtime.dispose();
    resolveDone(code);
  }
  return done;
}

/** Editing keys shared by the message editor and the feedback field; undefined when the key is not one. */
function editKey(state: ed.EditorState, key: Key): ed.EditorState | undefined {
  if (key.name === "enter" || (key.ctrl && key.name === "j") || (key.meta && key.name === "return"))
    return ed.insert(state, "\n");
  if (key.name === "backspace") return ed.backspace(state);
  if (key.name === "delete") return ed.deleteForward(state);
  if (key.name === "left") return ed.moveLeft(state);
  if (key.name === "right") return ed.moveRight(state);
  if (key.name === "up") return ed.moveUp(state);
  if (key.name === "down") return ed.moveDown(state);
  if (key.name === "home" || (key.ctrl && key.name === "a")) return ed.moveHome(state);
  if (key.name === "end" || (key.ctrl && key.name === "e")) return ed.moveEnd(state);
  if (key.ctrl && key.name === "u") return ed.deleteToLineStart(state);
  if (key.ctrl && key.name === "w") return ed.deleteWord(state);
  if (key.text && !key.ctrl) return ed.insert(state, key.text);
  return undefined;
}

/** A file's content before a write replaces it (for the diff); undefined when it is missing, large or outside. */
function readBefore(cwd: string, path: unknown): string | undefined {
  if (typeof path !== "string" || !path) return undefined;
  const full = resolve(cwd, path);
  if (!full.startsWith(`${cwd}/`) && full !== cwd) return undefined;
  try {
    if (statSync(full).size > 256 * 1024) return undefined;
    return readFileSync(full, "utf8");
  } catch {
    return undefined;
  }
}

function kilo(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
