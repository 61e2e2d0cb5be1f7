/** Token footprint of the tool definitions the model receives on every request (total and per toolset). */
import { tmpdir } from "node:os";
import {
  createPlanStore,
  createPlanTool,
  createResearchTool,
  createToolRegistry,
  estimateToolSchemaTokens,
  type ToolRegistry,
} from "@ml-intern/core";
import { createToolCatalog } from "@ml-intern/runtime/catalog";
import { createLocalBackend } from "@ml-intern/sandbox";

export interface FootprintRow {
  toolset: string;
  tools: number;
  tokens: number;
}

export async function benchToolFootprint(): Promise<FootprintRow[]> {
  const backend = await createLocalBackend({ workspace: tmpdir(), isolation: "none", warn: () => {} });
  let registry!: ToolRegistry;
  const research = createResearchTool({
    provider: () => {
      throw new Error("not called");
    },
    tools: () => registry,
    systemPrompt: "",
  });
  const tools = createToolCatalog({
    env: { HF_TOKEN: "hf_x", ML_INTERN_SLACK_WEBHOOK_URL: "http://127.0.0.1:9/hook" },
    cwd: tmpdir(),
    sandbox: { backend },
    enableLocalTools: true,
    extraTools: [research, createPlanTool(createPlanStore())],
  });
  registry = createToolRegistry({ tools });
  const byToolset = new Map<string, FootprintRow>();
  for (const schema of registry.schemas()) {
    const def = registry.get(schema.name)!;
    const row = byToolset.get(def.toolset) ?? { toolset: def.toolset, tools: 0, tokens: 0 };
    row.tools++;
    row.tokens += estimateToolSchemaTokens([schema]);
    byToolset.set(def.toolset, row);
  }
  await backend.dispose();
  const rows = [...byToolset.values()].sort((a, b) => b.tokens - a.tokens);
  rows.push({
    toolset: "TOTAL",
    tools: registry.list().length,
    tokens: estimateToolSchemaTokens(registry.schemas()),
  });
  return rows;
}
