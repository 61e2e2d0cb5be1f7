/**
 * The one source of hardware sizing and timeout guidance for HF Jobs. The hf_jobs description and the system
 * prompt both render it from here, so they cannot disagree. Prices are deliberately absent: they come live from
 * the Hub (`hf_jobs` operation "hardware", and the estimates shown at approval).
 */

/** Timeout when the caller gives none; only enough for smoke tests and short data processing. */
export const DEFAULT_JOB_TIMEOUT = "30m";

/** No training run should get less than this. */
export const MIN_TRAINING_TIMEOUT = "2h";

export interface SizingRow {
  /** Model size, e.g. "1–3B". */
  params: string;
  /** Recommended flavors, best first. */
  flavors: readonly string[];
  /** Suggested timeout for a full training run at this size. */
  timeout: string;
}

/** Full fine-tuning in bf16 (LoRA fits one size class smaller). */
export const HARDWARE_SIZING: readonly SizingRow[] = [
  { params: "under 1B", flavors: ["t4-medium", "a10g-large"], timeout: "2h" },
  { params: "1–3B", flavors: ["a10g-largex2"], timeout: "3–4h" },
  { params: "7–13B", flavors: ["a100-large"], timeout: "6–8h" },
  { params: "30B+", flavors: ["l40sx4", "a100x4"], timeout: "12–24h" },
  { params: "70B+", flavors: ["a100x8", "h200x8"], timeout: "24h+" },
];

export const SIZING_NOTES: readonly string[] = [
  "a10g-small and a10g-large have the same 24 GB GPU (large adds CPU and RAM).",
  "Memory rule of thumb: inference in bf16 needs ≈ 2 bytes per parameter; full fine-tuning with Adam ≈ 16 bytes per parameter plus activations.",
  "On out-of-memory: smaller batch with more gradient accumulation, then gradient checkpointing, then a bigger GPU. Never switch to LoRA or cut max_length without asking.",
  "CPU flavors (cpu-basic, cpu-upgrade) are for data processing, not training.",
];

/** Bullet lines about sizing, for the system prompt and the hf_jobs description. */
export function renderHardwareSizing(): string {
  const rows = HARDWARE_SIZING.map(
    (r) => `  - ${r.params} parameters → ${r.flavors.join(" or ")}, timeout ${r.timeout}`,
  );
  return [
    "- Size hardware to the model (full fine-tuning; LoRA fits one size smaller):",
    ...rows,
    ...SIZING_NOTES.map((n) => `- ${n}`),
  ].join("\n");
}

/** Bullet lines about timeouts, for the system prompt and the hf_jobs description. */
export function renderTimeoutGuide(): string {
  return [
    `- The default timeout is ${DEFAULT_JOB_TIMEOUT}, which kills any real training: set \`timeout\` from the model size and hardware (table above), at least ${MIN_TRAINING_TIMEOUT} for any training. The job is killed at the timeout.`,
  ].join("\n");
}

/** Sizing and timeout guidance as one block. */
export function renderJobsHardwareGuide(): string {
  return `${renderHardwareSizing()}\n${renderTimeoutGuide()}`;
}
