import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { SandboxRemoteError } from "../errors.ts";
import { SANDBOX_TOKEN_ENV } from "../server/protocol.ts";
import { isHfHost } from "./remote-backend.ts";

/** The Space the sandboxes are duplicated from: a Docker Space running this package's sandbox server. */
export const DEFAULT_TEMPLATE_SPACE = "ml-intern/sandbox-template";
/** Sandbox Spaces are named `<owner>/sandbox-<8 hex>` so a sweeper can find orphans. */
export const SANDBOX_NAME_PATTERN = /^[^/]+\/sandbox-[a-f0-9]{8}$/;
const GPU_SLEEP_SECONDS = 2_700;
const FAILED_STAGES = new Set(["BUILD_ERROR", "RUNTIME_ERROR", "CONFIG_ERROR", "NO_APP_FILE", "DELETING"]);

export interface SpaceRuntime {
  stage: string;
  hardware?: { current?: string | null; requested?: string | null } | null;
  domains?: { domain: string; stage?: string }[];
}

export interface SpaceProvisionerOptions {
  hfToken: string;
  /** Hub base URL; default https://huggingface.co */
  hubUrl?: string;
  fetch?: typeof fetch;
  templateSpace?: string;
  pollIntervalMs?: number;
  waitTimeoutMs?: number;
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  deleteRetryDelaysMs?: readonly number[];
  /** Base URL of a running Space's own server; default https://<domain from runtime or slug>. */
  spaceUrl?: (spaceId: string, runtime: SpaceRuntime) => string;
  now?: () => number;
  randomHex?: () => string;
  randomToken?: () => string;
}

export interface CreateSpaceOptions {
  hardware: string;
  signal?: AbortSignal;
  /** Extra Space secrets (e.g. TRACKIO_SPACE_ID); empty values are dropped. */
  secrets?: Record<string, string | undefined>;
  log?: (message: string) => void;
}

export interface ProvisionedSpace {
  spaceId: string;
  /** Base URL of the sandbox server. */
  url: string;
  hardware: string;
  sandboxToken: string;
  createdAt: number;
}

export interface SpaceProvisioner {
  readonly hfToken: string;
  create(options: CreateSpaceOptions): Promise<ProvisionedSpace>;
  delete(spaceId: string, log?: (message: string) => void): Promise<boolean>;
}

export class SandboxCreationCancelledError extends Error {
  override readonly name = "SandboxCreationCancelledError";
  constructor() {
    super("Sandbox creation cancelled by user.");
  }
}

/** node:timers/promises' wait; an abort (the AbortError) is reported as the cancelled creation. */
async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throw new SandboxCreationCancelledError();
    throw error;
  }
}

const slug = (spaceId: string) => spaceId.toLowerCase().replace(/[/_.]/g, "-");

export function defaultSpaceUrl(spaceId: string, runtime: SpaceRuntime): string {
  const domain = runtime.domains?.find((d) => d.stage === "READY")?.domain ?? runtime.domains?.[0]?.domain;
  return `https://${domain ?? `${slug(spaceId)}.hf.space`}`;
}

