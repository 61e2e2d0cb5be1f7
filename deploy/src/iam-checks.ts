/**
 * Least-privilege checks on the IAM policies a template creates: no wildcard actions, `Resource: "*"` only for
 * actions that have no resource-level permissions, Bedrock scoped to the chosen model, Secrets Manager scoped to
 * the stack's own secrets, logs scoped to the stack's log group, and roles assumable only by named services.
 */
import { intrinsicKey, isRecord, type JsonRecord, recordAt, toArray } from "./json.ts";
import type { Problem } from "./problem.ts";

export interface IamCheckOptions {
  /** The parameter holding the Bedrock model id: every Bedrock resource must be built from it. */
  bedrockModelParameter?: string;
  /** Actions allowed on `Resource: "*"` because AWS offers no resource-level permission for them. */
  resourceStarActions?: readonly string[];
  /** Service principals allowed in trust policies. */
  servicePrincipals?: readonly string[];
  /** Managed policy ARNs allowed on roles (none by default: write inline least-privilege policies). */
  managedPolicies?: readonly string[];
}

export const BEDROCK_INVOKE_ACTIONS: readonly string[] = [
  "bedrock:InvokeModel",
  "bedrock:InvokeModelWithResponseStream",
];
const SECRET_READ_ACTIONS = new Set(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
const LOG_WRITE_ACTIONS = new Set(["logs:CreateLogStream", "logs:PutLogEvents"]);
const DEFAULT_STAR_ACTIONS = ["ecr:GetAuthorizationToken"];
const DEFAULT_PRINCIPALS = ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"];

/** The values a node can take: an `Fn::If` yields both branches, `AWS::NoValue` yields nothing. */
export function expandIf(value: unknown): unknown[] {
  if (isRecord(value) && value.Ref === "AWS::NoValue" && Object.keys(value).length === 1) return [];
  if (intrinsicKey(value) === "Fn::If" && isRecord(value)) {
    const [, whenTrue, whenFalse] = toArray(value["Fn::If"]);
    return [...expandIf(whenTrue), ...expandIf(whenFalse)];
  }
  return [value];
}

/** Each element of a list-valued property (the property itself may be an Fn::If, and so may each item). */
export function expandList(value: unknown): unknown[] {
  return expandIf(value).flatMap((v) => toArray(v).flatMap(expandIf));
}

/** A string form of an ARN expression, with references written as `${Name}` / `${Resource.Attr}`. */
export function renderArn(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const key = intrinsicKey(value);
  if (!key || !isRecord(value)) return undefined;
  const arg = value[key];
  if (key === "Ref" && typeof arg === "string") return `\${${arg}}`;
  if (key === "Fn::GetAtt") {
    const parts = typeof arg === "string" ? arg.split(".") : toArray(arg);
    return parts.every((p) => typeof p === "string") ? `\${${parts.join(".")}}` : undefined;
  }
  if (key === "Fn::Sub") {
    if (typeof arg === "string") return arg;
    const [text, variables] = toArray(arg);
    if (typeof text !== "string") return undefined;
    const vars = isRecord(variables) ? variables : {};
    return text.replace(/\$\{([^}!]+)\}/g, (whole, name: string) => {
      const rendered = name in vars ? renderArn(vars[name]) : undefined;
      return rendered ?? whole;
    });
  }
  if (key === "Fn::Join") {
    const [delimiter, parts] = toArray(arg);
    if (typeof delimiter !== "string" || !Array.isArray(parts)) return undefined;
    const rendered = parts.map(renderArn);
    return rendered.every((p) => p !== undefined) ? rendered.join(delimiter) : undefined;
  }
  return undefined;
}

interface PolicyDocument {
  path: string;
  document: unknown;
}

function policyDocuments(template: JsonRecord): PolicyDocument[] {
  const docs: PolicyDocument[] = [];
  for (const [id, resource] of Object.entries(recordAt(template, "Resources"))) {
    if (!isRecord(resource)) continue;
    const properties = recordAt(resource, "Properties");
    if (resource.Type === "AWS::IAM::Role") {
      expandList(properties.Policies).forEach((policy, i) => {
        if (isRecord(policy)) {
          docs.push({
            path: `Resources.${id}.Properties.Policies[${i}].PolicyDocument`,
            document: policy.PolicyDocument,
          });
        }
      });
    } else if (resource.Type === "AWS::IAM::Policy" || resource.Type === "AWS::IAM::ManagedPolicy") {
      docs.push({ path: `Resources.${id}.Properties.PolicyDocument`, document: properties.PolicyDocument });
    }
  }
  return docs;
}

