import type { SandboxBackend } from "../backend.ts";
import type { BackendProvider } from "../tools/backend-provider.ts";
import { createRemoteBackend } from "./remote-backend.ts";
import type { ProvisionedSpace, SpaceProvisioner } from "./space-provisioner.ts";

export const DEFAULT_SANDBOX_HARDWARE = "cpu-basic";

export interface ActiveSandbox {
  space: ProvisionedSpace;
  backend: SandboxBackend;
  /** Created automatically on first use (may be replaced by a sandbox_create with other hardware). */
  automatic: boolean;
}

export type EnsureOutcome =
  | { status: "created" | "existing"; sandbox: ActiveSandbox }
  | { status: "hardware_locked"; sandbox: ActiveSandbox; requested: string };

export interface RemoteSandboxManagerOptions {
  provisioner: SpaceProvisioner;
  /** Connects to a provisioned Space; defaults to createRemoteBackend with the Space's tokens. */
  connect?: (space: ProvisionedSpace) => Promise<SandboxBackend>;
  /** Extra Space secrets for every sandbox. */
  secrets?: Record<string, string | undefined>;
  log?: (message: string) => void;
}

/** Owns one session's remote sandbox: created on first use, replaced or kept on sandbox_create, deleted at the end. */
export interface RemoteSandboxManager extends BackendProvider {
  /** `secrets`: extra Space secrets for a sandbox this call creates (e.g. TRACKIO_SPACE_ID). */
  ensure(
    hardware: string | undefined,
    signal: AbortSignal,
    log?: (m: string) => void,
    secrets?: Record<string, string | undefined>,
  ): Promise<EnsureOutcome>;
  active(): ActiveSandbox | undefined;
  interrupt(): Promise<void>;
  dispose(): Promise<void>;
}

export function createRemoteSandboxManager(options: RemoteSandboxManagerOptions): RemoteSandboxManager {
  const connect =
    options.connect ??
    ((space: ProvisionedSpace) =>
      createRemoteBackend({
        baseUrl: space.url,
        sandboxToken: space.sandboxToken,
        hfToken: options.provisioner.hfToken,
      }));
  let current: ActiveSandbox | undefined;
  let pending: Promise<ActiveSandbox> | undefined;

  const create = (
    hardware: string,
    automatic: boolean,
    signal: AbortSignal,
    log?: (m: string) => void,
    secrets?: Record<string, string | undefined>,
  ) => {
    const run = (async () => {
      const space = await options.provisioner.create({
        hardware,
        signal,
        secrets: { ...options.secrets, ...secrets },
        log: log ?? options.log,
      });
      try {
        const backend = await connect(space);
        current = { space, backend, automatic };
        return current;
      } catch (error) {
        await options.provisioner.delete(space.spaceId, options.log);
        throw error;
      }
    })();
    pending = run;
    run.then(
      () => {
        if (pending === run) pending = undefined;
      },
      () => {
        if (pending === run) pending = undefined;
      },
    );
    return run;
  };

  const teardown = async () => {
    const active = current;
    current = undefined;
    if (!active) return;
    await active.backend.dispose().catch(() => undefined);
    await options.provisioner.delete(active.space.spaceId, options.log);
  };

  const manager: RemoteSandboxManager = {
    async get(signal) {
      if (current) return current.backend;
      if (pending) return (await pending).backend;
      return (await create(DEFAULT_SANDBOX_HARDWARE, true, signal)).backend;
    },
    async ensure(hardware, signal, log, secrets) {
      if (pending) await pending.catch(() => undefined);
      if (!current) {
        const sandbox = await create(
          hardware ?? DEFAULT_SANDBOX_HARDWARE,
          hardware === undefined,
          signal,
          log,
          secrets,
        );
        return { status: "created", sandbox };
      }
      if (!hardware || hardware === current.space.hardware) return { status: "existing", sandbox: current };
      if (current.automatic && current.space.hardware === DEFAULT_SANDBOX_HARDWARE) {
        await teardown();
        return { status: "created", sandbox: await create(hardware, false, signal, log, secrets) };
      }
      return { status: "hardware_locked", sandbox: current, requested: hardware };
    },
    active: () => current,
    async interrupt() {
      await current?.backend.killAll().catch(() => undefined);
    },
    async dispose() {
      if (pending) await pending.catch(() => undefined);
      await teardown();
    },
  };
  return manager;
}
