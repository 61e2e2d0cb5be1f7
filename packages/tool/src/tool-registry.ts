import type { z } from "zod";
import { type ToolSchema, toToolSchema } from "./json-schema.ts";
import { prepareToolCall, runTool } from "./tool-call.ts";
import { toolCallText } from "./tool-call-text.ts";
import type { AnyToolDefinition, ToolContext, ToolResult } from "./tool-definition.ts";
import { applyToolFilter, type ToolFilter } from "./tool-filter.ts";
import { DEFAULT_OUTPUT_BUDGET_CHARS } from "./truncate.ts";

/** Saves a full over-budget output somewhere the model can read; returns the path. */
export type SpillOutput = (toolCallId: string, toolName: string, text: string) => Promise<string | undefined>;

export interface ToolRegistryOptions {
  tools: readonly AnyToolDefinition[];
  filter?: ToolFilter;
  outputBudgetChars?: number;
  spill?: SpillOutput;
}

export type ValidationOutcome =
  | { ok: true; tool: AnyToolDefinition; args: Record<string, unknown> }
  | { ok: false; message: string; tool?: AnyToolDefinition };

export interface ToolRegistry {
  list(): readonly AnyToolDefinition[];
  get(name: string): AnyToolDefinition | undefined;
  /** Provider-neutral schemas, in registration order, computed once. */
  schemas(): readonly ToolSchema[];
  /** Looks the tool up and parses the arguments with its zod schema (defaults applied). */
  validate(name: string, args: unknown): ValidationOutcome;
  /** How results are cut: the character budget and where full outputs are spilled. */
  readonly output: { readonly budgetChars: number; readonly spill?: SpillOutput };
  /**
   * The tool-call path without approval: validates, runs and truncates with spill; never throws
   * (failures become error results). Hosts that approve calls use `runToolCalls`.
   */
  execute(name: string, args: unknown, ctx: ToolContext): Promise<ToolResult>;
  /** A registry over a subset of these tools (e.g. a read-only sub-agent). */
  subset(filter: (tool: AnyToolDefinition) => boolean): ToolRegistry;
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length ? issue.path.join(".") : "(root)";
      return `- ${path}: ${issue.message}`;
    })
    .join("\n");
}

export function createToolRegistry(options: ToolRegistryOptions): ToolRegistry {
  const seen = new Set<string>();
  for (const tool of options.tools) {
    if (seen.has(tool.name)) throw new Error(`Duplicate tool name "${tool.name}".`);
    seen.add(tool.name);
  }
  const tools = applyToolFilter(options.tools, options.filter);
  const byName = new Map(tools.map((t) => [t.name, t]));
  let schemaCache: ToolSchema[] | undefined;
  const output = {
    budgetChars: options.outputBudgetChars ?? DEFAULT_OUTPUT_BUDGET_CHARS,
    ...(options.spill ? { spill: options.spill } : {}),
  };

  const validate = (name: string, args: unknown): ValidationOutcome => {
    const tool = byName.get(name);
    if (!tool) {
      return {
        ok: false,
        message: toolCallText.unknownTool(
          name,
          tools.map((t) => t.name),
        ),
      };
    }
    const input = args === undefined || args === null ? {} : args;
    const parsed = tool.input.safeParse(input);
    if (!parsed.success) {
      return { ok: false, tool, message: toolCallText.invalidArguments(name, formatZodIssues(parsed.error)) };
    }
    return { ok: true, tool, args: parsed.data as Record<string, unknown> };
  };

  const registry: ToolRegistry = {
    list: () => tools,
    get: (name) => byName.get(name),
    schemas: () => {
      schemaCache ??= tools.map(toToolSchema);
      return schemaCache;
    },
    validate,
    output,
    async execute(name, args, ctx) {
      const prepared = prepareToolCall(registry, { id: ctx.toolCallId, name, input: args });
      if (!prepared.ok) return { text: prepared.outcome.text, isError: true };
      const outcome = await runTool(registry, prepared, ctx);
      const result: ToolResult = { text: outcome.text };
      if (outcome.structured) result.structured = outcome.structured;
      if (outcome.isError) result.isError = true;
      if (outcome.meta) result.meta = outcome.meta;
      return result;
    },
    subset(filter) {
      return createToolRegistry({ ...options, tools: tools.filter(filter), filter: undefined });
    },
  };
  return registry;
}
