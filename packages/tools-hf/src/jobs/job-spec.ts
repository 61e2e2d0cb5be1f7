import { estimateHardwareCost, isCpuFlavor, parseTimeoutHours } from "@ml-intern/core";

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

/** Turns a script (inline code, URL or path in the image) or an image + command into a job command. */
export function buildJobSpec(input: JobSpecInput): BuiltSpec | string {
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
  if (script.includes("\n")) {
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
  gpu: boolean;
}

export function estimateJobCost(flavor: string | undefined, timeout: string | undefined): CostEstimate {
  const f = flavor ?? "cpu-basic";
  const hours = parseTimeoutHours(timeout, 0.5);
  return { flavor: f, hours, usd: estimateHardwareCost(f, hours), gpu: !isCpuFlavor(f) };
}
