export { deepMerge, isPlainObject } from "./deep-merge.ts";
export { AGENT_DEFAULTS } from "./defaults.ts";
export { parseEnvFile } from "./env-file.ts";
export {
  applyEnvTrust,
  createEnvTrustStore,
  ENDPOINT_CREDENTIALS,
  type EnvTrustStore,
  type UntrustedEndpoint,
} from "./env-trust.ts";
export {
  BUILTIN_CONFIG_SOURCE,
  builtinConfigObject,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  loadDotEnv,
  userConfigPath,
  userEnvPath,
} from "./load-config.ts";
export {
  configSchema,
  isStdioServer,
  type McpServerConfig,
  type MlInternConfig,
  mcpServerSchema,
  type RemoteServerConfig,
  type StdioServerConfig,
} from "./schema.ts";
export { SubstitutionError, substituteEnv } from "./substitute.ts";
