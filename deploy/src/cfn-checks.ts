/**
 * Static checks on a parsed CloudFormation template: references resolve, parameters are used, outputs resolve,
 * secrets stay secret, and nothing but HTTP(S) is open to the whole internet.
 */
import { collectReferences, type Reference } from "./cfn-references.ts";
import { intrinsicKey, isRecord, type JsonRecord, recordAt, toArray } from "./json.ts";
import type { Problem } from "./problem.ts";

export const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);

/** Parameter names that hold credentials. */
export const SECRET_PARAMETER_PATTERN = /token|secret|password|passphrase|api_?key|credential/i;

interface Names {
  parameters: Set<string>;
  resources: Set<string>;
  conditions: Set<string>;
  mappings: Set<string>;
}

function names(template: JsonRecord): Names {
  return {
    parameters: new Set(Object.keys(recordAt(template, "Parameters"))),
    resources: new Set(Object.keys(recordAt(template, "Resources"))),
    conditions: new Set(Object.keys(recordAt(template, "Conditions"))),
    mappings: new Set(Object.keys(recordAt(template, "Mappings"))),
  };
}

export function checkStructure(template: JsonRecord): Problem[] {
  const problems: Problem[] = [];
  if (template.AWSTemplateFormatVersion !== "2010-09-09") {
    problems.push({
      rule: "structure",
      path: "AWSTemplateFormatVersion",
      message: 'must be "2010-09-09"',
    });
  }
  const resources = recordAt(template, "Resources");
  if (Object.keys(resources).length === 0) {
    problems.push({
      rule: "structure",
      path: "Resources",
      message: "a template needs at least one resource",
    });
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (!/^[A-Za-z0-9]+$/.test(id)) {
      problems.push({ rule: "structure", path: `Resources.${id}`, message: "logical ids are alphanumeric" });
    }
    if (!isRecord(resource) || typeof resource.Type !== "string") {
      problems.push({ rule: "structure", path: `Resources.${id}`, message: "every resource needs a Type" });
    }
  }
  for (const [id, parameter] of Object.entries(recordAt(template, "Parameters"))) {
    if (!isRecord(parameter) || typeof parameter.Type !== "string") {
      problems.push({ rule: "structure", path: `Parameters.${id}`, message: "every parameter needs a Type" });
    }
    if (isRecord(parameter) && typeof parameter.Description !== "string") {
      problems.push({
        rule: "structure",
        path: `Parameters.${id}`,
        message: "every parameter needs a Description (the console shows it)",
      });
    }
  }
  return problems;
}

function describe(ref: Reference): string {
  const attr = ref.attribute ? `.${ref.attribute}` : "";
  return `${ref.kind} ${ref.target}${attr}`;
}

/** Every Ref / GetAtt / Sub / condition / mapping / DependsOn target exists where it may be used. */
export function checkReferences(template: JsonRecord, refs = collectReferences(template)): Problem[] {
  const n = names(template);
  const problems: Problem[] = [];
  const dangling = (ref: Reference, why: string) =>
    problems.push({ rule: "dangling-reference", path: ref.path, message: `${describe(ref)}: ${why}` });
  for (const ref of refs) {
    const isParam = n.parameters.has(ref.target) || PSEUDO_PARAMETERS.has(ref.target);
    const isResource = n.resources.has(ref.target);
    switch (ref.kind) {
      case "Ref":
      case "Sub":
        if (ref.attribute !== undefined) {
          if (!isResource) dangling(ref, "no resource has this logical id");
        } else if (ref.section === "Conditions" || ref.section === "Rules") {
          if (!isParam) dangling(ref, `${ref.section} may only reference parameters`);
        } else if (!isParam && !isResource) {
          dangling(ref, "no parameter, resource or pseudo parameter has this name");
        }
        break;
      case "GetAtt":
        if (!isResource) dangling(ref, "no resource has this logical id");
        else if (!ref.attribute) dangling(ref, "GetAtt needs an attribute name");
        break;
      case "DependsOn":
        if (!isResource) dangling(ref, "no resource has this logical id");
        break;
      case "Condition":
        if (!n.conditions.has(ref.target)) dangling(ref, "no condition has this name");
        break;
      case "FindInMap":
        if (!n.mappings.has(ref.target)) dangling(ref, "no mapping has this name");
        break;
    }
  }
  return problems;
}

/** Every declared parameter is referenced somewhere (a parameter nobody reads is a lie in the console). */
export function checkParametersUsed(template: JsonRecord, refs = collectReferences(template)): Problem[] {
  const used = new Set(
    refs.filter((r) => (r.kind === "Ref" || r.kind === "Sub") && !r.attribute).map((r) => r.target),
  );
  return Object.keys(recordAt(template, "Parameters"))
    .filter((name) => !used.has(name))
    .map((name) => ({
      rule: "unused-parameter",
      path: `Parameters.${name}`,
      message: "declared but never referenced",
    }));
}

