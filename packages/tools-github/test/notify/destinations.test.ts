import { describe, expect, test } from "bun:test";
import { notifyDestinationsFromEnv, parseNotifyDestinations } from "../../src/notify/destinations.ts";

describe("notify destinations", () => {
  test("from env: slack webhook, generic webhook and a JSON list", () => {
    const destinations = notifyDestinationsFromEnv({
      ML_INTERN_SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x",
      ML_INTERN_NOTIFY_WEBHOOK_URL: "https://ops.example.com/hook",
      ML_INTERN_NOTIFY_DESTINATIONS: JSON.stringify([
        { name: "team.alerts", kind: "webhook", url: "https://a.io/h" },
      ]),
    });
    expect(destinations.map((d) => [d.name, d.kind])).toEqual([
      ["slack", "slack-webhook"],
      ["webhook", "webhook"],
      ["team.alerts", "webhook"],
    ]);
  });

  test("none configured gives an empty list", () => {
    expect(notifyDestinationsFromEnv({})).toEqual([]);
  });

  test("invalid names, URLs and duplicates are rejected without echoing the URL", () => {
    expect(() =>
      parseNotifyDestinations([{ name: "Slack Ops", kind: "webhook", url: "https://a.io" }]),
    ).toThrow("a-z 0-9");
    let message = "";
    try {
      parseNotifyDestinations([{ name: "x", kind: "webhook", url: "ftp://secret-host/abc" }]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("Invalid notify destinations");
    expect(message).not.toContain("secret-host");
    expect(() =>
      parseNotifyDestinations([
        { name: "a", kind: "webhook", url: "https://a.io" },
        { name: "a", kind: "webhook", url: "https://b.io" },
      ]),
    ).toThrow("Duplicate");
    expect(() => notifyDestinationsFromEnv({ ML_INTERN_NOTIFY_DESTINATIONS: "{oops" })).toThrow("JSON array");
  });
});
