/** Runs every template check and returns the problems (an empty list means the template passes). */
import {
  checkConditionalReferences,
  checkNetwork,
  checkOutputs,
  checkParametersUsed,
  checkReferences,
  checkSecrets,
  checkStructure,
  checkUserDataReadsSecrets,
} from "./cfn-checks.ts";
import { collectReferences } from "./cfn-references.ts";
import { parseCloudFormationYaml } from "./cfn-yaml.ts";
import { checkIam, type IamCheckOptions } from "./iam-checks.ts";
import type { JsonRecord } from "./json.ts";
import type { Problem } from "./problem.ts";

export interface TemplateCheckResult {
  template: JsonRecord;
  problems: Problem[];
}

export function checkTemplate(text: string, options: IamCheckOptions = {}): TemplateCheckResult {
  const template = parseCloudFormationYaml(text);
  const refs = collectReferences(template);
  const problems = [
    ...checkStructure(template),
    ...checkReferences(template, refs),
    ...checkParametersUsed(template, refs),
    ...checkConditionalReferences(template, refs),
    ...checkOutputs(template, refs),
    ...checkSecrets(template, text, refs),
    ...checkUserDataReadsSecrets(template),
    ...checkNetwork(template),
    ...checkIam(template, options),
  ];
  return { template, problems };
}
