import type { Env } from "@ml-intern/tool";
/** Host variables passed into commands by default. Tokens are never on this list. */
export const DEFAULT_ENV_ALLOWLIST: readonly string[] = [
  "PATH",
  "LANG",
  "LANGUAGE",
  "LC_ALL",
  "LC_CTYPE",
  "TZ",
  "TERM",
  "USER",
  "LOGNAME",
  "SHELL",
  "CUDA_VISIBLE_DEVICES",
  "NVIDIA_VISIBLE_DEVICES",
  "CUDA_HOME",
  "LD_LIBRARY_PATH",
  "VIRTUAL_ENV",
  "CONDA_PREFIX",
  "HF_ENDPOINT",
  "HF_HUB_ENABLE_HF_TRANSFER",
];

/** Always set: quiet progress bars and unbuffered Python, so logs read well. */
const FIXED_ENV: Record<string, string> = {
  PYTHONUNBUFFERED: "1",
  HF_HUB_DISABLE_PROGRESS_BARS: "1",
  TQDM_DISABLE: "1",
  UV_NO_PROGRESS: "1",
};

const FALLBACK_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface SandboxEnvOptions {
  hostEnv: Env;
  /** Extra host variable names to pass through (e.g. HF_TOKEN, by explicit opt-in). */
  allowEnv?: readonly string[];
  /** Explicit variables, set last. */
  env?: Readonly<Record<string, string>>;
  home: string;
  tmpDir: string;
}

/** The complete environment of a sandboxed command: an allowlist, never the host environment wholesale. */
export function buildSandboxEnv(options: SandboxEnvOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...DEFAULT_ENV_ALLOWLIST, ...(options.allowEnv ?? [])]) {
    const value = options.hostEnv[name];
    if (value !== undefined) out[name] = value;
  }
  out.PATH ??= FALLBACK_PATH;
  out.HOME = options.home;
  out.TMPDIR = options.tmpDir;
  Object.assign(out, FIXED_ENV, options.env ?? {});
  return out;
}
