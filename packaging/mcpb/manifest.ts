/**
 * The manifest.json of the Claude Desktop bundle (MCPB manifest 0.3, see @anthropic-ai/mcpb), from the
 * MCP server's package.json, the runtime's default models and the tools the built server lists.
 */
import { WORKSPACE_ENV } from "./launch.ts";

export const MANIFEST_VERSION = "0.3";
export const BUNDLE_NAME = "ml-intern";
/** Where the bundled server sits inside the bundle. */
export const ENTRY_POINT = "server/index.mjs";

export interface ManifestTool {
  name: string;
  description: string;
}

export interface UserConfigOption {
  type: "string" | "number" | "boolean" | "directory" | "file";
  title: string;
  description: string;
  required?: boolean;
  sensitive?: boolean;
  default?: string;
}

export interface McpbManifest {
  manifest_version: string;
  name: string;
  display_name: string;
  version: string;
  description: string;
  long_description: string;
  author: { name: string; url?: string };
  repository?: { type: string; url: string };
  homepage?: string;
  support?: string;
  license?: string;
  keywords: string[];
  server: {
    type: "node";
    entry_point: string;
    mcp_config: { command: string; args: string[]; env: Record<string, string> };
  };
  tools: ManifestTool[];
  tools_generated: boolean;
  prompts_generated: boolean;
  compatibility: { platforms: string[]; runtimes: { node: string } };
  user_config: Record<string, UserConfigOption>;
}

export interface ManifestInput {
  /** The MCP server package's version. */
  version: string;
  /** Its `engines.node` range. */
  nodeRange: string;
  license?: string;
  /** An https URL of the source repository. */
  repositoryUrl?: string;
  /** What the built server lists in `tools/list` (name, description). */
  tools: readonly { name: string; description?: string | undefined }[];
  /** The runtime's DEFAULT_MODEL and DEFAULT_ROUTER_MODEL (what the server picks when no model is named). */
  defaultModel: string;
  routerModel: string;
}

/** The first line of a tool description, what Claude Desktop shows beside the tool's name. */
export function firstLine(description: string | undefined): string {
  return (description ?? "").trim().split("\n")[0]!.trim();
}

/** `git+https://host/x.git` → `https://host/x`, or undefined for anything that is not an https URL. */
export function httpsRepositoryUrl(url: string | undefined): string | undefined {
  const plain = url?.replace(/^git\+/, "").replace(/\.git$/, "");
  return plain?.startsWith("https://") ? plain : undefined;
}

/** `${user_config.<key>}`, the placeholder Claude Desktop replaces with the user's value. */
const userValue = (key: string) => `\${user_config.${key}}`;

export function createMcpbManifest(input: ManifestInput): McpbManifest {
  const repo = input.repositoryUrl;
  return {
    manifest_version: MANIFEST_VERSION,
    name: BUNDLE_NAME,
    display_name: "ML Intern",
    version: input.version,
    description:
      "An ML-engineering agent and its tools on Hugging Face: Hub search, papers, datasets, docs, jobs, GitHub examples.",
    long_description: [
      "ML Intern researches, writes and ships machine-learning code with the Hugging Face ecosystem.",
      "",
      "- Its tools: Hugging Face Hub search and repository details, papers, dataset inspection, docs, compute jobs, repository files and git, GitHub examples and web search.",
      "- `research`: a read-only research sub-agent. `ml_intern`: the whole agent on a task, with its own model (the Anthropic key, or your Hugging Face token through the Hugging Face router).",
      "",
      "Paste a Hugging Face token (https://huggingface.co/settings/tokens). Jobs and write tools spend money or change your repositories; approve those calls with care.",
    ].join("\n"),
    author: { name: "ML Intern contributors", ...(repo ? { url: repo } : {}) },
    ...(repo
      ? { repository: { type: "git", url: `${repo}.git` }, homepage: repo, support: `${repo}/issues` }
      : {}),
    ...(input.license ? { license: input.license } : {}),
    keywords: ["hugging face", "machine learning", "agent", "datasets", "papers", "training"],
    server: {
      type: "node",
      entry_point: ENTRY_POINT,
      mcp_config: {
        command: "node",
        args: [`\${__dirname}/${ENTRY_POINT}`],
        env: {
          HF_TOKEN: userValue("hf_token"),
          ANTHROPIC_API_KEY: userValue("anthropic_api_key"),
          ML_INTERN_MODEL: userValue("model"),
          [WORKSPACE_ENV]: userValue("workspace"),
        },
      },
    },
    tools: input.tools.map((tool) => ({ name: tool.name, description: firstLine(tool.description) })),
    // Servers from the user's ml-intern config (mcpServers) and notify destinations add tools at run time.
    tools_generated: true,
    prompts_generated: true,
    compatibility: { platforms: ["darwin", "win32", "linux"], runtimes: { node: input.nodeRange } },
    user_config: {
      hf_token: {
        type: "string",
        title: "Hugging Face token",
        description:
          "A Hugging Face access token (https://huggingface.co/settings/tokens): Hub, datasets, papers, jobs. A write token lets ML Intern create repositories and run jobs.",
        sensitive: true,
        required: true,
      },
      anthropic_api_key: {
        type: "string",
        title: "Anthropic API key (optional)",
        description:
          "For the ml_intern agent and the research tool on Anthropic models. Without it they use a Hugging Face router model with your Hugging Face token.",
        sensitive: true,
        required: false,
      },
      model: {
        type: "string",
        title: "Model (optional)",
        description: `Model of the ml_intern agent and the research tool. Empty: ${input.defaultModel} when the Anthropic key is set, else ${input.routerModel} through the Hugging Face router. Any Hugging Face router id <org>/<model>[:provider] works with the Hugging Face token.`,
        required: false,
      },
      workspace: {
        type: "directory",
        title: "Workspace folder (optional)",
        description:
          "The folder ML Intern works in (the agent's working directory; a .env there is read). Empty: ml-intern in your home folder, created when missing.",
        required: false,
      },
    },
  };
}
