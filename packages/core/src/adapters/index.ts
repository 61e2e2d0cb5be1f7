export * from "./anthropic.ts";
export * from "./openai.ts";
export * from "./tool-runner.ts";
