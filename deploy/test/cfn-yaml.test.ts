import { describe, expect, test } from "bun:test";
import { parseCloudFormationYaml, SHORT_FORM_TAGS, TemplateParseError } from "../src/cfn-yaml.ts";

describe("parseCloudFormationYaml", () => {
  test("turns scalar, sequence and mapping short forms into long forms", () => {
    const parsed = parseCloudFormationYaml(`
A: !Ref Param
B: !GetAtt Role.Arn
C: !GetAtt [Lb, LoadBalancerFullName]
D: !Sub "arn:\${AWS::Partition}:s3:::\${Bucket}"
E: !Sub
  - "\${Name}-x"
  - Name: !Ref Param
F: !If [IsProd, !Join ["", [a, !Ref Param]], !Ref AWS::NoValue]
G: !Select [0, !GetAZs ""]
H: !Base64 { "Fn::Sub": "x" }
I: !Not [!Equals [!Ref Param, ""]]
J: !And [!Condition IsProd, !Or [!Condition IsProd, !Condition IsDev]]
K: !FindInMap [Map, !Ref AWS::Region, Ami]
L: !ImportValue shared-vpc
M: !Split [",", !Ref List]
`);
    expect(parsed).toEqual({
      A: { Ref: "Param" },
      B: { "Fn::GetAtt": ["Role", "Arn"] },
      C: { "Fn::GetAtt": ["Lb", "LoadBalancerFullName"] },
      D: { "Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}" },
      E: { "Fn::Sub": ["${Name}-x", { Name: { Ref: "Param" } }] },
      F: { "Fn::If": ["IsProd", { "Fn::Join": ["", ["a", { Ref: "Param" }]] }, { Ref: "AWS::NoValue" }] },
      G: { "Fn::Select": [0, { "Fn::GetAZs": "" }] },
      H: { "Fn::Base64": { "Fn::Sub": "x" } },
      I: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "Param" }, ""] }] },
      J: {
        "Fn::And": [{ Condition: "IsProd" }, { "Fn::Or": [{ Condition: "IsProd" }, { Condition: "IsDev" }] }],
      },
      K: { "Fn::FindInMap": ["Map", { Ref: "AWS::Region" }, "Ami"] },
      L: { "Fn::ImportValue": "shared-vpc" },
      M: { "Fn::Split": [",", { Ref: "List" }] },
    });
  });

  test("GetAtt keeps dots after the first one in the attribute name", () => {
    expect(parseCloudFormationYaml("A: !GetAtt Db.Endpoint.Address")).toEqual({
      A: { "Fn::GetAtt": ["Db", "Endpoint.Address"] },
    });
  });

  test("registers every short form the brief lists", () => {
    for (const tag of ["!Ref", "!GetAtt", "!Sub", "!Join", "!If", "!Equals", "!Not", "!Select", "!GetAZs"]) {
      expect(SHORT_FORM_TAGS).toContain(tag);
    }
    for (const tag of ["!Split", "!FindInMap", "!Base64", "!Condition", "!And", "!Or", "!ImportValue"]) {
      expect(SHORT_FORM_TAGS).toContain(tag);
    }
  });

  test("rejects unknown tags, duplicate keys, broken YAML and non-mapping documents", () => {
    expect(() => parseCloudFormationYaml("A: !Reff X")).toThrow(TemplateParseError);
    expect(() => parseCloudFormationYaml("A: 1\nA: 2")).toThrow(TemplateParseError);
    expect(() => parseCloudFormationYaml("A: [1, 2")).toThrow(TemplateParseError);
    expect(() => parseCloudFormationYaml("- a\n- b")).toThrow(/must be a YAML mapping/);
  });
});
