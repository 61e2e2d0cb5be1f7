import { type FakeGithub, startFakeGithub } from "@ml-intern/testing/github/fake-github";
import { type FakeDatasetsServer, startFakeDatasetsServer } from "@ml-intern/testing/hf/fake-datasets-server";
import { type FakeHub, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { type FakeScholar, startFakeScholar } from "@ml-intern/testing/hf/fake-scholar";

/** A file whose lines a client's model must see (github_read_file). */
export const GRPO_SCRIPT = [
  "from trl import GRPOConfig, GRPOTrainer",
  "",
  "def reward_len(completions, **kwargs):",
  "    return [-abs(20 - len(c)) for c in completions]",
  "",
  'trainer = GRPOTrainer(model="Qwen/Qwen2-0.5B-Instruct", reward_funcs=reward_len)',
].join("\n");

/** Rows a client's model must see (hf_inspect_dataset). */
export const SAMPLE_ROWS = [
  { prompt: "What is the capital of Burkina Faso?", answer: "Ouagadougou" },
  { prompt: "Name a prime above 90.", answer: "97" },
];

export const PAPER = {
  id: "2402.03300",
  title: "DeepSeekMath: Pushing the Limits of Mathematical Reasoning",
  summary: "Group relative policy optimization drops the critic and scores groups of samples.",
  upvotes: 50,
  dailyDate: "2025-01-15",
};

export interface FakeWorld {
  hub: FakeHub;
  datasets: FakeDatasetsServer;
  scholar: FakeScholar;
  github: FakeGithub;
  /** The environment that points every tool at the fakes. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The fake Hub, datasets server, Semantic Scholar/arXiv and GitHub, with one dataset, paper and repo. */
export async function startFakeWorld(): Promise<FakeWorld> {
  const hub = await startFakeHub({ papers: [PAPER] });
  const datasets = await startFakeDatasetsServer([
    { id: "org/qa", configs: { default: { splits: { train: SAMPLE_ROWS } } } },
  ]);
  const scholar = await startFakeScholar();
  const github = await startFakeGithub({
    repos: [
      {
        owner: "huggingface",
        name: "trl",
        description: "Train transformer language models with reinforcement learning.",
        files: { "examples/scripts/grpo.py": GRPO_SCRIPT, "README.md": "# TRL\n" },
      },
    ],
  });
  return {
    hub,
    datasets,
    scholar,
    github,
    env: {
      HF_ENDPOINT: hub.url,
      HF_DATASETS_SERVER_URL: datasets.url,
      ML_INTERN_S2_URL: scholar.url,
      ML_INTERN_ARXIV_URL: scholar.url,
      GITHUB_API_URL: github.url,
      ML_INTERN_WEB_SEARCH_URL: "http://127.0.0.1:9/html/",
    },
    async close() {
      await Promise.all([hub.close(), datasets.close(), scholar.close(), github.close()]);
    },
  };
}
