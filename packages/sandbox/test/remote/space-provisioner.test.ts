import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startFakeSpaceHub } from "@ml-intern/testing/sandbox/fake-space-hub";
import { createTempDir, type TempDir } from "@ml-intern/testing/temp-dir";
import type { SandboxBackend } from "../../src/backend.ts";
import { createLocalBackend } from "../../src/local/local-backend.ts";
import { createRemoteSandboxManager } from "../../src/remote/remote-sandbox-manager.ts";
import {
  createSpaceProvisioner,
  SANDBOX_NAME_PATTERN,
  SandboxCreationCancelledError,
  type SpaceProvisionerOptions,
} from "../../src/remote/space-provisioner.ts";
import { type RunningSandboxServer, startSandboxServer } from "../../src/server/sandbox-server.ts";
import { createSandboxTools } from "../../src/tools/create-sandbox-tools.ts";
import { toolRunner, waitFor } from "../lib/harness.ts";

const HF_TOKEN = "hf_test_token";
const SANDBOX_TOKEN = "k".repeat(43);

let dir: TempDir;
let inner: SandboxBackend;
let sandboxServer: RunningSandboxServer;

beforeAll(async () => {
  dir = await createTempDir("sandbox-space-");
  inner = await createLocalBackend({ workspace: dir.path, isolation: "none", warn: () => {} });
  sandboxServer = await startSandboxServer({ token: SANDBOX_TOKEN, backend: inner, port: 0 });
});
afterAll(async () => {
  await sandboxServer.stop();
  await inner.dispose();
  await dir[Symbol.asyncDispose]();
});

const fastOptions = (hubUrl: string): SpaceProvisionerOptions => ({
  hfToken: HF_TOKEN,
  hubUrl,
  pollIntervalMs: 1,
  healthIntervalMs: 1,
  healthTimeoutMs: 2_000,
  deleteRetryDelaysMs: [1, 1],
  randomToken: () => SANDBOX_TOKEN,
  spaceUrl: () => sandboxServer.url,
});

describe("Space provisioner", () => {
  test("duplicates privately with secrets, tolerates 404 before visible, waits BUILDING -> RUNNING", async () => {
    await using hub = await startFakeSpaceHub({
      script: () => ({
        notVisiblePolls: 2,
        stages: [
          { stage: "BUILDING", current: null },
          { stage: "APP_STARTING", current: null },
          { stage: "RUNNING" },
        ],
      }),
    });
    const logs: string[] = [];
    const space = await createSpaceProvisioner(fastOptions(hub.url)).create({
      hardware: "cpu-basic",
      log: (m) => logs.push(m),
      secrets: { TRACKIO_PROJECT: "p", EMPTY: "" },
    });
    expect(space.spaceId).toMatch(SANDBOX_NAME_PATTERN);
    expect(space.spaceId.startsWith("alice/sandbox-")).toBe(true);
    expect(space.url).toBe(sandboxServer.url);
    const fake = hub.spaces.get(space.spaceId);
    expect(fake?.runtimePolls).toBe(5);
    expect(fake?.duplicateBody).toMatchObject({
      repository: space.spaceId,
      private: true,
      hardware: "cpu-basic",
    });
    expect(fake?.duplicateBody.sleepTimeSeconds).toBeUndefined();
    expect(fake?.duplicateBody.secrets).toEqual([
      { key: "HF_TOKEN", value: HF_TOKEN },
      { key: "SANDBOX_API_TOKEN", value: SANDBOX_TOKEN },
      { key: "TRACKIO_PROJECT", value: "p" },
    ]);
    expect(hub.server.requestsTo("/api/spaces/ml-intern/sandbox-template/duplicate")).toHaveLength(1);
    expect(logs.some((l) => l.includes("BUILDING"))).toBe(true);
    expect(logs.join("\n")).not.toContain(HF_TOKEN);
  });

  test("RUNNING on the wrong hardware is not ready; GPU sandboxes get a sleep time", async () => {
    await using hub = await startFakeSpaceHub({
      script: () => ({
        stages: [
          { stage: "RUNNING", current: "cpu-basic" },
          { stage: "RUNNING", current: "t4-small" },
        ],
      }),
    });
    const logs: string[] = [];
    const space = await createSpaceProvisioner(fastOptions(hub.url)).create({
      hardware: "t4-small",
      log: (m) => logs.push(m),
    });
    expect(hub.spaces.get(space.spaceId)?.runtimePolls).toBe(2);
    expect(hub.spaces.get(space.spaceId)?.duplicateBody.sleepTimeSeconds).toBe(2700);
    expect(logs.some((l) => l.includes("RUNNING on cpu-basic; waiting for t4-small"))).toBe(true);
  });

  test("a build error fails with the stage and deletes the Space", async () => {
    await using hub = await startFakeSpaceHub({
      script: () => ({
        stages: [
          { stage: "BUILDING", current: null },
          { stage: "BUILD_ERROR", current: null },
        ],
      }),
    });
    const failure = await createSpaceProvisioner(fastOptions(hub.url))
      .create({ hardware: "cpu-basic" })
      .catch((e: Error) => e);
    expect((failure as Error).message).toContain("Space failed to start: BUILD_ERROR");
    const [space] = [...hub.spaces.values()];
    expect(space?.deleted).toBe(true);
  });

  test("cancelling a creation deletes the half-made Space", async () => {
    await using hub = await startFakeSpaceHub({
      script: () => ({ stages: [{ stage: "BUILDING", current: null }] }),
    });
    const controller = new AbortController();
    const pending = createSpaceProvisioner({ ...fastOptions(hub.url), pollIntervalMs: 5 })
      .create({ hardware: "a10g-small", signal: controller.signal })
      .catch((e: Error) => e);
    await waitFor(() => [...hub.spaces.values()].some((s) => s.runtimePolls >= 2), { what: "polling" });
    controller.abort();
    expect(await pending).toBeInstanceOf(SandboxCreationCancelledError);
    expect([...hub.spaces.values()][0]?.deleted).toBe(true);
  });

  test("deletion is retried", async () => {
    await using hub = await startFakeSpaceHub({ deleteFailures: 2 });
    const provisioner = createSpaceProvisioner(fastOptions(hub.url));
    const space = await provisioner.create({ hardware: "cpu-basic" });
    expect(await provisioner.delete(space.spaceId)).toBe(true);
    expect(hub.deleteAttempts).toBe(3);
    expect(hub.spaces.get(space.spaceId)?.deleted).toBe(true);
  });

  test("a bad HF token is reported", async () => {
    await using hub = await startFakeSpaceHub({ token: "other" });
    const failure = await createSpaceProvisioner(fastOptions(hub.url))
      .create({ hardware: "cpu-basic" })
      .catch((e: Error) => e);
    expect((failure as Error).message).toContain("HTTP 401");
    expect((failure as Error).message).not.toContain(HF_TOKEN);
  });
});