/** Creates and deletes private sandbox Spaces through the Hub API. */
export function createSpaceProvisioner(options: SpaceProvisionerOptions): SpaceProvisioner {
  const hub = (options.hubUrl ?? "https://huggingface.co").replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const template = options.templateSpace ?? DEFAULT_TEMPLATE_SPACE;
  const pollMs = options.pollIntervalMs ?? 5_000;
  const waitMs = options.waitTimeoutMs ?? 600_000;
  const healthMs = options.healthIntervalMs ?? 3_000;
  const healthTimeoutMs = options.healthTimeoutMs ?? 180_000;
  const now = options.now ?? Date.now;
  const randomHex = options.randomHex ?? (() => randomBytes(4).toString("hex"));
  const randomToken = options.randomToken ?? (() => randomBytes(32).toString("base64url"));
  const spaceUrl = options.spaceUrl ?? defaultSpaceUrl;
  const locks = new Map<string, Promise<unknown>>();

  const hubFetch = (path: string, init: RequestInit = {}) =>
    doFetch(`${hub}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${options.hfToken}`,
        "content-type": "application/json",
        ...init.headers,
      },
    });

  async function hubError(response: Response, what: string): Promise<SandboxRemoteError> {
    const body = await response.text().catch(() => "");
    let detail = body.slice(0, 300);
    try {
      const json = JSON.parse(body) as { error?: string };
      if (json.error) detail = json.error;
    } catch {}
    return new SandboxRemoteError(`${what} failed (HTTP ${response.status}): ${detail}`, response.status);
  }

  async function whoami(): Promise<string> {
    const response = await hubFetch("/api/whoami-v2");
    if (!response.ok) throw await hubError(response, "Hugging Face whoami");
    const me = (await response.json()) as { name?: string; user?: string };
    const name = me.name ?? me.user;
    if (!name) throw new SandboxRemoteError("Cannot tell who owns this HF token.");
    return name;
  }

  async function deleteSpace(spaceId: string, log?: (m: string) => void): Promise<boolean> {
    const [organization, name] = spaceId.split("/") as [string, string];
    const delays = options.deleteRetryDelaysMs ?? [1_000, 2_000];
    log?.(`Deleting sandbox: ${spaceId}`);
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await sleep(delays[attempt - 1] as number);
      try {
        const response = await hubFetch("/api/repos/delete", {
          method: "DELETE",
          body: JSON.stringify({ name, organization, type: "space" }),
        });
        if (response.ok || response.status === 404) {
          log?.("Deleted.");
          return true;
        }
      } catch {}
    }
    log?.(`Could not delete ${spaceId}; an orphan sweep (name pattern sandbox-<8 hex>) will find it.`);
    return false;
  }

  async function waitForRunning(
    spaceId: string,
    hardware: string,
    signal: AbortSignal | undefined,
    log: (m: string) => void,
  ): Promise<SpaceRuntime> {
    const deadline = now() + waitMs;
    let lastStage = "";
    for (;;) {
      if (signal?.aborted) throw new SandboxCreationCancelledError();
      const response = await hubFetch(`/api/spaces/${spaceId}/runtime`, { signal });
      if (response.status === 404) {
        await response.body?.cancel();
      } else if (!response.ok) {
        throw await hubError(response, `Reading the runtime of ${spaceId}`);
      } else {
        const runtime = (await response.json()) as SpaceRuntime;
        const current = runtime.hardware?.current ?? null;
        if (FAILED_STAGES.has(runtime.stage)) {
          throw new SandboxRemoteError(
            `Space failed to start: ${runtime.stage}. Check https://huggingface.co/spaces/${spaceId}`,
          );
        }
        if (runtime.stage === "RUNNING" && current === hardware) return runtime;
        const stage =
          runtime.stage === "RUNNING"
            ? `RUNNING on ${current ?? "unknown"}; waiting for ${hardware}`
            : runtime.stage;
        if (stage !== lastStage) log(`  ${stage}...`);
        lastStage = stage;
      }
      if (now() >= deadline) {
        throw new SandboxRemoteError(
          `Space ${spaceId} did not reach RUNNING on ${hardware} within ${waitMs / 1000}s.`,
        );
      }
      await sleep(pollMs, signal);
    }
  }

  async function waitForHealth(url: string, signal: AbortSignal | undefined, log: (m: string) => void) {
    const deadline = now() + healthTimeoutMs;
    // The Space this provisioner just created: tools-hf's one host check, via the remote backend's.
    const headers: Record<string, string> = isHfHost(url)
      ? { authorization: `Bearer ${options.hfToken}` }
      : {};
    for (;;) {
      try {
        const response = await doFetch(`${url}/api/health`, {
          headers,
          signal: signal
            ? AbortSignal.any([signal, AbortSignal.timeout(10_000)])
            : AbortSignal.timeout(10_000),
        });
        if (response.ok) {
          const body = (await response.json().catch(() => ({}))) as { status?: string };
          if (body.status === "ok") return;
        } else await response.body?.cancel();
      } catch {
        if (signal?.aborted) throw new SandboxCreationCancelledError();
      }
      if (now() >= deadline) {
        log(`Warning: the sandbox API did not answer its health check within ${healthTimeoutMs / 1000}s.`);
        return;
      }
      await sleep(healthMs, signal);
    }
  }

  async function createUnlocked(owner: string, request: CreateSpaceOptions): Promise<ProvisionedSpace> {
    const log = request.log ?? (() => {});
    const { signal, hardware } = request;
    const spaceId = `${owner}/sandbox-${randomHex()}`;
    const sandboxToken = randomToken();
    const secrets = [
      { key: "HF_TOKEN", value: options.hfToken },
      { key: SANDBOX_TOKEN_ENV, value: sandboxToken },
      ...Object.entries(request.secrets ?? {})
        .filter((e): e is [string, string] => Boolean(e[1]))
        .map(([key, value]) => ({ key, value })),
    ];
    log(`Creating sandbox ${spaceId} (${hardware})...`);
    if (signal?.aborted) throw new SandboxCreationCancelledError();
    // Secrets travel with the duplicate request, so they exist before the server first starts.
    const duplicate = await hubFetch(`/api/spaces/${template}/duplicate`, {
      method: "POST",
      body: JSON.stringify({
        repository: spaceId,
        private: true,
        visibility: "private",
        hardware,
        ...(hardware === "cpu-basic" ? {} : { sleepTimeSeconds: GPU_SLEEP_SECONDS }),
        secrets,
      }),
    });
    if (!duplicate.ok) throw await hubError(duplicate, `Duplicating ${template}`);
    await duplicate.body?.cancel();
    log(`Space created: https://huggingface.co/spaces/${spaceId}`);
    try {
      log(`Waiting for Space to start (timeout: ${waitMs / 1000}s)...`);
      const runtime = await waitForRunning(spaceId, hardware, signal, log);
      const url = spaceUrl(spaceId, runtime).replace(/\/+$/, "");
      await waitForHealth(url, signal, log);
      if (signal?.aborted) throw new SandboxCreationCancelledError();
      log(`Sandbox ready: ${spaceId} (${url})`);
      return { spaceId, url, hardware, sandboxToken, createdAt: now() };
    } catch (error) {
      await deleteSpace(spaceId, log);
      if (signal?.aborted) throw new SandboxCreationCancelledError();
      throw error;
    }
  }

  return {
    hfToken: options.hfToken,
    async create(request) {
      const owner = await whoami();
      // Concurrent private duplications for one owner misbehave: serialise them.
      const previous = locks.get(owner) ?? Promise.resolve();
      const mine = previous.catch(() => undefined).then(() => createUnlocked(owner, request));
      locks.set(owner, mine);
      try {
        return await mine;
      } finally {
        if (locks.get(owner) === mine) locks.delete(owner);
      }
    },
    delete: deleteSpace,
  };
}
