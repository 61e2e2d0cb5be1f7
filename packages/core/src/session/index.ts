export * from "./claude-code-export.ts";
export * from "./records.ts";
export * from "./repair-tool-results.ts";
export * from "./session-lock.ts";
export * from "./session-recorder.ts";
export * from "./session-store.ts";
export * from "./state-home.ts";
