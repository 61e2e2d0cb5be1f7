export * from "./doom-loop-guard.ts";
export * from "./malformed-streak.ts";
export { type CallSignature, callSignatures, normaliseArguments } from "./signature.ts";
