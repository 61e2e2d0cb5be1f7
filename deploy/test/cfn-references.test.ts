import { describe, expect, test } from "bun:test";
import { collectReferences, subVariables } from "../src/cfn-references.ts";
import { parseCloudFormationYaml } from "../src/cfn-yaml.ts";

describe("subVariables", () => {
  test("reads names and Resource.Attribute pairs, skips ${!literals}", () => {
    expect(subVariables("arn:${AWS::Partition}:x:${Bucket}/${Role.Arn}/${!NotAVar}/${ Spaced }")).toEqual([
      { name: "AWS::Partition" },
      { name: "Bucket" },
      { name: "Role", attribute: "Arn" },
      { name: "Spaced" },
    ]);
  });
});

describe("collectReferences", () => {
  const template = parseCloudFormationYaml(`
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Thing:
    Type: AWS::X::Y
    Condition: IsProd
    DependsOn: [Other]
    Properties:
      A: !Sub
        - "\${Local}-\${Stage}-\${Other.Arn}"
        - Local: !Ref Param
      B: !If [IsProd, !GetAtt Other.Arn, !Ref AWS::NoValue]
      C: !FindInMap [Sizes, !Ref Stage, Cpu]
Outputs:
  Out:
    Value: !Ref Thing
`);
  const refs = collectReferences(template);
  const brief = refs.map(
    (r) =>
      `${r.section}/${r.owner} ${r.kind} ${r.target}${r.attribute ? `.${r.attribute}` : ""}${r.inIf ? " (if)" : ""}`,
  );

  test("finds Ref, GetAtt, Sub variables, conditions, mappings and DependsOn with their owners", () => {
    expect(brief.sort()).toEqual(
      [
        "Conditions/IsProd Ref Stage",
        "Resources/Thing Condition IsProd",
        "Resources/Thing DependsOn Other",
        "Resources/Thing Sub Stage",
        "Resources/Thing Sub Other.Arn",
        "Resources/Thing Ref Param",
        "Resources/Thing Condition IsProd",
        "Resources/Thing GetAtt Other.Arn (if)",
        "Resources/Thing Ref AWS::NoValue (if)",
        "Resources/Thing FindInMap Sizes",
        "Resources/Thing Ref Stage",
        "Outputs/Out Ref Thing",
      ].sort(),
    );
  });

  test("records where each reference sits", () => {
    const getAtt = refs.find((r) => r.kind === "GetAtt");
    expect(getAtt?.path).toBe("Resources.Thing.Properties.B.Fn::If[1].Fn::GetAtt");
  });
});
