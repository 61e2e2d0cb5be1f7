import { isCpuFlavor, parseTimeoutHours } from "../pricing/hardware.ts";
import type { HardwarePriceCatalog } from "../pricing/hardware-catalog.ts";
import { DEFAULT_JOB_TIMEOUT } from "./hardware-guide.ts";

export const UV_IMAGE = "ghcr.io/astral-sh/uv:python3.12-bookworm";
export const DOCKER_IMAGE = "python:3.12";

export const QUIET_ENV: Readonly<Record<string, string>> = {
  HF_HUB_DISABLE_PROGRESS_BARS: "1",
  TQDM_DISABLE: "1",
  TRANSFORMERS_VERBOSITY: "warning",
  UV_NO_PROGRESS: "1",
};

export interface JobSpecInput {
  script?: string;
  dependencies?: string[];
  python?: string;
  script_args?: string[];
  image?: string;
  command?: string[];
}

/**
 * The job command carries inline code as one base64 argument of `/bin/sh -lc`; Linux refuses a single argument
 * over 128 KiB (MAX_ARG_STRLEN), and base64 grows the code by a third, so larger scripts cannot be shipped inline.
 */
export const MAX_INLINE_SCRIPT_BYTES = 90_000;

/**
 * True when `script` names a file rather than being code or a URL: a whitespace-free value starting with `/`,
 * `./` or `../`, or ending in `.py` (so `train.py --epochs 1` and inline code are not paths).
 */
export function looksLikeScriptPath(script: string): boolean {
  if (script !== script.trim() || /[\n\r\0]/.test(script)) return false;
  if (/^https?:\/\//i.test(script)) return false;
  if (/\s/.test(script)) return false;
  return /^(\/|\.\/|\.\.\/)/.test(script) || /\.py$/i.test(script);
}

export interface BuiltSpec {
  dockerImage?: string;
  spaceId?: string;
  command: string[];
  mode: "python" | "docker";
}

const SPACE_PREFIX = /^(?:https?:\/\/)?(?:huggingface\.co|hf\.co)\/spaces\//;

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Turns a script (inline code, URL or path in the image) or an image + command into a job command. `inline`
 * forces shipping the script as code (it was read from the workspace, even if it is one line).
 */
export function buildJobSpec(input: JobSpecInput, options: { inline?: boolean } = {}): BuiltSpec | string {
  if (input.script && input.command) return "Give either `script` (Python) or `command` (Docker), not both.";
  if (!input.script && !input.command)
    return "Give `script` (Python source, URL or path) or `command` (with `image`).";
  if (input.command) {
    const image = input.image ?? DOCKER_IMAGE;
    if (SPACE_PREFIX.test(image))
      return { spaceId: image.replace(SPACE_PREFIX, ""), command: input.command, mode: "docker" };
    return { dockerImage: image, command: input.command, mode: "docker" };
  }
  const script = input.script ?? "";
  const uvArgs = ["uv", "run"];
  for (const dep of input.dependencies ?? []) uvArgs.push("--with", dep);
  if (input.python) uvArgs.push("-p", input.python);
  const image = input.image ?? UV_IMAGE;
  if (options.inline || script.includes("\n")) {
    const bytes = Buffer.byteLength(script, "utf8");
    if (bytes > MAX_INLINE_SCRIPT_BYTES) {
      return `The script is ${bytes} bytes; at most ${MAX_INLINE_SCRIPT_BYTES} bytes can be shipped inline to a job (the command line would exceed the kernel's 128 KiB argument limit). Put the code in a Hub repo (or split helpers into a package) and pass its URL as \`script\`, or download it in the job with \`command\`.`;
    }
    const b64 = Buffer.from(script, "utf8").toString("base64");
    const inner = [...uvArgs, "-", ...(input.script_args ?? [])].map(shellQuote).join(" ");
    return {
      dockerImage: image,
      command: ["/bin/sh", "-lc", `echo "${b64}" | base64 -d | ${inner}`],
      mode: "python",
    };
  }
  return { dockerImage: image, command: [...uvArgs, script, ...(input.script_args ?? [])], mode: "python" };
}

/** Parses "30m", "2h", "1d", "90s" or bare seconds into whole seconds. */
export function timeoutSeconds(timeout: string | undefined): number | undefined {
  const hours = parseTimeoutHours(timeout, 0.5);
  return hours === null ? undefined : Math.round(hours * 3600);
}

export interface CostEstimate {
  flavor: string;
  hours: number | null;
  usd: number | null;
  usdPerHour: number | null;
  /** Where the price came from: the Hub's hardware list, the offline fallback table, or nowhere. */
  priceSource: "hub" | "fallback" | "unknown";
  gpu: boolean;
}

const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;

/** Maximum cost: the Hub's price for `flavor` × the timeout. */
export function estimateJobCost(
  prices: HardwarePriceCatalog,
  flavor: string | undefined,
  timeout: string | undefined,
): CostEstimate {
  const f = flavor ?? "cpu-basic";
  const hours = parseTimeoutHours(timeout ?? DEFAULT_JOB_TIMEOUT, 0.5);
  const price = prices.price(f);
  return {
    flavor: f,
    hours,
    usd: price && hours !== null ? round4(price.usdPerHour * hours) : null,
    usdPerHour: price?.usdPerHour ?? null,
    priceSource: price?.source ?? "unknown",
    gpu: !isCpuFlavor(f),
  };
}

/** Actual cost of a finished (or running) job: price × running seconds. */
export function jobCostUsd(
  prices: HardwarePriceCatalog,
  flavor: string,
  runningSeconds: number,
): number | null {
  const price = prices.price(flavor);
  return price ? round4((price.usdPerHour * Math.max(0, runningSeconds)) / 3600) : null;
}
