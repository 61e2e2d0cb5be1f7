import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { FAKE_HF_TOKEN, type FakeHub, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { createTempDir, type TempDir } from "@ml-intern/testing/temp-dir";
import {
  describeHubIdentity,
  resolveHubIdentity,
  settleHubIdentity,
} from "../../src/prompts/hub-identity.ts";

let hub: FakeHub;
let dir: TempDir;

beforeAll(async () => {
  hub = await startFakeHub();
  dir = await createTempDir("hub-identity-");
});
afterAll(async () => {
  await hub.close();
  await dir[Symbol.asyncDispose]();
});

const whoamiCalls = () => hub.server.requests.filter((r) => r.path === "/api/whoami-v2").length;

describe("resolveHubIdentity", () => {
  test("whoami once, then the per-token cache (0600, without the token) answers", async () => {
    const cacheFile = join(dir.path, "identity.json");
    const before = whoamiCalls();
    const first = await resolveHubIdentity({ token: FAKE_HF_TOKEN, hubUrl: hub.url, cacheFile });
    expect(first).toEqual({ status: "resolved", user: "alice", orgs: ["ml-org"] });
    const second = await resolveHubIdentity({ token: FAKE_HF_TOKEN, hubUrl: hub.url, cacheFile });
    expect(second).toEqual(first);
    expect(whoamiCalls() - before).toBe(1);
    expect(readFileSync(cacheFile, "utf8")).not.toContain(FAKE_HF_TOKEN);
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
    // An expired entry is refreshed.
    await resolveHubIdentity({ token: FAKE_HF_TOKEN, hubUrl: hub.url, cacheFile, maxAgeMs: 0 });
    expect(whoamiCalls() - before).toBe(2);
  });

  test("no token: anonymous without a request; a rejected token or a dead Hub: unknown, never a throw", async () => {
    const before = whoamiCalls();
    expect(await resolveHubIdentity({ token: undefined, hubUrl: hub.url })).toEqual({ status: "anonymous" });
    expect(whoamiCalls()).toBe(before);
    expect(await resolveHubIdentity({ token: "hf_wrong", hubUrl: hub.url })).toMatchObject({
      status: "unknown",
      reason: "whoami answered HTTP 401",
    });
    expect(await resolveHubIdentity({ token: "hf_x", hubUrl: "http://127.0.0.1:9" })).toMatchObject({
      status: "unknown",
    });
  });

  test("a Hub that does not answer does not hold up the session", async () => {
    const never = new Promise<never>(() => {});
    const settled = await settleHubIdentity(never, 20);
    expect(settled).toMatchObject({ status: "unknown" });
    expect(describeHubIdentity(settled)).toContain("hf_whoami");
  });

  test("the prompt line names the user and every namespace", () => {
    expect(describeHubIdentity({ status: "resolved", user: "alice", orgs: ["ml-org"] })).toBe(
      "alice (namespaces you can use for repos and jobs: alice, ml-org; default alice)",
    );
    expect(describeHubIdentity({ status: "anonymous" })).toContain("HF_TOKEN");
  });
});
