/**
 * Parses a CloudFormation YAML template into plain JSON-like values, turning the short-form tags
 * (`!Ref`, `!GetAtt`, `!Sub`, ...) into their long forms (`{Ref: ...}`, `{"Fn::GetAtt": [...]}`, ...).
 */
import { type CollectionTag, parseDocument, type ScalarTag, type YAMLMap, type YAMLSeq } from "yaml";

/** Short-form tag name → long-form key. `Ref` and `Condition` have no `Fn::` prefix. */
const SHORT_FORMS: Record<string, string> = {
  Ref: "Ref",
  Condition: "Condition",
  GetAtt: "Fn::GetAtt",
  Sub: "Fn::Sub",
  Join: "Fn::Join",
  If: "Fn::If",
  Equals: "Fn::Equals",
  Not: "Fn::Not",
  And: "Fn::And",
  Or: "Fn::Or",
  Select: "Fn::Select",
  GetAZs: "Fn::GetAZs",
  Split: "Fn::Split",
  FindInMap: "Fn::FindInMap",
  Base64: "Fn::Base64",
  ImportValue: "Fn::ImportValue",
  Cidr: "Fn::Cidr",
  Length: "Fn::Length",
  ToJsonString: "Fn::ToJsonString",
  Transform: "Fn::Transform",
  Contains: "Fn::Contains",
  EachMemberEquals: "Fn::EachMemberEquals",
  EachMemberIn: "Fn::EachMemberIn",
  RefAll: "Fn::RefAll",
  ValueOf: "Fn::ValueOf",
  ValueOfAll: "Fn::ValueOfAll",
};

export const SHORT_FORM_TAGS: readonly string[] = Object.keys(SHORT_FORMS).map((name) => `!${name}`);

export class TemplateParseError extends Error {
  override readonly name = "TemplateParseError";
}

function scalarTag(name: string, key: string): ScalarTag {
  return {
    tag: `!${name}`,
    resolve(value: string): unknown {
      if (key === "Fn::GetAtt") {
        const dot = value.indexOf(".");
        if (dot <= 0) return { [key]: [value] };
        return { [key]: [value.slice(0, dot), value.slice(dot + 1)] };
      }
      return { [key]: value };
    },
  };
}

function collectionTag(name: string, key: string, collection: "map" | "seq"): CollectionTag {
  return {
    tag: `!${name}`,
    collection,
    resolve(value: YAMLMap.Parsed | YAMLSeq.Parsed): unknown {
      return { [key]: value.toJSON() };
    },
  };
}

const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = Object.entries(SHORT_FORMS).flatMap(([name, key]) => [
  scalarTag(name, key),
  collectionTag(name, key, "seq"),
  collectionTag(name, key, "map"),
]);

/** Parse a template; YAML errors and unknown tags raise TemplateParseError with their line positions. */
export function parseCloudFormationYaml(text: string): Record<string, unknown> {
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, prettyErrors: true, uniqueKeys: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new TemplateParseError(problems.map((p) => p.message).join("\n"));
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TemplateParseError("a CloudFormation template must be a YAML mapping");
  }
  return value as Record<string, unknown>;
}
