import { describe, expect, test } from "bun:test";
import { parseCloudFormationYaml } from "../src/cfn-yaml.ts";
import { checkIam, expandList, grantsOf, renderArn } from "../src/iam-checks.ts";

/** A role template whose policy statement is supplied by each test. */
function roleWith(statement: string, extra = ""): ReturnType<typeof parseCloudFormationYaml> {
  return parseCloudFormationYaml(`
Parameters:
  BedrockModelId: { Type: String, Description: model }
Resources:
  Secret:
    Type: AWS::SecretsManager::Secret
  Logs:
    Type: AWS::Logs::LogGroup
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: ecs-tasks.amazonaws.com }
            Action: sts:AssumeRole
${extra}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
${statement
  .trim()
  .split("\n")
  .map((l) => `              ${l}`)
  .join("\n")}
`);
}

const BEDROCK_OK = `
- Effect: Allow
  Action: [bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream]
  Resource:
    - !Sub "arn:\${AWS::Partition}:bedrock:*::foundation-model/\${BedrockModelId}"
    - !Sub "arn:\${AWS::Partition}:bedrock:\${AWS::Region}:\${AWS::AccountId}:inference-profile/us.\${BedrockModelId}"
- Effect: Allow
  Action: secretsmanager:GetSecretValue
  Resource: !Ref Secret
- Effect: Allow
  Action: [logs:CreateLogStream, logs:PutLogEvents]
  Resource: !GetAtt Logs.Arn
- Effect: Allow
  Action: ecr:GetAuthorizationToken
  Resource: "*"
`;

const messages = (t: ReturnType<typeof parseCloudFormationYaml>) => checkIam(t).map((p) => p.message);

describe("checkIam", () => {
  test("accepts scoped Bedrock, Secrets Manager, logs and the one resource-less ECR action", () => {
    expect(messages(roleWith(BEDROCK_OK))).toEqual([]);
  });

  test('fails on "*" and service-wide actions', () => {
    expect(messages(roleWith('- { Effect: Allow, Action: "*", Resource: !Ref Secret }'))).toContainEqual(
      expect.stringContaining("wildcard"),
    );
    expect(
      messages(roleWith("- { Effect: Allow, Action: s3:Get*, Resource: arn:aws:s3:::b/* }")),
    ).toContainEqual(expect.stringContaining("wildcard"));
  });

  test('fails on Resource "*" for actions that support resource scoping', () => {
    expect(messages(roleWith('- { Effect: Allow, Action: s3:GetObject, Resource: "*" }'))).toEqual([
      expect.stringContaining('Resource "*" for s3:GetObject'),
    ]);
  });

  test("fails on Bedrock granted on every model or with more than invoke actions", () => {
    const everyModel = roleWith(`
- Effect: Allow
  Action: bedrock:InvokeModel
  Resource: !Sub "arn:\${AWS::Partition}:bedrock:*::foundation-model/*"`);
    expect(messages(everyModel)).toEqual([expect.stringContaining("must name the chosen model")]);
    const star = roleWith('- { Effect: Allow, Action: bedrock:InvokeModel, Resource: "*" }');
    expect(messages(star).length).toBeGreaterThanOrEqual(2);
    const extra = roleWith(`
- Effect: Allow
  Action: [bedrock:InvokeModel, bedrock:CreateModelCustomizationJob]
  Resource: !Sub "arn:\${AWS::Partition}:bedrock:us-east-1::foundation-model/\${BedrockModelId}"`);
    expect(messages(extra)).toEqual([expect.stringContaining("not bedrock:CreateModelCustomizationJob")]);
  });

  test("fails on Secrets Manager reads that are not scoped to the stack's secret", () => {
    const any = roleWith(`
- Effect: Allow
  Action: secretsmanager:GetSecretValue
  Resource: !Sub "arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:*"`);
    expect(messages(any)).toEqual([expect.stringContaining("must be a Ref to one of the stack's secrets")]);
    const write = roleWith(
      "- { Effect: Allow, Action: secretsmanager:PutSecretValue, Resource: !Ref Secret }",
    );
    expect(messages(write)).toEqual([expect.stringContaining("only reads secrets")]);
  });

  test("fails on log permissions outside the stack's log group", () => {
    const other = roleWith(`
- Effect: Allow
  Action: logs:PutLogEvents
  Resource: !Sub "arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:*"`);
    expect(messages(other)).toEqual([expect.stringContaining("must be the stack's log group")]);
  });

  test("looks inside Fn::If statements", () => {
    const hidden = roleWith(`
- !If
  - SomeCondition
  - { Effect: Allow, Action: "iam:*", Resource: "*" }
  - !Ref AWS::NoValue`);
    expect(messages(hidden).length).toBeGreaterThan(0);
  });

  test("fails on Allow + NotAction, broad managed policies and open trust policies", () => {
    expect(
      messages(roleWith("- { Effect: Allow, NotAction: iam:CreateUser, Resource: !Ref Secret }")),
    ).toContainEqual(expect.stringContaining("NotAction"));
    const admin = roleWith(
      BEDROCK_OK,
      "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]",
    );
    expect(messages(admin)).toEqual([expect.stringContaining("AdministratorAccess")]);
    const open = parseCloudFormationYaml(`
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { AWS: "*" }, Action: sts:AssumeRole }
`);
    expect(messages(open)).toEqual([expect.stringContaining("named AWS service")]);
  });
});

describe("helpers", () => {
  test("renderArn writes references as ${...} and fills Sub variable maps", () => {
    expect(renderArn({ Ref: "Secret" })).toBe("${Secret}");
    expect(renderArn({ "Fn::GetAtt": ["Logs", "Arn"] })).toBe("${Logs.Arn}");
    expect(renderArn({ "Fn::Sub": ["a/${X}/${AWS::Region}", { X: { Ref: "Y" } }] })).toBe(
      "a/${Y}/${AWS::Region}",
    );
    expect(renderArn({ "Fn::Join": [":", ["arn", { Ref: "AWS::Partition" }]] })).toBe(
      "arn:${AWS::Partition}",
    );
    expect(renderArn({ "Fn::Select": [0, ["a"]] })).toBeUndefined();
  });

  test("expandList yields both Fn::If branches and drops AWS::NoValue", () => {
    expect(expandList(["a", { "Fn::If": ["C", "b", { Ref: "AWS::NoValue" }] }])).toEqual(["a", "b"]);
    expect(expandList({ "Fn::If": ["C", ["x", "y"], "z"] })).toEqual(["x", "y", "z"]);
  });

  test("grantsOf lists a role's allowed actions with their resources", () => {
    const grants = grantsOf(roleWith(BEDROCK_OK), "Role");
    expect(grants.find((g) => g.action === "secretsmanager:GetSecretValue")?.resources).toEqual([
      "${Secret}",
    ]);
    expect(grants.map((g) => g.action)).toContain("bedrock:InvokeModelWithResponseStream");
  });
});
