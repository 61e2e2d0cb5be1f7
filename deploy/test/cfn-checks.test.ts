import { describe, expect, test } from "bun:test";
import {
  checkConditionalReferences,
  checkNetwork,
  checkOutputs,
  checkParametersUsed,
  checkReferences,
  checkSecrets,
  checkStructure,
  checkUserDataReadsSecrets,
} from "../src/cfn-checks.ts";
import { parseCloudFormationYaml } from "../src/cfn-yaml.ts";
import { formatProblems } from "../src/problem.ts";
import { checkTemplate } from "../src/template-checks.ts";

const GOOD = `
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ApiToken:
    Type: String
    NoEcho: true
    Description: token
  Stage:
    Type: String
    Default: dev
    Description: stage
  Cidr:
    Type: String
    Description: who may connect
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  TokenSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: !Ref ApiToken
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr }
  ProdOnly:
    Type: AWS::SNS::Topic
    Condition: IsProd
  Host:
    Type: AWS::EC2::Instance
    Properties:
      SecurityGroupIds: [!GetAtt Sg.GroupId]
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          TOKEN="$(aws secretsmanager get-secret-value --secret-id \${TokenSecret} --query SecretString --output text)"
          echo "\${AWS::Region}"
Outputs:
  Endpoint:
    Description: where
    Value: !Sub "https://\${Host.PublicDnsName}/"
  Topic:
    Description: prod topic
    Value: !If [IsProd, !Ref ProdOnly, none]
`;

/** GOOD with one substring replaced (the replacement must happen, or the test is meaningless). */
function mutate(from: string, to: string): string {
  expect(GOOD).toContain(from);
  return GOOD.replace(from, to);
}

const parse = parseCloudFormationYaml;

describe("template checks on a known-good template", () => {
  test("report nothing", () => {
    const { problems } = checkTemplate(GOOD);
    expect(formatProblems(problems)).toBe("");
  });
});

describe("checkReferences", () => {
  test("fails on a dangling Ref", () => {
    const bad = parse(mutate("SecretString: !Ref ApiToken", "SecretString: !Ref ApiTokn"));
    const problems = checkReferences(bad);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      rule: "dangling-reference",
      path: "Resources.TokenSecret.Properties.SecretString.Ref",
    });
    expect(problems[0]!.message).toContain("ApiTokn");
  });

  test("fails on a GetAtt of a missing resource and a GetAtt of a parameter", () => {
    expect(checkReferences(parse(mutate("!GetAtt Sg.GroupId", "!GetAtt Sgg.GroupId")))).toHaveLength(1);
    expect(checkReferences(parse(mutate("!GetAtt Sg.GroupId", "!GetAtt Stage.GroupId")))).toHaveLength(1);
  });

  test("fails on Sub variables that name nothing, including Resource.Attr forms", () => {
    expect(checkReferences(parse(mutate("${AWS::Region}", "${AWS::Regio}")))).toHaveLength(1);
    expect(checkReferences(parse(mutate("${Host.PublicDnsName}", "${Hostt.PublicDnsName}")))).toHaveLength(1);
    expect(checkReferences(parse(mutate("${TokenSecret}", "${Stage.Arn}")))).toHaveLength(1);
  });

  test("accepts Sub variables defined in its own variable map", () => {
    const local = mutate(
      'Value: !Sub "https://${Host.PublicDnsName}/"',
      'Value: !Sub ["${X}", {X: !Ref Stage}]',
    );
    expect(checkReferences(parse(local))).toEqual([]);
  });

  test("fails on unknown conditions, DependsOn targets and conditions that Ref resources", () => {
    expect(checkReferences(parse(mutate("Condition: IsProd", "Condition: IsProdd")))).toHaveLength(1);
    expect(checkReferences(parse(mutate("!If [IsProd,", "!If [IsPrd,")))).toHaveLength(1);
    const dependsOn = mutate(
      "  Host:\n    Type: AWS::EC2::Instance",
      "  Host:\n    DependsOn: Nope\n    Type: AWS::EC2::Instance",
    );
    expect(checkReferences(parse(dependsOn))).toHaveLength(1);
    const conditionOnResource = mutate("!Equals [!Ref Stage, prod]", "!Equals [!Ref Sg, prod]");
    expect(checkReferences(parse(conditionOnResource))[0]?.message).toContain(
      "may only reference parameters",
    );
  });
});

describe("checkParametersUsed", () => {
  test("fails on a parameter nobody reads", () => {
    const bad = parse(
      mutate("Parameters:\n", "Parameters:\n  Orphan:\n    Type: String\n    Description: unused\n"),
    );
    expect(checkParametersUsed(bad).map((p) => p.path)).toEqual(["Parameters.Orphan"]);
  });
});

