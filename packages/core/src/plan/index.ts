export * from "./continuation.ts";
export * from "./plan-store.ts";
export * from "./plan-tool.ts";
