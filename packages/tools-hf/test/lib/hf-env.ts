import type { AnyToolDefinition, ToolContext, ToolResult } from "@ml-intern/core";
import {
  type FakeDataset,
  type FakeDatasetsServer,
  startFakeDatasetsServer,
} from "@ml-intern/testing/hf/fake-datasets-server";
import {
  FAKE_HF_TOKEN,
  type FakeHub,
  type FakeHubOptions,
  startFakeHub,
} from "@ml-intern/testing/hf/fake-hub";
import {
  type FakeScholar,
  type FakeScholarOptions,
  startFakeScholar,
} from "@ml-intern/testing/hf/fake-scholar";
import { createHfConfig, type HfConfig } from "../../src/config.ts";
import { type CreateHfToolsOptions, createHfTools } from "../../src/create-hf-tools.ts";

export interface HfEnv {
  hub: FakeHub;
  datasets: FakeDatasetsServer;
  scholar: FakeScholar;
  config: HfConfig;
  tools: AnyToolDefinition[];
  logs: string[];
  progress: number[];
  call(
    name: string,
    args: Record<string, unknown>,
    options?: { token?: string; signal?: AbortSignal },
  ): Promise<ToolResult>;
  tool(name: string): AnyToolDefinition;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startHfEnv(
  options: {
    hub?: FakeHubOptions;
    datasets?: FakeDataset[];
    scholar?: FakeScholarOptions;
    token?: string | null;
    tools?: Partial<CreateHfToolsOptions>;
  } = {},
): Promise<HfEnv> {
  const hub = await startFakeHub(options.hub);
  const datasets = await startFakeDatasetsServer(options.datasets ?? []);
  const scholar = await startFakeScholar(options.scholar);
  const config = createHfConfig({
    hubUrl: hub.url,
    datasetsServerUrl: datasets.url,
    s2Url: scholar.url,
    arxivUrl: scholar.url,
    gradioDocsUrl: "https://www.gradio.app",
    ...(options.token === null ? {} : { token: options.token ?? FAKE_HF_TOKEN }),
  });
  const tools = createHfTools({ config, logReconnectDelayMs: 0, logIdleTimeoutMs: 2000, ...options.tools });
  const logs: string[] = [];
  const progress: number[] = [];
  const tool = (name: string) => {
    const t = tools.find((x) => x.name === name);
    if (!t) throw new Error(`no tool ${name}`);
    return t;
  };
  return {
    hub,
    datasets,
    scholar,
    config,
    tools,
    logs,
    progress,
    tool,
    async call(name, args, callOptions = {}) {
      const t = tool(name);
      const parsed = t.input.parse(args);
      const ctx: ToolContext = {
        signal: callOptions.signal ?? new AbortController().signal,
        toolCallId: "call-1",
        sessionId: "session-1",
        progress: (p) => progress.push(p),
        log: (m) => logs.push(m),
        ...(callOptions.token ? { auth: { hfToken: callOptions.token } } : {}),
      };
      return t.execute(parsed, ctx);
    },
    async [Symbol.asyncDispose]() {
      await Promise.all([hub.close(), datasets.close(), scholar.close()]);
    },
  };
}
