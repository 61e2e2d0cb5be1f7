export type { BackendKind, ExecOptions, ExecResult, FileStat, SandboxBackend } from "./backend.ts";
export { stripAnsi } from "./core/ansi.ts";
export { applyEdit, type EditMode, type EditOutcome, type EditRequest } from "./core/edit.ts";
export * from "./core/limits.ts";
export { createOutputCollector } from "./core/output-collector.ts";
export { SandboxFileError, SandboxRemoteError, SandboxUnavailableError } from "./errors.ts";
export { type BubblewrapProbe, buildBwrapArgs, probeBubblewrap, type SandboxNetwork } from "./local/bwrap.ts";
export { createLocalBackend, type LocalBackendOptions, NO_SANDBOX_WARNING } from "./local/local-backend.ts";
export {
  type FilteringProxy,
  type FilteringProxyOptions,
  isAllowedHost,
  type ProxyResolver,
  startFilteringProxy,
} from "./local/network-proxy.ts";
export { DEFAULT_ENV_ALLOWLIST } from "./local/sandbox-env.ts";
export { createRemoteBackend, type RemoteBackendOptions } from "./remote/remote-backend.ts";
export {
  type ActiveSandbox,
  createRemoteSandboxManager,
  DEFAULT_SANDBOX_HARDWARE,
  type RemoteSandboxManager,
  type RemoteSandboxManagerOptions,
} from "./remote/remote-sandbox-manager.ts";
export {
  createSpaceProvisioner,
  DEFAULT_TEMPLATE_SPACE,
  type ProvisionedSpace,
  SANDBOX_NAME_PATTERN,
  SandboxCreationCancelledError,
  type SpaceProvisioner,
  type SpaceProvisionerOptions,
} from "./remote/space-provisioner.ts";
export type { HttpRuntime } from "./server/http-listener.ts";
export { SANDBOX_AUTH_HEADER, SANDBOX_TOKEN_ENV, type SandboxReply } from "./server/protocol.ts";
export {
  createSandboxServerApp,
  type RunningSandboxServer,
  type SandboxServerAppOptions,
  type StartSandboxServerOptions,
  startSandboxServer,
} from "./server/sandbox-server.ts";
export {
  createSandboxTools,
  type SandboxTools,
  type SandboxToolsOptions,
} from "./tools/create-sandbox-tools.ts";
export { sandboxCreateApproval, type TrackioSeeder } from "./tools/sandbox-create-tool.ts";
