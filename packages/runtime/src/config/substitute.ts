import type { Env } from "@ml-intern/core";

export class SubstitutionError extends Error {
  constructor(
    readonly variable: string,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "SubstitutionError";
  }
}

const REFERENCE = /\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function substituteString(value: string, env: Env, path: string): string {
  return value.replace(REFERENCE, (_whole, inner: string) => {
    const dash = inner.indexOf(":-");
    const name = dash === -1 ? inner : inner.slice(0, dash);
    if (!NAME.test(name)) {
      throw new SubstitutionError(
        name,
        path,
        `Invalid variable reference "\${${inner}}" at ${path}: use \${NAME} or \${NAME:-default}.`,
      );
    }
    const found = env[name];
    if (found !== undefined) return found;
    if (dash !== -1) return inner.slice(dash + 2);
    throw new SubstitutionError(
      name,
      path,
      `Environment variable '${name}' is not set (used at ${path}). Export it or add it to .env in the launch directory, or write \${${name}:-default}.`,
    );
  });
}

/** Replaces `${VAR}` and `${VAR:-default}` in every string of a JSON value, recursively. */
export function substituteEnv(value: unknown, env: Env, path = "config"): unknown {
  if (typeof value === "string") return substituteString(value, env, path);
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, `${path}[${i}]`));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = substituteEnv(item, env, `${path}.${key}`);
    return out;
  }
  return value;
}