/**
 * A reference to a resource that only exists under a condition must sit in an `Fn::If`, or its holder must be
 * created under the same condition; otherwise the stack fails whenever the condition is false.
 */
export function checkConditionalReferences(
  template: JsonRecord,
  refs = collectReferences(template),
): Problem[] {
  const resources = recordAt(template, "Resources");
  const outputs = recordAt(template, "Outputs");
  const conditionOf = (section: string, owner: string): string | undefined => {
    const holder =
      section === "Resources" ? resources[owner] : section === "Outputs" ? outputs[owner] : undefined;
    return isRecord(holder) && typeof holder.Condition === "string" ? holder.Condition : undefined;
  };
  const problems: Problem[] = [];
  for (const ref of refs) {
    if (ref.inIf || ref.kind === "Condition" || ref.kind === "FindInMap") continue;
    if (ref.section !== "Resources" && ref.section !== "Outputs") continue;
    const target = resources[ref.target];
    if (!isRecord(target) || typeof target.Condition !== "string") continue;
    const holderCondition = conditionOf(ref.section, ref.owner);
    if (holderCondition !== target.Condition) {
      problems.push({
        rule: "conditional-reference",
        path: ref.path,
        message: `${ref.target} exists only when ${target.Condition} holds; wrap the reference in Fn::If or give ${ref.owner} the same Condition`,
      });
    }
  }
  return problems;
}

/** Every output has a Value that resolves; exports have names. */
export function checkOutputs(template: JsonRecord, refs = collectReferences(template)): Problem[] {
  const problems: Problem[] = [];
  const outputs = recordAt(template, "Outputs");
  if (Object.keys(outputs).length === 0) {
    problems.push({ rule: "output", path: "Outputs", message: "the stack should output its endpoint" });
  }
  for (const [id, output] of Object.entries(outputs)) {
    if (!isRecord(output) || output.Value === undefined || output.Value === null || output.Value === "") {
      problems.push({ rule: "output", path: `Outputs.${id}`, message: "an output needs a Value" });
      continue;
    }
    if (typeof output.Description !== "string") {
      problems.push({ rule: "output", path: `Outputs.${id}`, message: "an output needs a Description" });
    }
    if (output.Export !== undefined && (!isRecord(output.Export) || output.Export.Name === undefined)) {
      problems.push({ rule: "output", path: `Outputs.${id}.Export`, message: "an export needs a Name" });
    }
  }
  const unresolved = checkReferences(template, refs).filter((p) => p.path.startsWith("Outputs."));
  return [
    ...problems,
    ...unresolved.map((p) => ({ ...p, rule: "output", message: `does not resolve: ${p.message}` })),
  ];
}

export function secretParameters(template: JsonRecord): string[] {
  return Object.keys(recordAt(template, "Parameters")).filter((name) => SECRET_PARAMETER_PATTERN.test(name));
}

function typeOf(template: JsonRecord, logicalId: string): string | undefined {
  const resource = recordAt(template, "Resources")[logicalId];
  return isRecord(resource) && typeof resource.Type === "string" ? resource.Type : undefined;
}

const TOKEN_LITERALS = [/\bhf_[A-Za-z0-9]{20,}/, /\bgh[pousr]_[A-Za-z0-9]{20,}/, /\bsk-[A-Za-z0-9_-]{20,}/];

/**
 * Secret parameters are NoEcho, have no default, and are only ever read by an AWS::SecretsManager::Secret:
 * never in user data, environment variables, tags or outputs. Container environments hold no credentials,
 * and no literal token appears anywhere in the template text.
 */
