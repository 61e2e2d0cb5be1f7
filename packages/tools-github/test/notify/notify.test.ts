import { afterEach, describe, expect, test } from "bun:test";
import { type FakeWebhook, startFakeWebhook } from "@ml-intern/testing/github/fake-webhook";
import type { NotifyDestination } from "../../src/notify/destinations.ts";
import { createNotifyTool } from "../../src/notify/notify.ts";
import { runChecked } from "../lib/checked.ts";
import { makeCtx, recordingSleep } from "../lib/context.ts";

const servers: FakeWebhook[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function hook(flavor: "slack" | "generic", failures?: number[]): Promise<FakeWebhook> {
  const server = await startFakeWebhook({ flavor, failures });
  servers.push(server);
  return server;
}

function tool(destinations: NotifyDestination[]) {
  const clock = recordingSleep();
  const t = createNotifyTool({
    destinations,
    sleep: clock.sleep,
    now: () => new Date("2026-03-01T12:00:00Z"),
  });
  return { clock, run: (args: Record<string, unknown>) => runChecked(t, args, makeCtx()), t };
}

describe("notify", () => {
  test("sends Slack mrkdwn with severity and title to a Slack incoming webhook", async () => {
    const slack = await hook("slack");
    const { run } = tool([
      { name: "slack", kind: "slack-webhook", url: `${slack.url}/services/T0/B0/secret` },
    ]);
    const result = await run({
      message: "Job **done**: see [logs](https://hf.co/jobs/1)",
      title: "Training finished",
      severity: "success",
    });
    expect(result.text).toBe("slack: sent");
    expect(result.isError).toBeUndefined();
    const [payload] = (await slack.waitForPayloads(1)) as Array<{ text: string; unfurl_links: boolean }>;
    expect(payload?.text).toContain("*[SUCCESS] Training finished*");
    expect(payload?.text).toContain("Job *done*: see <https://hf.co/jobs/1|logs>");
    expect(payload?.text).toContain("session_1");
    expect(payload?.unfurl_links).toBe(false);
  });

  test("sends JSON to a generic webhook with its headers", async () => {
    const generic = await hook("generic");
    const { run } = tool([
      {
        name: "ops",
        kind: "webhook",
        url: `${generic.url}/notify`,
        headers: { authorization: "Bearer hook-secret" },
      },
    ]);
    await run({ message: "Eval regressed", severity: "warning" });
    const [payload] = await generic.waitForPayloads(1);
    expect(payload).toEqual({
      source: "ml-intern",
      title: null,
      message: "Eval regressed",
      severity: "warning",
      session_id: "session_1",
      sent_at: "2026-03-01T12:00:00.000Z",
    });
    expect(generic.requests[0]?.headers.get("authorization")).toBe("Bearer hook-secret");
  });

  test("retries 5xx and 429 with backoff, then succeeds", async () => {
    const generic = await hook("generic", [500, 429]);
    const { run, clock } = tool([{ name: "ops", kind: "webhook", url: generic.url }]);
    const result = await run({ message: "hello" });
    expect(result.text).toBe("ops: sent");
    expect(clock.delays).toEqual([1000, 2000]);
    expect(generic.requests).toHaveLength(3);
  });

  test("a 4xx fails at once, names the destination and never leaks the webhook URL", async () => {
    const slack = await hook("slack", [404]);
    const ok = await hook("generic");
    const url = `${slack.url}/services/T0/B0/very-secret-token`;
    const { run, clock } = tool([
      { name: "slack", kind: "slack-webhook", url },
      { name: "ops", kind: "webhook", url: ok.url },
    ]);
    const result = await run({ message: "hello" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("slack: failed (HTTP 404 no_service)");
    expect(result.text).toContain("ops: sent");
    expect(result.text).not.toContain("very-secret-token");
    expect(JSON.stringify(result.structured)).not.toContain("very-secret-token");
    expect(clock.delays).toEqual([]);
  });

  test("only configured destinations may be used; duplicates are sent once", async () => {
    const generic = await hook("generic");
    const { run } = tool([{ name: "ops", kind: "webhook", url: generic.url }]);
    const unknown = await run({ destinations: ["ops", "email"], message: "x" });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain("Unknown destination(s): email");
    expect(generic.requests).toHaveLength(0);
    const dup = await run({ destinations: ["ops", " ops "], message: "x" });
    expect(dup.text).toBe("ops: sent");
    expect(generic.requests).toHaveLength(1);
  });

  test("never needs approval, is open-world and not read-only", () => {
    const { t } = tool([{ name: "ops", kind: "webhook", url: "http://127.0.0.1:1" }]);
    expect(t.needsApproval?.(t.input.parse({ message: "x" }))).toBeNull();
    expect(t.annotations).toMatchObject({ openWorldHint: true, readOnlyHint: false, destructiveHint: false });
    expect(t.input.safeParse({ message: "   " }).success).toBe(false);
  });
});
