import { modelFacts, type ReasoningEffort } from "@ml-intern/core";
import { DEFAULT_MODEL } from "@ml-intern/runtime/model";
import { EXIT } from "../cli/exit-codes.ts";
import type { Colors } from "../render/colors.ts";
import type { CliRuntime } from "../runtime/create-runtime.ts";
import { describeRouterModel, type RouterModel } from "./router-models.ts";
import type { SessionStats } from "./session-stats.ts";
import { parseSlash, slashHelp } from "./slash-commands.ts";

const EFFORTS = ["low", "medium", "high", "max", "off"] as const;

/** Models offered by the /model picker (HF router ids route through the Hub with HF_TOKEN). */
export const PICKER_MODELS: readonly string[] = [
  DEFAULT_MODEL,
  "anthropic/claude-opus-5-5",
  "anthropic/claude-haiku-5-5",
  "moonshotai/Kimi-K2.6:novita",
];

export interface SlashRunnerOptions {
  runtime: CliRuntime;
  c: Colors;
  cwd: string;
  print: (text: string) => void;
  effort: ReasoningEffort | undefined;
  stats: () => SessionStats;
  /**
   * Shows a picker; `choose` gets the value the user selected. The terminal UI returns at once and calls
   * `choose` later; the line mode resolves once the choice is made and handled.
   */
  pick: (
    title: string,
    options: string[],
    values: string[],
    choose: (value: string) => Promise<void>,
  ) => void | Promise<void>;
  /** Clears the screen for /clear (nothing when the output is not a terminal). */
  clearScreen: () => void;
  quit: (code: number) => void;
  refreshStatus: () => void;
  /** The HF router's catalogue for the model picker (empty when unreachable). */
  routerModels: () => Promise<RouterModel[]>;
}

function priceOf(model: string): string {
  const wire = model.replace(/^(anthropic|openai|bedrock)\//, "");
  const price = modelFacts(wire).price;
  return price ? `$${price.input}/$${price.output} per M tokens` : "price unknown";
}

/** The slash commands of the terminal UI. */
export function createSlashRunner(o: SlashRunnerOptions) {
  const { runtime, c, print } = o;
  const { agent } = runtime;
  let effort = o.effort;

  const switchModel = async (id: string) => {
    try {
      await runtime.switchModel(id);
      print(`Model: ${c.bold(agent.model)}`);
      o.refreshStatus();
    } catch (error) {
      print(`${c.red("Cannot switch:")} ${(error as Error).message}`);
    }
  };
  const resume = async (ref: string) => {
    agent.submit({ type: "resume", session_id: ref });
    await agent.idle();
  };

  return {
    async run(line: string): Promise<void> {
      const { name, arg } = parseSlash(line);
      switch (name) {
        case "/help":
          print(slashHelp());
          return;
        case "/quit":
        case "/exit":
          o.quit(EXIT.ok);
          return;
        case "/new":
        case "/clear":
          if (name === "/clear") o.clearScreen();
          agent.submit({ type: "new" });
          await agent.idle();
          return;
        case "/undo":
          agent.submit({ type: "undo" });
          await agent.idle();
          return;
        case "/compact":
          agent.submit({ type: "compact" });
          await agent.idle();
          return;
        case "/resume": {
          if (arg) return resume(arg);
          const sessions = runtime.listSessions().slice(0, 30);
          if (sessions.length === 0) {
            print("No saved sessions.");
            return;
          }
          await o.pick(
            "Resume a session",
            sessions.map(
              (s) =>
                `${s.updatedAt.slice(0, 16).replace("T", " ")}  ${s.id.slice(0, 8)}  ${s.title || "(untitled)"}  ${c.dim(s.model)}`,
            ),
            sessions.map((s) => s.id),
            (id) => resume(id),
          );
          return;
        }
        case "/model": {
          if (arg) return switchModel(arg);
          const builtIn = [...new Set([agent.model, ...PICKER_MODELS])];
          const catalogue = new Map((await o.routerModels()).map((m) => [`${m.id}:${m.provider}`, m]));
          const values = [...new Set([...builtIn, ...catalogue.keys()])];
          const labels = values.map((id) => {
            const routed = catalogue.get(id);
            return `${id.padEnd(48)} ${c.dim(routed ? `router · ${describeRouterModel(routed)}` : priceOf(id))}`;
          });
          await o.pick(`Model (now ${agent.model})`, labels, values, (id) => switchModel(id));
          return;
        }
        case "/effort": {
          if (!arg) {
            print(`Reasoning effort: ${effort ?? "off"} (set with /effort ${EFFORTS.join("|")})`);
            return;
          }
          const level = arg.toLowerCase();
          if (!(EFFORTS as readonly string[]).includes(level)) {
            print(`Unknown effort "${arg}". Use one of ${EFFORTS.join(", ")}.`);
            return;
          }
          effort = level === "off" ? undefined : (level as ReasoningEffort);
          agent.setEffort(effort);
          print(`Reasoning effort: ${effort ?? "off"}`);
          return;
        }
        case "/yolo":
          runtime.setYolo(!runtime.isYolo());
          print(runtime.isYolo() ? c.yellow("YOLO on: approvals are automatic.") : "YOLO off.");
          o.refreshStatus();
          return;
        case "/cost": {
          const s = o.stats();
          print(
            [
              `model calls  ${s.calls}`,
              `input        ${s.input} tokens (+ ${s.cacheRead} cache read, ${s.cacheWrite} cache write)`,
              `output       ${s.output} tokens`,
              `context      ${s.contextTokens} tokens now`,
              `spend        $${s.cost.toFixed(4)}${s.costUnknown ? " (plus calls to models without a known price)" : ""} (estimate from list prices)`,
            ].join("\n"),
          );
          return;
        }
        case "/status":
          print(
            [
              `model      ${agent.model}`,
              `effort     ${effort ?? "off"}`,
              `yolo       ${runtime.isYolo() ? "on" : "off"}`,
              `session    ${agent.sessionId}`,
              `messages   ${agent.messages().length}`,
              `tools      ${runtime.tools.length}`,
              `workspace  ${o.cwd}`,
            ].join("\n"),
          );
          return;
        case "/share-traces": {
          const choice = arg.trim().toLowerCase();
          if (choice === "on" || choice === "off") {
            runtime.setShareTraces(choice === "on");
            print(`Trace sharing at session end: ${choice}.`);
            return;
          }
          print(await runtime.shareTraceNow());
          return;
        }
        default:
          print(`Unknown command ${name}. Type /help for the list.`);
      }
    },
  };
}
