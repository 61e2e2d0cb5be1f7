/**
 * Secret scrubbing applied before anything is persisted, exported or uploaded.
 * Pure string/JSON transforms; the configured secret values are injected, never read from the environment.
 */

export interface RedactorOptions {
  /** Literal secret values (e.g. the configured HF and GitHub tokens) that must never be written anywhere. */
  secrets?: readonly (string | undefined | null)[];
}

export interface Redactor {
  /** Returns `text` with every recognised secret replaced by a `[REDACTED...]` marker. */
  redact(text: string): string;
  /** A deep copy of `value` with every string redacted and values under secret-looking keys replaced. */
  redactDeep<T>(value: T): T;
}

export const REDACTED = "[REDACTED]";

/** Shortest configured literal that is redacted; shorter values would mangle ordinary text. */
export const MIN_LITERAL_SECRET_LENGTH = 6;

interface TokenPattern {
  regex: RegExp;
  replacement: string;
  /** Cheap literal the text must contain for the pattern to be worth running. */
  hint: string;
}

/** Provider token shapes, most specific first. */
const TOKEN_PATTERNS: readonly TokenPattern[] = [
  {
    regex: /(?<![A-Za-z0-9])sk-ant-[A-Za-z0-9_-]{20,}/g,
    replacement: "[REDACTED_ANTHROPIC_KEY]",
    hint: "sk-ant-",
  },
  {
    regex: /(?<![A-Za-z0-9])sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}/g,
    replacement: "[REDACTED_OPENAI_KEY]",
    hint: "sk-",
  },
  { regex: /(?<![A-Za-z0-9])hf_[A-Za-z0-9]{30,}/g, replacement: "[REDACTED_HF_TOKEN]", hint: "hf_" },
  {
    regex: /(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{36,}/g,
    replacement: "[REDACTED_GITHUB_TOKEN]",
    hint: "github_pat_",
  },
  {
    regex: /(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{36,}/g,
    replacement: "[REDACTED_GITHUB_TOKEN]",
    hint: "gh",
  },
  { regex: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, replacement: "[REDACTED_AWS_KEY_ID]", hint: "IA" },
];

/** `Authorization: Bearer x`, `Proxy-Authorization: ...`, `X-Sandbox-Authorization: ...`, `X-Api-Key: ...`. */
const HEADER_PATTERN =
  /\b((?:Proxy-)?Authorization|X-[A-Za-z0-9-]*Authorization|X-[A-Za-z0-9-]*(?:Api-Key|Token))(["']?\s*:\s*["']?)(?:(Bearer|Basic|Token|token|bearer|basic)\s+)?([^\s"'\\,;]+)/gi;

/** A bare `Bearer <credential>` anywhere (curl commands, logs). */
const BEARER_PATTERN = /\b(Bearer)\s+([A-Za-z0-9_\-.=+/~]{20,})/gi;

/** `NAME=value` / `NAME: value` where NAME is an environment-style (upper-case) secret name. */
const ENV_ASSIGNMENT_PATTERN =
  /\b([A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|APIKEY|ACCESS_KEY|ACCESS_KEY_ID|PRIVATE_KEY|CREDENTIALS?)[A-Z0-9_]*)(\s*[=:]\s*)(["']?)([^\s"'`]+)\3/g;

/** `"key": "value"` in JSON text. */
const JSON_PAIR_PATTERN = /"([A-Za-z0-9_.-]{1,64})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

/** `key="value"` / `key: 'value'` (code, YAML) for lower- or camel-case secret names. */
const QUOTED_ASSIGNMENT_PATTERN = /\b([A-Za-z][A-Za-z0-9_]{1,63})(\s*[=:]\s*)(["'])([^"'\n]{1,512})\3/g;

/** Tokenizer special tokens are configuration, not credentials. */
const NOT_SECRET_KEY =
  /(?:^|_)(?:pad|eos|bos|unk|mask|sep|cls|special|start|end|chat|image|audio|video|max|num|total|n)_token(?:_id)?$/;

const SECRET_KEY =
  /(?:^|_)(?:token|secret|secret_key|password|passwd|pass_phrase|passphrase|api_key|apikey|access_key|access_key_id|private_key|client_secret|authorization|credentials?|session_token|refresh_token|access_token|auth_token|bearer)$/;

/** Whether an object key or variable name names a credential (`hfToken`, `API_KEY`, `client_secret`). */
export function isSecretKeyName(name: string): boolean {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toLowerCase();
  if (NOT_SECRET_KEY.test(snake)) return false;
  return SECRET_KEY.test(snake);
}

/** Quick pre-checks: a text without these words cannot hold the corresponding key/value or header forms. */
const HEADER_HINT = /authorization|api-key|token/i;
const ENV_HINT = /TOKEN|SECRET|PASSW|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL/;
const KEY_HINT =
  /token|secret|passw|pass_?phrase|api[_-]?key|access_?key|private_?key|credential|authorization|bearer/i;

const isPlaceholder = (value: string): boolean =>
  value === "" ||
  value.startsWith("$") ||
  value.startsWith("[REDACTED") ||
  value.startsWith("<") ||
  value === "***";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function buildLiteralPattern(secrets: RedactorOptions["secrets"]): RegExp | undefined {
  const values = [
    ...new Set(
      (secrets ?? []).filter(
        (s): s is string => typeof s === "string" && s.length >= MIN_LITERAL_SECRET_LENGTH,
      ),
    ),
  ].sort((a, b) => b.length - a.length);
  if (values.length === 0) return undefined;
  return new RegExp(values.map(escapeRegExp).join("|"), "g");
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const literal = buildLiteralPattern(options.secrets);

  const redact = (text: string): string => {
    if (text.length === 0) return text;
    let out = literal ? text.replace(literal, REDACTED) : text;
    for (const { regex, replacement, hint } of TOKEN_PATTERNS) {
      if (out.includes(hint)) out = out.replace(regex, replacement);
    }
    const bearer = /bearer/i.test(out);
    if (!bearer && !KEY_HINT.test(out)) return out;
    if (bearer || HEADER_HINT.test(out)) {
      out = out.replace(
        HEADER_PATTERN,
        (match, name: string, sep: string, scheme: string | undefined, cred: string) =>
          isPlaceholder(cred) ? match : `${name}${sep}${scheme ? `${scheme} ` : ""}${REDACTED}`,
      );
    }
    if (bearer) {
      out = out.replace(BEARER_PATTERN, (match, word: string, cred: string) =>
        isPlaceholder(cred) ? match : `${word} ${REDACTED}`,
      );
    }
    if (ENV_HINT.test(out)) {
      out = out.replace(
        ENV_ASSIGNMENT_PATTERN,
        (match, name: string, sep: string, quote: string, value: string) =>
          isPlaceholder(value) ? match : `${name}${sep}${quote}${REDACTED}${quote}`,
      );
    }
    out = out.replace(JSON_PAIR_PATTERN, (match, key: string, sep: string, value: string) =>
      isPlaceholder(value) || !isSecretKeyName(key) ? match : `"${key}"${sep}"${REDACTED}"`,
    );
    out = out.replace(
      QUOTED_ASSIGNMENT_PATTERN,
      (match, key: string, sep: string, quote: string, value: string) =>
        isPlaceholder(value) || !isSecretKeyName(key) ? match : `${key}${sep}${quote}${REDACTED}${quote}`,
    );
    return out;
  };

  const deep = (value: unknown, seen: WeakMap<object, unknown>): unknown => {
    if (typeof value === "string") return redact(value);
    if (value === null || typeof value !== "object") return value;
    const cached = seen.get(value);
    if (cached !== undefined) return cached;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      for (const item of value) out.push(deep(item, seen));
      return out;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        typeof item === "string" && isSecretKeyName(key) && !isPlaceholder(item)
          ? REDACTED
          : deep(item, seen);
    }
    return out;
  };

  return {
    redact,
    redactDeep: <T>(value: T): T => deep(value, new WeakMap()) as T,
  };
}
