/**
 * The agent's defaults, once: the config schema's defaults and createMlInternAgent's fallbacks both read
 * these, so a host that passes nothing and a config file that says nothing behave the same.
 */
export const AGENT_DEFAULTS = {
  /** Model calls per turn; -1 = unlimited. */
  maxIterations: 300,
  /** Dollars that headless/YOLO may spend on auto-approved calls. */
  spendCapUsd: 5,
  confirmCpuJobs: true,
  autoCompact: true,
  doomLoop: true,
  /** Durable session files. */
  persist: true,
  stream: true,
  yolo: false,
} as const;
