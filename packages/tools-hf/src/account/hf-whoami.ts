import { defineTool, errorResult, textResult } from "@ml-intern/tool";
import { z } from "zod";
import { createHfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import { getWhoami } from "./whoami.ts";

const output = z.object({
  name: z.string(),
  fullname: z.string().optional(),
  type: z.string(),
  isPro: z.boolean().optional(),
  canPay: z.boolean().optional(),
  orgs: z.array(z.object({ name: z.string(), role: z.string().optional() })),
  tokenName: z.string().optional().describe("The token's display name (never the token)."),
  tokenRole: z.string().optional(),
  namespaces: z.array(z.string()).describe("Namespaces usable for repos and jobs."),
});

export function createHfWhoamiTool(deps: HfToolDeps) {
  return defineTool({
    name: "hf_whoami",
    description:
      "Show the Hugging Face account the agent acts as: username, plan, organizations (namespaces usable for repos and jobs) and the token's role. Never shows the token itself.",
    toolset: "hf-account",
    input: z.object({}),
    output,
    annotations: {
      title: "Hugging Face account",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    async execute(_args, ctx) {
      const call = createHfCall(deps, ctx);
      if (!call.token) {
        return errorResult(
          "Not logged in to Hugging Face. Set HF_TOKEN to a token from https://huggingface.co/settings/tokens (or run `hf auth login`).",
        );
      }
      try {
        const me = await getWhoami(deps, call);
        const orgs = me.orgs.length
          ? me.orgs.map((o) => `${o.name}${o.role ? ` (${o.role})` : ""}`).join(", ")
          : "none";
        const namespaces = [me.name, ...me.orgs.map((o) => o.name)];
        const lines = [
          `**${me.name}**${me.fullname ? ` (${me.fullname})` : ""}`,
          `- Plan: ${me.isPro ? "PRO" : "free"}`,
          `- Organizations: ${orgs}`,
          `- Token: ${me.tokenName ?? "unnamed"} (role: ${me.tokenRole ?? "unknown"})`,
          `- Namespaces for repos and jobs: ${namespaces.join(", ")}`,
        ];
        return textResult(lines.join("\n"), { ...me, namespaces });
      } catch (error) {
        return hfErrorResult(error, call, { action: "look up the Hugging Face account" });
      }
    },
  });
}
