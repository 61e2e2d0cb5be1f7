import type { FakeGithubRepo } from "@ml-intern/testing/github/fake-github";

export const TOKEN = "ghp_testtoken123";

export const NOTEBOOK = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "python3", language: "python" }, language_info: { name: "python" } },
  cells: [
    { cell_type: "markdown", metadata: {}, source: ["# GRPO quickstart\n", "Train with **GRPO**."] },
    {
      cell_type: "code",
      metadata: {},
      execution_count: 1,
      source: ["from trl import GRPOTrainer\n", "trainer = GRPOTrainer(model='Qwen/Qwen2-0.5B')"],
      outputs: [
        {
          output_type: "stream",
          name: "stdout",
          text: Array.from({ length: 50 }, (_, i) => `step ${i} loss 0.${i}\n`),
        },
        {
          output_type: "display_data",
          data: { "image/png": "iVBORw0KGgo=", "text/plain": ["<Figure size 640x480>"] },
          metadata: {},
        },
      ],
    },
    {
      cell_type: "code",
      metadata: { tags: ["remove"] },
      execution_count: 2,
      source: "SECRET_SETUP = 1",
      outputs: [],
    },
    {
      cell_type: "code",
      metadata: {},
      execution_count: 3,
      source: "trainer.train()",
      outputs: [
        {
          output_type: "error",
          ename: "ValueError",
          evalue: "bad reward",
          traceback: ["\u001b[31mValueError\u001b[0m"],
        },
      ],
    },
  ],
});

const longFile = Array.from({ length: 450 }, (_, i) => `line ${i + 1}`).join("\n");

export function trlRepo(): FakeGithubRepo {
  return {
    owner: "huggingface",
    name: "trl",
    defaultBranch: "main",
    description: "Train transformer language models with reinforcement learning.",
    stars: 15000,
    forks: 2000,
    language: "Python",
    topics: ["rlhf", "transformers"],
    files: {
      "README.md": "# TRL\n",
      "trl/trainer/grpo_trainer.py": "class GRPOTrainer:\n    pass\n",
      "examples/scripts/grpo.py":
        "from trl import GRPOTrainer\n\ntrainer = GRPOTrainer(reward_funcs=[reward])\n",
      "examples/scripts/dpo.py": "from trl import DPOTrainer\n",
      "examples/scripts/sft.py": "from trl import SFTTrainer\n",
      "examples/notebooks/grpo_demo.ipynb": NOTEBOOK,
      "examples/research_projects/long_script.py": longFile,
      "scripts/generate_grpo_data.py": "print('data')\n",
      "docs/source/grpo_trainer.md": "# GRPO\n",
    },
    refs: {
      "v0.1.0": {
        "examples/scripts/grpo.py": "# old version\nimport trl\n",
        "examples/scripts/ppo.py": "# ppo only in v0.1.0\n",
      },
    },
  };
}

export function privateRepo(): FakeGithubRepo {
  return {
    owner: "huggingface",
    name: "secret-lab",
    private: true,
    files: { "examples/train.py": "print('private')\n" },
  };
}
