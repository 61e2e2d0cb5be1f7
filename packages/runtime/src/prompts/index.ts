export {
  buildSystemPrompt,
  LOCAL_MODE_PROMPT,
  MAIN_SYSTEM_PROMPT,
  RESEARCH_SYSTEM_PROMPT,
  renderSessionContext,
  type SessionContext,
  type SystemPromptInput,
} from "./system-prompt.ts";