function resourceType(template: JsonRecord, logicalId: string): string | undefined {
  const resource = recordAt(template, "Resources")[logicalId];
  return isRecord(resource) && typeof resource.Type === "string" ? resource.Type : undefined;
}

/** `${Name}` or `${Name.Attr}` as the whole string → Name. */
function soleReference(rendered: string): { name: string; attribute?: string } | undefined {
  const match = /^\$\{([A-Za-z0-9:]+)(?:\.([A-Za-z0-9.]+))?\}$/.exec(rendered);
  if (!match) return undefined;
  return { name: match[1]!, ...(match[2] ? { attribute: match[2] } : {}) };
}

function checkStatement(
  statement: JsonRecord,
  path: string,
  template: JsonRecord,
  options: Required<IamCheckOptions>,
): Problem[] {
  const problems: Problem[] = [];
  const problem = (message: string) => problems.push({ rule: "iam", path, message });
  if (statement.Effect !== "Allow" && statement.Effect !== "Deny")
    problem('Effect must be "Allow" or "Deny"');
  if (
    statement.Effect === "Allow" &&
    (statement.NotAction !== undefined || statement.NotResource !== undefined)
  ) {
    problem("Allow with NotAction/NotResource grants everything else; list actions and resources instead");
  }
  const actions = expandList(statement.Action);
  const resources = expandList(statement.Resource);
  if (actions.length === 0) problem("a statement needs Action");
  if (resources.length === 0) problem("a statement needs Resource");
  const actionNames = actions.filter((a): a is string => typeof a === "string");
  for (const action of actions) {
    if (typeof action !== "string" || !/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action)) {
      problem(`action ${JSON.stringify(action)} is a wildcard or not a literal service:Action`);
    }
  }
  const rendered = resources.map((r) => ({ raw: r, text: renderArn(r) }));
  for (const { raw, text } of rendered) {
    if (text === undefined) problem(`cannot read resource ${JSON.stringify(raw)}`);
  }
  const texts = rendered.map((r) => r.text).filter((t): t is string => t !== undefined);
  if (texts.includes("*")) {
    const broad = actionNames.filter((a) => !options.resourceStarActions.includes(a));
    if (broad.length > 0)
      problem(`Resource "*" for ${broad.join(", ")}: scope them to the stack's resources`);
  }
  const services = new Set(actionNames.map((a) => a.split(":")[0]));
  if (services.has("bedrock")) {
    const extra = actionNames.filter((a) => a.startsWith("bedrock:") && !BEDROCK_INVOKE_ACTIONS.includes(a));
    if (extra.length > 0) problem(`the agent only needs to invoke models, not ${extra.join(", ")}`);
    const param = options.bedrockModelParameter;
    for (const text of texts) {
      // Pseudo parameters contain "::"; make them atoms before splitting the ARN on ":".
      const atoms = text.replace(/\$\{AWS::(\w+)\}/g, "<$1>");
      const match = /^arn:<Partition>:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile)\/(.+)$/.exec(
        atoms,
      );
      if (!match) {
        problem(`Bedrock resource ${text} is not a foundation-model or inference-profile ARN`);
      } else if (!match[1]!.includes(`\${${param}}`) || match[1]!.includes("*")) {
        problem(`Bedrock resource ${text} must name the chosen model (\${${param}}), not a pattern`);
      }
    }
  }
  if (services.has("secretsmanager")) {
    const extra = actionNames.filter((a) => a.startsWith("secretsmanager:") && !SECRET_READ_ACTIONS.has(a));
    if (extra.length > 0) problem(`the workload only reads secrets, not ${extra.join(", ")}`);
    for (const text of texts) {
      const ref = soleReference(text);
      if (!ref || ref.attribute || resourceType(template, ref.name) !== "AWS::SecretsManager::Secret") {
        problem(`Secrets Manager resource ${text} must be a Ref to one of the stack's secrets`);
      }
    }
  }
  if (services.has("logs")) {
    const extra = actionNames.filter((a) => a.startsWith("logs:") && !LOG_WRITE_ACTIONS.has(a));
    if (extra.length > 0) problem(`the workload only writes logs, not ${extra.join(", ")}`);
    for (const text of texts) {
      const ref = soleReference(text);
      if (!ref || resourceType(template, ref.name) !== "AWS::Logs::LogGroup") {
        problem(`logs resource ${text} must be the stack's log group (GetAtt LogGroup.Arn)`);
      }
    }
  }
  return problems;
}

