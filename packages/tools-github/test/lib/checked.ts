import { expect } from "bun:test";
import type { AnyToolDefinition, ToolContext, ToolResult } from "@ml-intern/tool";

/**
 * Runs a tool and checks the contract MCP clients rely on: a successful result of a tool that declares an
 * output schema carries structured data matching it exactly (no undeclared top-level keys).
 */
export async function runChecked(
  def: AnyToolDefinition,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<ToolResult> {
  const result = await def.execute(def.input.parse(args), ctx);
  if (def.output && !result.isError) {
    expect(result.structured).toBeDefined();
    def.output.strict().parse(result.structured);
  }
  return result;
}