describe("remote mode tools", () => {
  test("bash auto-creates cpu-basic; sandbox_create needs spend approval, replaces it, then locks hardware", async () => {
    await using hub = await startFakeSpaceHub();
    const sandboxes = createRemoteSandboxManager({
      provisioner: createSpaceProvisioner(fastOptions(hub.url)),
    });
    const tools = createSandboxTools({ mode: "remote", sandboxes });
    expect(tools.tools.map((t) => t.name)).toEqual(["bash", "read", "write", "edit", "sandbox_create"]);
    const create = tools.tools.find((t) => t.name === "sandbox_create");
    expect(create?.needsApproval?.({ hardware: "cpu-basic" })).toBeNull();
    expect(create?.needsApproval?.({})).toBeNull();
    expect(create?.needsApproval?.({ hardware: "t4-small" })).toMatchObject({
      kind: "spend",
      estimatedCostUsd: 0.6,
    });
    expect(create?.needsApproval?.({ hardware: "cpu-upgrade" })?.estimatedCostUsd).toBe(0.05);
    const run = toolRunner(tools.tools);
    expect((await run("bash", { command: "echo remote" })).text).toBe("remote\n");
    const first = sandboxes.active()?.space.spaceId as string;
    expect(hub.spaces.get(first)?.duplicateBody.hardware).toBe("cpu-basic");
    const gpu = await run("sandbox_create", { hardware: "t4-small" });
    expect(gpu.text).toContain("Sandbox created:");
    expect(gpu.text).toContain("Hardware: t4-small");
    expect(hub.spaces.get(first)?.deleted).toBe(true);
    const again = await run("sandbox_create", { hardware: "a100-large" });
    expect(again.text).toContain("cannot be changed");
    expect(again.text).toContain("a100-large");
    const same = await run("sandbox_create", {});
    expect(same.text).toContain("Sandbox already active");
    const second = sandboxes.active()?.space.spaceId as string;
    await tools.dispose();
    expect(hub.spaces.get(second)?.deleted).toBe(true);
    expect(create?.input.safeParse({ hardware: "not-a-flavor" }).success).toBe(false);
  });
});
