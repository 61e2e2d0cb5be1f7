export * from "./redactor.ts";
