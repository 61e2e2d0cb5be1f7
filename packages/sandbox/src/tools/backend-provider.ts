import type { SandboxBackend } from "../backend.ts";

/** How tools reach their backend: a fixed local one, or a remote sandbox created on first use. */
export interface BackendProvider {
  get(signal: AbortSignal): Promise<SandboxBackend>;
}

export const fixedBackend = (backend: SandboxBackend): BackendProvider => ({ get: async () => backend });
