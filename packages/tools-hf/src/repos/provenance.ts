import type { RepoKind } from "../http/hf-hosts.ts";

/** The tag every repo ML Intern creates carries, so users can find them (`?other=ml-intern`). */
export const ML_INTERN_TAG = "ml-intern";

export const PROVENANCE_LINE =
  "This repository was created by [ML Intern](https://github.com/ml-intern/ml-intern), an AI agent, on behalf of its owner.";

/** The README a new repo starts with: YAML front matter with the `ml-intern` tag, then a provenance line. */
export function provenanceReadme(options: {
  repoId: string;
  repoType: RepoKind;
  sdk?: string | undefined;
}): string {
  const name = options.repoId.split("/")[1] ?? options.repoId;
  const front = [
    "---",
    "tags:",
    `- ${ML_INTERN_TAG}`,
    ...(options.repoType === "space" && options.sdk
      ? [`sdk: ${options.sdk}`, `title: ${JSON.stringify(name)}`]
      : []),
    "---",
  ];
  return `${front.join("\n")}\n\n# ${name}\n\n${PROVENANCE_LINE}\n`;
}