export function checkSecrets(
  template: JsonRecord,
  text: string,
  refs = collectReferences(template),
): Problem[] {
  const problems: Problem[] = [];
  const parameters = recordAt(template, "Parameters");
  const secrets = new Set(secretParameters(template));
  for (const name of secrets) {
    const parameter = recordAt(parameters, name);
    if (parameter.NoEcho !== true) {
      problems.push({
        rule: "secret",
        path: `Parameters.${name}`,
        message: "a secret parameter needs NoEcho: true",
      });
    }
    if (parameter.Default !== undefined && parameter.Default !== "") {
      problems.push({
        rule: "secret",
        path: `Parameters.${name}.Default`,
        message: "a secret parameter must not carry a default value",
      });
    }
  }
  for (const ref of refs) {
    if (!secrets.has(ref.target) || ref.attribute !== undefined) continue;
    if (ref.kind !== "Ref" && ref.kind !== "Sub") continue;
    if (ref.section === "Rules" || ref.section === "Conditions") continue;
    const ownerType = ref.section === "Resources" ? typeOf(template, ref.owner) : undefined;
    if (ownerType !== "AWS::SecretsManager::Secret") {
      problems.push({
        rule: "secret",
        path: ref.path,
        message: `secret parameter ${ref.target} may only be stored in an AWS::SecretsManager::Secret; read it from Secrets Manager at runtime instead`,
      });
    }
  }
  for (const [id, resource] of Object.entries(recordAt(template, "Resources"))) {
    if (!isRecord(resource) || resource.Type !== "AWS::ECS::TaskDefinition") continue;
    const containers = toArray(recordAt(resource, "Properties").ContainerDefinitions);
    containers.forEach((container, i) => {
      for (const variable of toArray(isRecord(container) ? container.Environment : undefined)) {
        if (
          isRecord(variable) &&
          typeof variable.Name === "string" &&
          SECRET_PARAMETER_PATTERN.test(variable.Name)
        ) {
          problems.push({
            rule: "secret",
            path: `Resources.${id}.Properties.ContainerDefinitions[${i}].Environment`,
            message: `${variable.Name} looks like a credential: pass it through Secrets (valueFrom Secrets Manager), not Environment`,
          });
        }
      }
    });
  }
  for (const pattern of TOKEN_LITERALS) {
    const match = pattern.exec(text);
    if (match) {
      problems.push({
        rule: "secret",
        path: `offset ${match.index}`,
        message: "the template text contains what looks like a literal access token",
      });
    }
  }
  return problems;
}

/** User data must fetch its secrets from Secrets Manager at boot rather than carry them. */
export function checkUserDataReadsSecrets(template: JsonRecord): Problem[] {
  const problems: Problem[] = [];
  const hasSecret = Object.values(recordAt(template, "Resources")).some(
    (r) => isRecord(r) && r.Type === "AWS::SecretsManager::Secret",
  );
  for (const [id, resource] of Object.entries(recordAt(template, "Resources"))) {
    if (!isRecord(resource)) continue;
    const properties = recordAt(resource, "Properties");
    const userData =
      resource.Type === "AWS::EC2::Instance"
        ? properties.UserData
        : resource.Type === "AWS::EC2::LaunchTemplate"
          ? recordAt(properties, "LaunchTemplateData").UserData
          : undefined;
    if (userData === undefined || !hasSecret) continue;
    const body = JSON.stringify(userData);
    if (!body.includes("secretsmanager get-secret-value")) {
      problems.push({
        rule: "secret",
        path: `Resources.${id}`,
        message:
          "the stack stores secrets but user data never reads them with `aws secretsmanager get-secret-value`",
      });
    }
  }
  return problems;
}

const WORLD = new Set(["0.0.0.0/0", "::/0"]);
const WEB_PORTS = new Set([80, 443]);

/** Only HTTP(S) may be open to a literal 0.0.0.0/0; SSH and app ports come from a CIDR parameter. */
export function checkNetwork(template: JsonRecord): Problem[] {
  const problems: Problem[] = [];
  for (const [id, resource] of Object.entries(recordAt(template, "Resources"))) {
    if (!isRecord(resource)) continue;
    const rules: { rule: unknown; path: string }[] = [];
    if (resource.Type === "AWS::EC2::SecurityGroup") {
      toArray(recordAt(resource, "Properties").SecurityGroupIngress).forEach((rule, i) => {
        rules.push({ rule, path: `Resources.${id}.Properties.SecurityGroupIngress[${i}]` });
      });
    } else if (resource.Type === "AWS::EC2::SecurityGroupIngress") {
      rules.push({ rule: recordAt(resource, "Properties"), path: `Resources.${id}.Properties` });
    }
    const expanded = rules.flatMap(({ rule, path }) =>
      intrinsicKey(rule) === "Fn::If"
        ? toArray(isRecord(rule) ? rule["Fn::If"] : undefined)
            .slice(1)
            .map((branch) => ({ rule: branch, path }))
        : [{ rule, path }],
    );
    for (const { rule, path } of expanded) {
      if (!isRecord(rule)) continue;
      const cidr = rule.CidrIp ?? rule.CidrIpv6;
      if (typeof cidr !== "string" || !WORLD.has(cidr)) continue;
      const from = Number(rule.FromPort);
      const to = Number(rule.ToPort);
      if (!(from === to && WEB_PORTS.has(from))) {
        problems.push({
          rule: "network",
          path,
          message: `ports ${String(rule.FromPort)}-${String(rule.ToPort)} are open to ${cidr}; only 80/443 may be, use a CIDR parameter`,
        });
      }
    }
  }
  return problems;
}
