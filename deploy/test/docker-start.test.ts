/**
 * The Dockerfile's start command starts the server its HEALTHCHECK probes. There is no Docker engine here, so the
 * final stage's ENTRYPOINT + CMD run from the checkout (WORKDIR → repository root, image port → a free port)
 * with the image's ENV; then /health is fetched, the HEALTHCHECK command is run as Docker would, and /mcp is
 * checked for bearer-token auth. The Fargate template's command override is run the same way in stateless mode.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { finalStage, startCommand } from "../src/dockerfile.ts";
import { expandList } from "../src/iam-checks.ts";
import { isRecord, recordAt } from "../src/json.ts";
import { checkTemplate } from "../src/template-checks.ts";
import {
  freePort,
  type LocalServer,
  startLocalServer,
  type Translation,
  toLocalArgv,
} from "./lib/local-server.ts";
import { DOCKERFILE, FARGATE_TEMPLATE, REPO_ROOT } from "./lib/paths.ts";

const STARTUP_MS = 30_000;
const TEST_MS = 60_000;
const MCP_TOKEN = `deploy-check-${crypto.randomUUID()}`;

const stage = finalStage(await Bun.file(DOCKERFILE).text());
const imageArgv = startCommand(stage);
const imagePort = imageArgv[imageArgv.indexOf("--port") + 1] ?? "";

/** What the container would get: the image ENV plus what the stacks inject (fake credentials, no network). */
function serverEnv(): Record<string, string> {
  const { HOME: _home, ...imageEnv } = stage.env;
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    ...imageEnv,
    ML_INTERN_MCP_TOKEN: MCP_TOKEN,
    HF_TOKEN: "hf_deploycheckfaketokenfaketokenfake",
    ML_INTERN_MODEL: "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIAFAKEDEPLOYCHECK0",
    AWS_SECRET_ACCESS_KEY: "fake-secret-access-key-for-deploy-checks",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

async function runLocally(inImageArgv: string[]): Promise<{ server: LocalServer; translation: Translation }> {
  const translation: Translation = { repoRoot: REPO_ROOT, stage, imagePort, localPort: freePort() };
  const argv = toLocalArgv(inImageArgv, translation);
  const cwd = toLocalArgv([stage.workdir ?? "/"], translation)[0] ?? REPO_ROOT;
  const server = await startLocalServer(argv, {
    cwd,
    env: serverEnv(),
    port: translation.localPort,
    timeoutMs: STARTUP_MS,
  });
  return { server, translation };
}

/** Runs the HEALTHCHECK command the way Docker does and returns its exit code. */
async function runHealthCheck(translation: Translation): Promise<number> {
  const probe = stage.healthcheck?.command;
  if (probe?.form !== "exec") throw new Error("the HEALTHCHECK must use the exec form");
  const proc = Bun.spawn(toLocalArgv(probe.argv, translation), {
    cwd: REPO_ROOT,
    env: serverEnv(),
    stdout: "ignore",
    stderr: "ignore",
  });
  const timeoutMs = Number.parseInt(stage.healthcheck?.options.timeout ?? "5", 10) * 1000 + 5_000;
  const code = await Promise.race([proc.exited, Bun.sleep(timeoutMs).then(() => -1)]);
  if (code === -1) proc.kill("SIGKILL");
  return code;
}

function mcpPost(baseUrl: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${baseUrl}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}

/** The JSON-RPC message of a Streamable HTTP response, whether sent as JSON or as one SSE event. */
async function jsonRpcOf(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  const payload = (res.headers.get("content-type") ?? "").includes("text/event-stream")
    ? text
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trim())
        .find((l) => l.startsWith("{"))
    : text;
  const parsed: unknown = JSON.parse(payload ?? "null");
  if (!isRecord(parsed)) throw new Error(`not a JSON-RPC message: ${text.slice(0, 500)}`);
  return parsed;
}

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "ml-intern-deploy-checks", version: "0.0.0" },
  },
};

describe("Dockerfile start command (run locally)", () => {
  let running: { server: LocalServer; translation: Translation } | undefined;

  beforeAll(async () => {
    running = await runLocally(imageArgv);
  }, TEST_MS);

  afterAll(async () => {
    await running?.server.stop();
  });

  test(
    "serves /health with 200 and no token",
    async () => {
      const res = await fetch(`${running!.server.baseUrl}/health`);
      expect(res.status).toBe(200);
    },
    TEST_MS,
  );

  test(
    "passes the image's own HEALTHCHECK command",
    async () => {
      expect(await runHealthCheck(running!.translation)).toBe(0);
    },
    TEST_MS,
  );

  test(
    "refuses /mcp without the bearer token, or with a wrong one",
    async () => {
      const none = await mcpPost(running!.server.baseUrl, INITIALIZE);
      expect(none.status).toBe(401);
      const wrong = await mcpPost(running!.server.baseUrl, INITIALIZE, `${MCP_TOKEN}-wrong`);
      expect([401, 403]).toContain(wrong.status);
    },
    TEST_MS,
  );

  test(
    "initializes an MCP session with the bearer token",
    async () => {
      const res = await mcpPost(running!.server.baseUrl, INITIALIZE, MCP_TOKEN);
      expect(res.status).toBe(200);
      const message = await jsonRpcOf(res);
      expect(recordAt(message.result, "serverInfo").name).toEqual(expect.any(String));
      expect(running!.server.output()).not.toContain(MCP_TOKEN);
    },
    TEST_MS,
  );

  test(
    "the HEALTHCHECK fails once the server is gone",
    async () => {
      await running!.server.stop();
      expect(await runHealthCheck(running!.translation)).not.toBe(0);
    },
    TEST_MS,
  );
});

describe("Fargate task command (image ENTRYPOINT + template Command, stateless)", () => {
  let server: LocalServer | undefined;

  beforeAll(async () => {
    const { template } = checkTemplate(await Bun.file(FARGATE_TEMPLATE).text());
    const taskDefinition = recordAt(recordAt(template, "Resources"), "TaskDefinition");
    const containers = expandList(recordAt(taskDefinition, "Properties").ContainerDefinitions).filter(
      isRecord,
    );
    const command = containers[0]?.Command;
    if (!Array.isArray(command)) throw new Error("the task definition's container has no Command");
    const entrypoint = stage.entrypoint?.form === "exec" ? stage.entrypoint.argv : [];
    ({ server } = await runLocally([...entrypoint, ...command.map(String)]));
  }, TEST_MS);

  afterAll(async () => {
    await server?.stop();
  });

  test(
    "answers a request that carries no session, as a fresh replica behind the load balancer must",
    async () => {
      const res = await mcpPost(server!.baseUrl, { jsonrpc: "2.0", id: 7, method: "tools/list" }, MCP_TOKEN);
      expect(res.status).toBe(200);
      const message = await jsonRpcOf(res);
      expect(message.id).toBe(7);
      expect(Array.isArray(recordAt(message, "result").tools)).toBe(true);
    },
    TEST_MS,
  );
});
