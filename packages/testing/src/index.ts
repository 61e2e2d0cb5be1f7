export * from "./http/fake-server.ts";
export * from "./temp-dir.ts";
