/**
 * A small Dockerfile reader: instructions (with `\` continuations and comments), stages, and the final stage's
 * start command, health check, user, workdir, exposed ports and environment.
 */

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export type CommandForm = { form: "exec"; argv: string[] } | { form: "shell"; script: string };

export interface HealthCheck {
  options: Record<string, string>;
  command: CommandForm;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export interface FinalStage {
  base: string;
  user?: string;
  workdir?: string;
  env: Record<string, string>;
  expose: number[];
  entrypoint?: CommandForm;
  cmd?: CommandForm;
  healthcheck?: HealthCheck;
}

export function parseInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let buffer = "";
  let start = 0;
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (buffer === "" && (trimmed === "" || trimmed.startsWith("#"))) return;
    if (buffer !== "" && trimmed.startsWith("#")) return;
    if (buffer === "") start = i + 1;
    if (trimmed.endsWith("\\")) {
      buffer += `${trimmed.slice(0, -1).trimEnd()} `;
      return;
    }
    buffer += trimmed;
    const match = /^(\S+)\s*(.*)$/s.exec(buffer);
    if (match) out.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start });
    buffer = "";
  });
  return out;
}

function parseCommand(args: string): CommandForm {
  if (args.startsWith("[")) {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((a) => typeof a === "string"))
      return { form: "exec", argv: parsed };
  }
  return { form: "shell", script: args };
}

/** `a=b c="d e"` or the legacy `a b c` form. */
function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const [key, ...rest] = args.split(/\s+/);
    if (key) env[key] = rest.join(" ");
    return env;
  }
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    const raw = match[2]!;
    env[match[1]!] = raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw;
  }
  return env;
}

function substitute(text: string, args: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a?: string, b?: string) => args[(a ?? b)!] ?? whole);
}

export function parseStages(text: string): Stage[] {
  const stages: Stage[] = [];
  const globalArgs: Record<string, string> = {};
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === "FROM") {
      const parts = instruction.args.split(/\s+/).filter((p) => !p.startsWith("--"));
      const asIndex = parts.findIndex((p) => p.toUpperCase() === "AS");
      stages.push({
        from: substitute(parts[0] ?? "", globalArgs),
        ...(asIndex > 0 && parts[asIndex + 1] ? { name: parts[asIndex + 1] } : {}),
        instructions: [],
      });
    } else if (stages.length === 0) {
      if (instruction.keyword === "ARG") {
        const [name, value] = instruction.args.split("=", 2);
        if (name) globalArgs[name.trim()] = value?.trim() ?? "";
      }
    } else {
      stages[stages.length - 1]!.instructions.push(instruction);
    }
  }
  return stages;
}

function parseHealthCheck(args: string): HealthCheck | undefined {
  const options: Record<string, string> = {};
  let rest = args;
  for (let m = /^--([a-z-]+)=(\S+)\s*/.exec(rest); m; m = /^--([a-z-]+)=(\S+)\s*/.exec(rest)) {
    options[m[1]!] = m[2]!;
    rest = rest.slice(m[0].length);
  }
  if (/^NONE$/i.test(rest)) return undefined;
  const cmd = /^CMD\s+(.*)$/is.exec(rest);
  if (!cmd) return undefined;
  return { options, command: parseCommand(cmd[1]!.trim()) };
}

/** The stage `docker build` produces by default (the last one) as the container will run it. */
export function finalStage(text: string): FinalStage {
  const stages = parseStages(text);
  const last = stages[stages.length - 1];
  if (!last) throw new Error("the Dockerfile has no FROM");
  const stage: FinalStage = { base: last.from, env: {}, expose: [] };
  for (const { keyword, args } of last.instructions) {
    switch (keyword) {
      case "USER":
        stage.user = args;
        break;
      case "WORKDIR":
        stage.workdir = args.startsWith("/") || !stage.workdir ? args : `${stage.workdir}/${args}`;
        break;
      case "ENV":
        Object.assign(stage.env, parseEnv(args));
        break;
      case "EXPOSE":
        for (const port of args.split(/\s+/)) stage.expose.push(Number.parseInt(port, 10));
        break;
      case "ENTRYPOINT":
        stage.entrypoint = parseCommand(args);
        break;
      case "CMD":
        stage.cmd = parseCommand(args);
        break;
      case "HEALTHCHECK": {
        const healthcheck = parseHealthCheck(args);
        if (healthcheck) stage.healthcheck = healthcheck;
        else delete stage.healthcheck;
        break;
      }
    }
  }
  return stage;
}

/** ENTRYPOINT + CMD as one argv (exec forms only; a shell form runs under /bin/sh -c). */
export function startCommand(stage: FinalStage): string[] {
  const argv = (form: CommandForm | undefined): string[] =>
    form === undefined ? [] : form.form === "exec" ? form.argv : ["/bin/sh", "-c", form.script];
  if (stage.entrypoint?.form === "shell") return argv(stage.entrypoint);
  return [...argv(stage.entrypoint), ...argv(stage.cmd)];
}
