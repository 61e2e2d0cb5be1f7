import { parseArgs } from "node:util";
import { CliError } from "./exit-codes.ts";

export type OutputFormat = "text" | "json" | "stream-json";
export type SandboxMode = "bwrap" | "none" | "remote";

export interface CliArgs {
  prompt?: string;
  model?: string;
  maxIterations?: number;
  stream: boolean;
  outputFormat?: OutputFormat;
  yolo: boolean;
  config?: string;
  sandbox?: SandboxMode;
  /** `--network on|off|<domain,...>`: the local sandbox's network (overrides `sandbox_network`). */
  network?: "on" | "off" | string[];
  /** `""` means "--resume without a ref" (interactive picker / most recent). */
  resume?: string;
  continue: boolean;
  /** `-p/--print`: headless even without a prompt argument (Claude Code's habit); the prompt may come on stdin. */
  print?: boolean;
  /** `--dangerously-no-sandbox`: `--sandbox none`, said loudly. */
  dangerouslyNoSandbox?: boolean;
  /** `--max-spend <usd>`: the spend cap for this run (overrides spend_cap_usd). */
  maxSpendUsd?: number;
}

const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "json", "stream-json"];
const SANDBOX_MODES: readonly SandboxMode[] = ["bwrap", "none", "remote"];

/**
 * `--resume` takes an optional value (give parseArgs an explicit empty one when none follows), and
 * `--max-iterations -1` is a value, not a flag.
 */
function normaliseArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (arg === "--resume" || arg === "-r") {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("-")) {
        out.push("--resume=");
        continue;
      }
    }
    const next = argv[i + 1];
    if (arg === "--max-iterations" && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`--max-iterations=${next}`);
      i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

function usage(message: string): CliError {
  return new CliError("usage", `${message} (see ml-intern --help)`);
}

/** Parses the top-level command line; throws CliError("usage") with a one-line message. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(normaliseArgv(argv));
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    throw usage(message.replace(/\. To specify a positional argument.*$/, ""));
  }
  const { values, positionals } = parsed;

  let maxIterations: number | undefined;
  if (values["max-iterations"] !== undefined) {
    const raw = values["max-iterations"];
    if (!/^-?\d+$/.test(raw)) throw usage(`--max-iterations must be an integer, got "${raw}"`);
    maxIterations = Number(raw);
    if (maxIterations === 0 || maxIterations < -1) {
      throw usage("--max-iterations must be a positive integer, or -1 for unlimited");
    }
  }
  let maxSpendUsd: number | undefined;
  if (values["max-spend"] !== undefined) {
    const raw = values["max-spend"].trim().replace(/^\$/, "");
    maxSpendUsd = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(maxSpendUsd))
      throw usage(`--max-spend must be an amount in dollars (e.g. 10 or 2.50), got "${values["max-spend"]}"`);
  }
  const format = values["output-format"];
  if (format !== undefined && !OUTPUT_FORMATS.includes(format as OutputFormat)) {
    throw usage(`--output-format must be one of ${OUTPUT_FORMATS.join(", ")}, got "${format}"`);
  }
  let sandbox = values.sandbox;
  if (sandbox !== undefined && !SANDBOX_MODES.includes(sandbox as SandboxMode)) {
    throw usage(`--sandbox must be one of ${SANDBOX_MODES.join(", ")}, got "${sandbox}"`);
  }
  if (values["sandbox-tools"]) {
    if (sandbox !== undefined && sandbox !== "remote")
      throw usage("--sandbox-tools conflicts with --sandbox");
    sandbox = "remote";
  }
  if (values["dangerously-no-sandbox"]) {
    if (sandbox !== undefined && sandbox !== "none")
      throw usage(`--dangerously-no-sandbox conflicts with --sandbox ${sandbox}`);
    sandbox = "none";
  }
  let network: CliArgs["network"];
  const netFlag = values.network?.trim();
  if (netFlag !== undefined) {
    const domains = netFlag
      .split(",")
      .map((d) => d.trim())
      .filter(Boolean);
    if (!domains.length) throw usage("--network needs on, off or a comma-separated list of domains");
    network = netFlag === "on" || netFlag === "off" ? netFlag : domains;
  }
  if (values.model !== undefined && values.model.trim() === "") throw usage("--model needs a model id");
  if (values.continue && values.resume) throw usage("--continue and --resume <ref> cannot be combined");
  const prompt = positionals.length ? positionals.join(" ") : undefined;

  return {
    prompt,
    model: values.model?.trim(),
    maxIterations,
    ...(maxSpendUsd !== undefined ? { maxSpendUsd } : {}),
    stream: !values["no-stream"],
    outputFormat: format as OutputFormat | undefined,
    yolo: values.yolo ?? false,
    config: values.config,
    sandbox: sandbox as SandboxMode | undefined,
    network,
    resume: values.continue ? undefined : values.resume,
    continue: values.continue ?? false,
    print: values.print,
    dangerouslyNoSandbox: values["dangerously-no-sandbox"],
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      model: { type: "string", short: "m" },
      "max-iterations": { type: "string" },
      "max-spend": { type: "string" },
      "no-stream": { type: "boolean" },
      "output-format": { type: "string" },
      yolo: { type: "boolean" },
      config: { type: "string" },
      sandbox: { type: "string" },
      network: { type: "string" },
      "sandbox-tools": { type: "boolean" },
      "dangerously-no-sandbox": { type: "boolean" },
      print: { type: "boolean", short: "p" },
      resume: { type: "string", short: "r" },
      continue: { type: "boolean", short: "c" },
    },
  });
}
