import { renderJobsHardwareGuide } from "@ml-intern/tools-hf/hardware-guide";
import { describeHubIdentity, type HubIdentity } from "./hub-identity.ts";
import localModePrompt from "./local-mode.txt" with { type: "text" };
import researchPrompt from "./research-prompt.txt" with { type: "text" };
import mainPrompt from "./system-prompt.txt" with { type: "text" };

/** Where the jobs hardware sizing and timeout guide goes in system-prompt.txt. */
export const JOBS_HARDWARE_GUIDE_SLOT = "{{JOBS_HARDWARE_GUIDE}}";

/** The main prompt with the jobs hardware guide (tools-hf's, the one hf_jobs's description renders too). */
export function renderMainPrompt(jobsHardwareGuide: string = renderJobsHardwareGuide()): string {
  return mainPrompt.replace(JOBS_HARDWARE_GUIDE_SLOT, jobsHardwareGuide.trim()).trim();
}

export const MAIN_SYSTEM_PROMPT: string = renderMainPrompt();
export const LOCAL_MODE_PROMPT: string = localModePrompt.trim();
export const RESEARCH_SYSTEM_PROMPT: string = researchPrompt.trim();

export interface SessionContext {
  /** Today; only the date is shown, so the prompt stays stable (and cached) for the whole day. */
  date: Date;
  /** IANA zone the date is shown in (default UTC). */
  timeZone?: string;
  cwd: string;
  /** The HF account (whoami, resolved at start). Wins over `hfUser`. */
  hub?: HubIdentity;
  /** A known HF user name, when no identity was resolved. */
  hfUser?: string | null;
  model: string;
  toolNames: readonly string[];
}

export interface SystemPromptInput {
  /** The main prompt (defaults to MAIN_SYSTEM_PROMPT). */
  base?: string;
  /** More fixed sections, e.g. LOCAL_MODE_PROMPT or the user's standing instructions. */
  staticParts?: readonly string[];
  dynamic: SessionContext;
}

function formatDate(date: Date, timeZone: string): string {
  const day = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(date);
  const weekday = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long" }).format(date);
  return `${day} (${weekday}, ${timeZone})`;
}

/** The session-specific context block; always the last part of the system prompt. */
export function renderSessionContext(ctx: SessionContext): string {
  const tz = ctx.timeZone ?? "UTC";
  const lines = [
    "# Session context",
    `- Date: ${formatDate(ctx.date, tz)}`,
    `- Working directory: ${ctx.cwd}`,
    `- Hugging Face user: ${ctx.hub ? describeHubIdentity(ctx.hub) : (ctx.hfUser ?? "unknown (not logged in)")}`,
    `- Model: ${ctx.model}`,
    `- Tools (${ctx.toolNames.length}): ${ctx.toolNames.join(", ")}`,
  ];
  return lines.join("\n");
}

/**
 * The system prompt: static parts first, dynamic session context last, so the provider's prompt cache
 * covers the long static prefix across sessions and turns.
 */
export function buildSystemPrompt(input: SystemPromptInput): string {
  const parts = [input.base ?? MAIN_SYSTEM_PROMPT, ...(input.staticParts ?? [])]
    .map((p) => p.trim())
    .filter((p) => p !== "");
  return `${parts.join("\n\n")}\n\n${renderSessionContext(input.dynamic)}\n`;
}
