export {
  describeHubIdentity,
  type HubIdentity,
  type ResolveHubIdentityOptions,
  resolveHubIdentity,
  settleHubIdentity,
} from "./hub-identity.ts";
export {
  buildSystemPrompt,
  JOBS_HARDWARE_GUIDE_SLOT,
  LOCAL_MODE_PROMPT,
  MAIN_SYSTEM_PROMPT,
  RESEARCH_SYSTEM_PROMPT,
  renderMainPrompt,
  renderSessionContext,
  type SessionContext,
  type SystemPromptInput,
} from "./system-prompt.ts";
