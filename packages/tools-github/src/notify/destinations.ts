import { z } from "zod";
import type { Env } from "../config.ts";

/** A place notify may send to. The URL is a secret (Slack webhook URLs embed a token): never print it. */
export interface NotifyDestination {
  /** Name the model uses, `a-z 0-9 . _ -`. */
  name: string;
  kind: "slack-webhook" | "webhook";
  url: string;
  /** Extra headers for generic webhooks (e.g. an Authorization header). */
  headers?: Record<string, string>;
}

export const DESTINATION_NAME = /^[a-z0-9._-]+$/;

const destinationSchema = z.object({
  name: z.string().regex(DESTINATION_NAME, "names may only use a-z 0-9 . _ -"),
  kind: z.enum(["slack-webhook", "webhook"]),
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).optional(),
});

/** Validates destinations from a config file; throws with the offending entry named. */
export function parseNotifyDestinations(value: unknown): NotifyDestination[] {
  const parsed = z.array(destinationSchema).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") ?? "";
    throw new Error(`Invalid notify destinations at [${where}]: ${issue?.message ?? "invalid"}`);
  }
  const seen = new Set<string>();
  for (const d of parsed.data) {
    if (seen.has(d.name)) throw new Error(`Duplicate notify destination "${d.name}".`);
    seen.add(d.name);
  }
  return parsed.data;
}

/**
 * Destinations from the environment:
 * - ML_INTERN_SLACK_WEBHOOK_URL -> "slack" (a Slack incoming webhook)
 * - ML_INTERN_NOTIFY_WEBHOOK_URL -> "webhook" (generic JSON POST)
 * - ML_INTERN_NOTIFY_DESTINATIONS -> a JSON array of {name, kind, url, headers?} for more.
 */
export function notifyDestinationsFromEnv(env: Env): NotifyDestination[] {
  const out: NotifyDestination[] = [];
  const slack = env.ML_INTERN_SLACK_WEBHOOK_URL?.trim();
  if (slack) out.push({ name: "slack", kind: "slack-webhook", url: slack });
  const hook = env.ML_INTERN_NOTIFY_WEBHOOK_URL?.trim();
  if (hook) out.push({ name: "webhook", kind: "webhook", url: hook });
  const json = env.ML_INTERN_NOTIFY_DESTINATIONS?.trim();
  if (json) {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      throw new Error("ML_INTERN_NOTIFY_DESTINATIONS must be a JSON array of {name, kind, url}.");
    }
    out.push(...(Array.isArray(raw) ? raw : [raw]));
  }
  return parseNotifyDestinations(out);
}
