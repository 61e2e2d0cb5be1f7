import { describe, expect, test } from "bun:test";
import type { AnyToolDefinition } from "@ml-intern/tool";
import { z } from "zod";
import { createToolsFromConfig } from "../src/create-tools.ts";
import { makeConfig } from "./lib/context.ts";

function fieldsWithoutDescription(tool: AnyToolDefinition): string[] {
  const schema = z.toJSONSchema(tool.input) as { properties?: Record<string, { description?: string }> };
  return Object.entries(schema.properties ?? {})
    .filter(([, p]) => !p.description)
    .map(([name]) => name);
}

describe("createToolsFromConfig", () => {
  test("github + web tools; notify only with a destination", () => {
    const without = createToolsFromConfig({ config: makeConfig({ apiUrl: "http://127.0.0.1:1" }) });
    expect(without.map((t) => [t.name, t.toolset])).toEqual([
      ["github_find_examples", "github"],
      ["github_list_repos", "github"],
      ["github_read_file", "github"],
      ["github_search_code", "github"],
      ["web_search", "web"],
    ]);
    const withNotify = createToolsFromConfig({
      config: makeConfig({
        apiUrl: "http://127.0.0.1:1",
        notifyDestinations: [{ name: "slack", kind: "slack-webhook", url: "http://127.0.0.1:1" }],
      }),
    });
    expect(withNotify.at(-1)?.name).toBe("notify");
    expect(withNotify.at(-1)?.toolset).toBe("notify");
  });

  test("every field is described; read tools are read-only, idempotent, open-world and need no approval", () => {
    const tools = createToolsFromConfig({
      config: makeConfig({
        apiUrl: "http://127.0.0.1:1",
        notifyDestinations: [{ name: "slack", kind: "slack-webhook", url: "http://127.0.0.1:1" }],
      }),
    });
    for (const tool of tools) {
      expect(fieldsWithoutDescription(tool)).toEqual([]);
      expect(tool.description.length).toBeGreaterThan(100);
      expect(tool.annotations.openWorldHint).toBe(true);
      expect(tool.annotations.destructiveHint).toBe(false);
      if (tool.name !== "notify") {
        expect(tool.annotations.readOnlyHint).toBe(true);
        expect(tool.annotations.idempotentHint).toBe(true);
        expect(tool.needsApproval).toBeUndefined();
      }
    }
  });
});