function checkTrustPolicy(document: unknown, path: string, principals: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  for (const statement of expandList(isRecord(document) ? document.Statement : undefined)) {
    if (!isRecord(statement)) continue;
    const principal = statement.Principal;
    const services = isRecord(principal) ? expandList(principal.Service) : [];
    const others = isRecord(principal) ? Object.keys(principal).filter((k) => k !== "Service") : ["*"];
    if (others.length > 0 || services.length === 0) {
      problems.push({ rule: "iam", path, message: "a role may only be assumed by a named AWS service" });
    }
    for (const service of services) {
      if (typeof service !== "string" || !principals.includes(service)) {
        problems.push({
          rule: "iam",
          path,
          message: `unexpected service principal ${JSON.stringify(service)}`,
        });
      }
    }
  }
  return problems;
}

export function checkIam(template: JsonRecord, options: IamCheckOptions = {}): Problem[] {
  const opts: Required<IamCheckOptions> = {
    bedrockModelParameter: options.bedrockModelParameter ?? "BedrockModelId",
    resourceStarActions: options.resourceStarActions ?? DEFAULT_STAR_ACTIONS,
    servicePrincipals: options.servicePrincipals ?? DEFAULT_PRINCIPALS,
    managedPolicies: options.managedPolicies ?? [],
  };
  const problems: Problem[] = [];
  for (const { path, document } of policyDocuments(template)) {
    if (!isRecord(document)) {
      problems.push({ rule: "iam", path, message: "a policy needs a PolicyDocument" });
      continue;
    }
    expandList(document.Statement).forEach((statement, i) => {
      if (isRecord(statement))
        problems.push(...checkStatement(statement, `${path}.Statement[${i}]`, template, opts));
    });
  }
  for (const [id, resource] of Object.entries(recordAt(template, "Resources"))) {
    if (!isRecord(resource) || resource.Type !== "AWS::IAM::Role") continue;
    const properties = recordAt(resource, "Properties");
    problems.push(
      ...checkTrustPolicy(
        properties.AssumeRolePolicyDocument,
        `Resources.${id}.Properties.AssumeRolePolicyDocument`,
        opts.servicePrincipals,
      ),
    );
    for (const arn of expandList(properties.ManagedPolicyArns)) {
      const text = renderArn(arn);
      if (text === undefined || !opts.managedPolicies.includes(text)) {
        problems.push({
          rule: "iam",
          path: `Resources.${id}.Properties.ManagedPolicyArns`,
          message: `managed policy ${text ?? JSON.stringify(arn)} is broader than the stack needs; write an inline policy`,
        });
      }
    }
  }
  return problems;
}

/** The statements granting an action, with their rendered resources (for asserting what a role can do). */
export function grantsOf(template: JsonRecord, roleId: string): { action: string; resources: string[] }[] {
  const role = recordAt(template, "Resources")[roleId];
  if (!isRecord(role)) return [];
  const grants: { action: string; resources: string[] }[] = [];
  for (const policy of expandList(recordAt(role, "Properties").Policies)) {
    if (!isRecord(policy) || !isRecord(policy.PolicyDocument)) continue;
    for (const statement of expandList(policy.PolicyDocument.Statement)) {
      if (!isRecord(statement) || statement.Effect !== "Allow") continue;
      const resources = expandList(statement.Resource)
        .map(renderArn)
        .filter((t): t is string => t !== undefined);
      for (const action of expandList(statement.Action)) {
        if (typeof action === "string") grants.push({ action, resources });
      }
    }
  }
  return grants;
}
