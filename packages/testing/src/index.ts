export * from "./http/fake-server.ts";
export * from "./llm/fake-anthropic.ts";
export type { FakeLlm } from "./llm/fake-llm-base.ts";
export * from "./llm/fake-openai.ts";
export * from "./llm/fake-reply.ts";
export * from "./temp-dir.ts";
