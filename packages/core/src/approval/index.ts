export * from "./approval-gate.ts";
export * from "./approval-policy.ts";
export * from "./rules.ts";
export * from "./spend-ledger.ts";
