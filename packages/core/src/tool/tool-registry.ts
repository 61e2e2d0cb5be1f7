import type { z } from "zod";
import { type ToolSchema, toToolSchema } from "./json-schema.ts";
import type { AnyToolDefinition, ToolContext, ToolResult } from "./tool-definition.ts";
import { applyToolFilter, type ToolFilter } from "./tool-filter.ts";
import { DEFAULT_OUTPUT_BUDGET_CHARS, truncateMiddle } from "./truncate.ts";

export interface ToolRegistryOptions {
  tools: readonly AnyToolDefinition[];
  filter?: ToolFilter;
  outputBudgetChars?: number;
  /** Saves a full over-budget output somewhere the model can read; returns the path. */
  spill?: (toolCallId: string, toolName: string, text: string) => Promise<string | undefined>;
}

export type ValidationOutcome =
  | { ok: true; tool: AnyToolDefinition; args: Record<string, unknown> }
  | { ok: false; message: string; tool?: AnyToolDefinition };

export interface ToolRegistry {
  list(): readonly AnyToolDefinition[];
  get(name: string): AnyToolDefinition | undefined;
  /** Provider-neutral schemas, in registration order, computed once. */
  schemas(): readonly ToolSchema[];
  validate(name: string, args: unknown): ValidationOutcome;
  /** Validates, runs and truncates; never throws (failures become error results). */
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
  const budget = options.outputBudgetChars ?? DEFAULT_OUTPUT_BUDGET_CHARS;

  const validate = (name: string, args: unknown): ValidationOutcome => {
    const tool = byName.get(name);
    if (!tool) {
      const names = tools.map((t) => t.name).join(", ");
      return { ok: false, message: `Unknown tool '${name}'. Available tools: ${names}.` };
    }
    const input = args === undefined || args === null ? {} : args;
    const parsed = tool.input.safeParse(input);
    if (!parsed.success) {
      return {
        ok: false,
        tool,
        message: `Invalid arguments for tool '${name}':\n${formatZodIssues(parsed.error)}\nFix the arguments to match the tool's schema and call it again.`,
      };
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
    async execute(name, args, ctx) {
      const outcome = validate(name, args);
      if (!outcome.ok) return { text: outcome.message, isError: true };
      let result: ToolResult;
      try {
        result = await outcome.tool.execute(outcome.args, ctx);
      } catch (error) {
        if (ctx.signal.aborted) return { text: `Tool '${name}' was cancelled.`, isError: true };
        const message = error instanceof Error ? error.message : String(error);
        return { text: `Tool '${name}' failed: ${message}`, isError: true };
      }
      if (result.text.length <= budget) return result;
      const spillPath = options.spill ? await options.spill(ctx.toolCallId, name, result.text) : undefined;
      const cut = truncateMiddle(result.text, { maxChars: budget, spillPath });
      return { ...result, text: cut.text, meta: { ...result.meta, truncated: true, spillPath } };
    },
    subset(filter) {
      return createToolRegistry({ ...options, tools: tools.filter(filter), filter: undefined });
    },
  };
  return registry;
}
