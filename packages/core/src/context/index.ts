export * from "./compactor.ts";
export * from "./prune.ts";
export * from "./summary.ts";
export * from "./tokens.ts";