describe("checkConditionalReferences", () => {
  test("fails when an output reads a conditional resource outside Fn::If", () => {
    const bad = parse(mutate("Value: !If [IsProd, !Ref ProdOnly, none]", "Value: !Ref ProdOnly"));
    expect(checkConditionalReferences(bad).map((p) => p.rule)).toEqual(["conditional-reference"]);
  });

  test("accepts it when the output carries the same condition", () => {
    const ok = parse(
      mutate(
        "    Description: prod topic\n    Value: !If [IsProd, !Ref ProdOnly, none]",
        "    Condition: IsProd\n    Description: prod topic\n    Value: !Ref ProdOnly",
      ),
    );
    expect(checkConditionalReferences(ok)).toEqual([]);
  });
});

describe("checkOutputs", () => {
  test("fails on an output whose value does not resolve or is missing", () => {
    const dangling = parse(mutate("${Host.PublicDnsName}", "${Missing.PublicDnsName}"));
    expect(checkOutputs(dangling).map((p) => p.rule)).toEqual(["output"]);
    const empty = parse(mutate('    Value: !Sub "https://${Host.PublicDnsName}/"\n', ""));
    expect(checkOutputs(empty)[0]?.message).toContain("needs a Value");
  });
});

describe("checkSecrets", () => {
  test("fails when a secret parameter is not NoEcho or has a default", () => {
    const echoed = mutate("    NoEcho: true\n", "");
    expect(checkSecrets(parse(echoed), echoed)[0]?.message).toContain("NoEcho");
    const defaulted = mutate("    NoEcho: true\n", "    NoEcho: true\n    Default: abc\n");
    expect(checkSecrets(parse(defaulted), defaulted)[0]?.message).toContain("default");
  });

  test("fails when the secret parameter is put in user data instead of being read from Secrets Manager", () => {
    const leaked = mutate('echo "${AWS::Region}"', 'echo "${ApiToken}"');
    const problems = checkSecrets(parse(leaked), leaked);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toStartWith("Resources.Host.Properties.UserData");
  });

  test("fails when the secret parameter is output", () => {
    const leaked = mutate('Value: !Sub "https://${Host.PublicDnsName}/"', "Value: !Ref ApiToken");
    expect(checkSecrets(parse(leaked), leaked).map((p) => p.path)).toEqual(["Outputs.Endpoint.Value.Ref"]);
  });

  test("fails on a literal token in the template text", () => {
    const literal = mutate("echo ", "echo hf_abcdefghijklmnopqrstuvwxyz0123 ");
    expect(checkSecrets(parse(literal), literal)[0]?.message).toContain("literal access token");
  });

  test("fails on credentials in a container's plain environment", () => {
    const ecs = `
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Environment:
            - { Name: NODE_ENV, Value: production }
            - { Name: HF_TOKEN, Value: from-somewhere }
`;
    const template = parse(ecs);
    expect(checkSecrets(template, ecs).map((p) => p.message)).toEqual([
      expect.stringContaining("HF_TOKEN looks like a credential"),
    ]);
  });

  test("user data that never reads Secrets Manager fails when the stack has secrets", () => {
    const noRead = mutate(
      'TOKEN="$(aws secretsmanager get-secret-value --secret-id ${TokenSecret} --query SecretString --output text)"',
      "echo ${TokenSecret}",
    );
    expect(checkUserDataReadsSecrets(parse(noRead))).toHaveLength(1);
  });
});

describe("checkNetwork", () => {
  test("fails when SSH is open to the world", () => {
    const open = parse(
      mutate("FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr", "FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0"),
    );
    expect(checkNetwork(open).map((p) => p.path)).toEqual([
      "Resources.Sg.Properties.SecurityGroupIngress[1]",
    ]);
  });

  test("looks inside Fn::If ingress rules", () => {
    const open = parse(
      mutate(
        "        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr }",
        "        - !If [IsProd, { IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 0.0.0.0/0 }, !Ref AWS::NoValue]",
      ),
    );
    expect(checkNetwork(open)).toHaveLength(1);
  });
});

describe("checkStructure", () => {
  test("fails on a missing format version, resource type or parameter description", () => {
    expect(checkStructure(parse(mutate('AWSTemplateFormatVersion: "2010-09-09"', "")))).toHaveLength(1);
    expect(checkStructure(parse(mutate("Type: AWS::SNS::Topic", "Properties: {}")))).toHaveLength(1);
    expect(checkStructure(parse(mutate("    Description: stage\n", "")))).toHaveLength(1);
  });
});
