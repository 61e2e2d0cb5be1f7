/** Which TRL training formats a dataset's columns fit, stated plainly for the model. */
export interface FormatVerdict {
  format: "SFT" | "DPO" | "GRPO" | "KTO";
  fits: boolean;
  reason: string;
}

const has = (cols: Set<string>, ...names: string[]) => names.every((n) => cols.has(n));

export function detectTrainingFormats(columns: string[]): FormatVerdict[] {
  const c = new Set(columns);
  const sftReason = has(c, "messages")
    ? "conversational `messages` column"
    : has(c, "conversations")
      ? "`conversations` column (rename to `messages` with role/content keys)"
      : has(c, "text")
        ? "language-modeling `text` column"
        : has(c, "prompt", "completion")
          ? "`prompt` + `completion` columns"
          : has(c, "instruction", "output") || has(c, "instruction", "response")
            ? "instruction/response columns (map them to `prompt`/`completion` or `messages`)"
            : has(c, "question", "answer")
              ? "`question` + `answer` columns (map them to `prompt`/`completion`)"
              : "";
  const dpo = has(c, "chosen", "rejected");
  const kto = has(c, "prompt", "completion", "label");
  const grpo = c.has("prompt");
  return [
    {
      format: "SFT",
      fits: !!sftReason,
      reason: sftReason || "needs `messages`, `text`, or `prompt` + `completion`",
    },
    {
      format: "DPO",
      fits: dpo,
      reason: dpo
        ? `\`chosen\` + \`rejected\`${c.has("prompt") ? " with `prompt`" : " (prompt implicit in the conversations)"}`
        : "needs `chosen` and `rejected` (plus `prompt`)",
    },
    {
      format: "GRPO",
      fits: grpo,
      reason: grpo
        ? `\`prompt\` column${["answer", "solution", "ground_truth"]
            .filter((x) => c.has(x))
            .map((x) => ` + \`${x}\` for the reward function`)
            .join("")}`
        : "needs a `prompt` column (plus whatever the reward function reads, e.g. `solution`)",
    },
    {
      format: "KTO",
      fits: kto,
      reason: kto
        ? "`prompt` + `completion` + boolean `label`"
        : "needs `prompt`, `completion` and a boolean `label`",
    },
  ];
}
