import { z } from "zod";
import type { AnyToolDefinition } from "./tool-definition.ts";

export type JsonSchema = { [key: string]: unknown };

const cache = new WeakMap<z.ZodType, JsonSchema>();

/**
 * JSON Schema for a zod input schema, computed once per schema object.
 * Key order follows the schema declaration, so the serialised tool list is byte-stable across
 * requests and prompt caching holds.
 */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  const hit = cache.get(schema);
  if (hit) return hit;
  const raw = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    unrepresentable: "any",
    io: "input",
  }) as JsonSchema;
  const { $schema: _drop, ...rest } = raw;
  const clean = stripEmpty(rest) as JsonSchema;
  if (clean.type === "object" && clean.properties === undefined) clean.properties = {};
  cache.set(schema, clean);
  return clean;
}

function stripEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripEmpty);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "additionalProperties" && v === false) continue;
      if (k === "minimum" && v === Number.MIN_SAFE_INTEGER) continue;
      if (k === "maximum" && v === Number.MAX_SAFE_INTEGER) continue;
      out[k] = stripEmpty(v);
    }
    return out;
  }
  return value;
}

/** The wire-neutral description of a tool that LLM providers translate to their format. */
export interface ToolSchema {
  name: string;
  description: string;
  inputSchema: JsonSchema;
}

export function toToolSchema(def: AnyToolDefinition): ToolSchema {
  return {
    name: def.name,
    description: def.description,
    inputSchema: def.inputJsonSchema ?? toJsonSchema(def.input),
  };
}
