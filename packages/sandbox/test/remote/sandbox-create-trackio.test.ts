import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startFakeSpaceHub } from "@ml-intern/testing/sandbox/fake-space-hub";
import { createTempDir, type TempDir } from "@ml-intern/testing/temp-dir";
import type { SandboxBackend } from "../../src/backend.ts";
import { createLocalBackend } from "../../src/local/local-backend.ts";
import { createRemoteSandboxManager } from "../../src/remote/remote-sandbox-manager.ts";
import { createSpaceProvisioner } from "../../src/remote/space-provisioner.ts";
import { type RunningSandboxServer, startSandboxServer } from "../../src/server/sandbox-server.ts";
import { createSandboxTools } from "../../src/tools/create-sandbox-tools.ts";
import type { TrackioSeeder } from "../../src/tools/sandbox-create-tool.ts";
import { toolRunner } from "../lib/harness.ts";

const SANDBOX_TOKEN = "t".repeat(43);
let dir: TempDir;
let inner: SandboxBackend;
let server: RunningSandboxServer;

beforeAll(async () => {
  dir = await createTempDir("sandbox-trackio-");
  inner = await createLocalBackend({ workspace: dir.path, isolation: "none", warn: () => {} });
  server = await startSandboxServer({ token: SANDBOX_TOKEN, backend: inner, port: 0 });
});
afterAll(async () => {
  await server.stop();
  await inner.dispose();
  await dir[Symbol.asyncDispose]();
});

describe("sandbox_create with Trackio", () => {
  test("the dashboard is seeded before the sandbox, which gets TRACKIO_* secrets; the result carries the URL", async () => {
    await using hub = await startFakeSpaceHub();
    const order: string[] = [];
    const seedTrackio: TrackioSeeder = async ({ spaceId, project }) => {
      order.push(`seed ${spaceId} ${project}`);
      return { url: `https://huggingface.co/spaces/${spaceId}`, status: "created" };
    };
    const sandboxes = createRemoteSandboxManager({
      provisioner: createSpaceProvisioner({
        hfToken: "hf_test_token",
        hubUrl: hub.url,
        pollIntervalMs: 1,
        healthIntervalMs: 1,
        healthTimeoutMs: 2_000,
        deleteRetryDelaysMs: [1],
        randomToken: () => SANDBOX_TOKEN,
        spaceUrl: () => server.url,
      }),
    });
    const tools = createSandboxTools({ mode: "remote", sandboxes, seedTrackio });
    const run = toolRunner(tools.tools);
    const result = await run("sandbox_create", {
      hardware: "t4-small",
      trackio_space_id: "alice/ml-intern-1a2b3c4d",
      trackio_project: "smoke",
    });
    expect(order).toEqual(["seed alice/ml-intern-1a2b3c4d smoke"]);
    const spaceId = sandboxes.active()?.space.spaceId as string;
    const secrets = hub.spaces.get(spaceId)?.duplicateBody.secrets as { key: string; value: string }[];
    expect(secrets).toContainEqual({ key: "TRACKIO_SPACE_ID", value: "alice/ml-intern-1a2b3c4d" });
    expect(secrets).toContainEqual({ key: "TRACKIO_PROJECT", value: "smoke" });
    expect(result.text).toContain(
      "Trackio dashboard: https://huggingface.co/spaces/alice/ml-intern-1a2b3c4d",
    );
    expect(result.structured?.trackio).toEqual({
      spaceId: "alice/ml-intern-1a2b3c4d",
      project: "smoke",
      url: "https://huggingface.co/spaces/alice/ml-intern-1a2b3c4d",
    });
    const create = tools.tools.find((t) => t.name === "sandbox_create");
    expect(create?.input.safeParse({ trackio_space_id: "no-owner" }).success).toBe(false);
    await tools.dispose();
  });
});
