/** The two shipped templates pass every check, and do what the deployment issue asks of them. */
import { describe, expect, test } from "bun:test";
import { finalStage } from "../src/dockerfile.ts";
import { BEDROCK_INVOKE_ACTIONS, expandList, grantsOf, renderArn } from "../src/iam-checks.ts";
import { isRecord, type JsonRecord, recordAt } from "../src/json.ts";
import { formatProblems } from "../src/problem.ts";
import { checkTemplate } from "../src/template-checks.ts";
import { DOCKERFILE, EC2_TEMPLATE, FARGATE_TEMPLATE } from "./lib/paths.ts";

const ec2Text = await Bun.file(EC2_TEMPLATE).text();
const fargateText = await Bun.file(FARGATE_TEMPLATE).text();
const ec2 = checkTemplate(ec2Text);
const fargate = checkTemplate(fargateText);
const dockerfileText = await Bun.file(DOCKERFILE).text();

function resource(template: JsonRecord, id: string): JsonRecord {
  const r = recordAt(template, "Resources")[id];
  if (!isRecord(r)) throw new Error(`no resource ${id}`);
  return r;
}
const props = (template: JsonRecord, id: string) => recordAt(resource(template, id), "Properties");
const resourcesOfType = (template: JsonRecord, type: string) =>
  Object.entries(recordAt(template, "Resources")).filter(([, r]) => isRecord(r) && r.Type === type);

function withReplaced(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

describe.each([
  ["ml-intern-stack.yaml", ec2],
  ["ml-intern-fargate.yaml", fargate],
])("%s", (_name, { template, problems }) => {
  test("passes every check", () => {
    expect(formatProblems(problems)).toBe("");
  });

  test("asks for the HF token as a NoEcho parameter and keeps it only in Secrets Manager", () => {
    expect(recordAt(recordAt(template, "Parameters"), "HfToken")).toMatchObject({
      NoEcho: true,
      Type: "String",
    });
    expect(props(template, "HfTokenSecret").SecretString).toEqual({ Ref: "HfToken" });
    expect(
      resourcesOfType(template, "AWS::SecretsManager::Secret")
        .map(([id]) => id)
        .sort(),
    ).toEqual(["HfTokenSecret", "McpTokenSecret"]);
    expect(props(template, "McpTokenSecret").GenerateSecretString).toMatchObject({ PasswordLength: 48 });
  });

  test("takes the Bedrock model id as a parameter and outputs the MCP endpoint", () => {
    expect(recordAt(recordAt(template, "Parameters"), "BedrockModelId").Default).toBe(
      "anthropic.claude-sonnet-4-5-20250929-v1:0",
    );
    expect(renderArn(expandList(recordAt(recordAt(template, "Outputs"), "McpEndpoint").Value)[0])).toEndWith(
      "/mcp",
    );
  });
});

describe("EC2 stack", () => {
  const t = ec2.template;
  const userData = JSON.stringify(props(t, "Instance").UserData);

  test("lets the instance read exactly its two secrets and invoke exactly the chosen model", () => {
    const grants = grantsOf(t, "InstanceRole");
    expect(grants.map((g) => g.action).sort()).toEqual(
      ["secretsmanager:GetSecretValue", ...BEDROCK_INVOKE_ACTIONS].sort(),
    );
    expect(grants.find((g) => g.action === "secretsmanager:GetSecretValue")?.resources).toEqual([
      "${HfTokenSecret}",
      "${McpTokenSecret}",
    ]);
    for (const arn of grants.find((g) => g.action === "bedrock:InvokeModel")?.resources ?? []) {
      expect(arn).toContain("${BedrockModelId}");
    }
  });

  test("opens SSH only from the CIDR parameter and only with a key pair", () => {
    const ingress = expandList(props(t, "SecurityGroup").SecurityGroupIngress).filter(isRecord);
    const ssh = ingress.find((rule) => rule.FromPort === 22);
    expect(ssh?.CidrIp).toEqual({ Ref: "SshCidr" });
    const sshRule = (props(t, "SecurityGroup").SecurityGroupIngress as unknown[])[1];
    expect(sshRule).toMatchObject({ "Fn::If": ["HasKeyName", expect.anything(), { Ref: "AWS::NoValue" }] });
  });

  test("user data installs a systemd service that serves MCP over HTTP on 0.0.0.0", () => {
    expect(userData).toContain("[Service]");
    expect(userData).toContain("systemctl enable --now ml-intern.service");
    expect(userData).toContain("User=ml-intern");
    expect(userData).toContain("mcp --transport http --host 0.0.0.0");
    expect(userData).toContain("Environment=ML_INTERN_MODEL=bedrock/${ModelId}");
    expect(userData).toContain("Environment=AWS_REGION=${AWS::Region}");
  });

  test("user data reads both tokens from Secrets Manager at service start", () => {
    expect(userData).toContain("aws secretsmanager get-secret-value");
    expect(userData).toContain("HF_TOKEN_SECRET_ID=${HfTokenSecret}");
    expect(userData).toContain("MCP_TOKEN_SECRET_ID=${McpTokenSecret}");
  });

  test("requires IMDSv2 and encrypts the root volume", () => {
    expect(props(t, "Instance").MetadataOptions).toMatchObject({ HttpTokens: "required" });
    expect(JSON.stringify(props(t, "Instance").BlockDeviceMappings)).toContain('"Encrypted":true');
  });

  test("the checks catch the HF token pasted into the real user data", () => {
    const leaked = withReplaced(
      ec2Text,
      "Environment=NODE_ENV=production",
      "Environment=HF_TOKEN=${HfToken}",
    );
    expect(checkTemplate(leaked).problems.map((p) => p.rule)).toEqual(["secret"]);
  });

  test("the checks catch a dangling reference in the real user data", () => {
    const dangling = withReplaced(
      ec2Text,
      "Environment=ML_INTERN_PORT=${McpPort}",
      "Environment=X=${McpPortt}",
    );
    expect(checkTemplate(dangling).problems.map((p) => p.rule)).toContain("dangling-reference");
  });
});

describe("Fargate stack", () => {
  const t = fargate.template;
  const container = (expandList(props(t, "TaskDefinition").ContainerDefinitions)[0] ?? {}) as JsonRecord;
  const command = (container.Command ?? []) as string[];

  test("runs on Fargate behind an ALB that health-checks /health on the container port", () => {
    expect(props(t, "Service").LaunchType).toBe("FARGATE");
    const tg = props(t, "TargetGroup");
    expect(tg).toMatchObject({ HealthCheckPath: "/health", Port: 8080, TargetType: "ip", Protocol: "HTTP" });
    expect(command[command.indexOf("--port") + 1]).toBe(String(tg.Port));
    expect(container.PortMappings).toEqual([{ ContainerPort: 8080, Protocol: "tcp" }]);
  });

  test("serves HTTPS with the ACM certificate parameter when given, redirecting HTTP", () => {
    expect(resource(t, "HttpsListener").Condition).toBe("HasCertificate");
    expect(props(t, "HttpsListener")).toMatchObject({ Protocol: "HTTPS", Port: 443 });
    expect(props(t, "HttpsListener").Certificates).toEqual([{ CertificateArn: { Ref: "CertificateArn" } }]);
    const [, withCert, withoutCert] = (props(t, "HttpListener").DefaultActions as JsonRecord)[
      "Fn::If"
    ] as unknown[];
    expect(withCert).toMatchObject([{ Type: "redirect" }]);
    expect(withoutCert).toMatchObject([{ Type: "forward" }]);
  });

  test("creates a VPC only when no existing subnets are given", () => {
    expect(recordAt(t, "Conditions").CreateVpc).toEqual({
      "Fn::Equals": [{ "Fn::Join": ["", { Ref: "ExistingSubnetIds" }] }, ""],
    });
    for (const [id] of resourcesOfType(t, "AWS::EC2::Subnet"))
      expect(resource(t, id).Condition).toBe("CreateVpc");
    expect(props(t, "LoadBalancer").Subnets).toMatchObject({
      "Fn::If": ["CreateVpc", expect.anything(), { Ref: "ExistingSubnetIds" }],
    });
  });

  test("auto-scales on CPU and on request count per target", () => {
    const metrics = resourcesOfType(t, "AWS::ApplicationAutoScaling::ScalingPolicy").map(
      ([id]) =>
        recordAt(
          recordAt(props(t, id), "TargetTrackingScalingPolicyConfiguration"),
          "PredefinedMetricSpecification",
        ).PredefinedMetricType,
    );
    expect(metrics.sort()).toEqual(["ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization"]);
    expect(props(t, "ScalableTarget")).toMatchObject({
      MinCapacity: { Ref: "MinTasks" },
      MaxCapacity: { Ref: "MaxTasks" },
    });
  });

  test("runs the image's start command in stateless mode", () => {
    const image = finalStage(dockerfileText);
    const cmd = image.cmd?.form === "exec" ? image.cmd.argv : [];
    expect(command).toEqual([...cmd, "--stateless"]);
  });

  test("injects tokens as ECS secrets and the Bedrock model as environment", () => {
    expect(container.Secrets).toEqual([
      { Name: "HF_TOKEN", ValueFrom: { Ref: "HfTokenSecret" } },
      { Name: "ML_INTERN_MCP_TOKEN", ValueFrom: { Ref: "McpTokenSecret" } },
    ]);
    const env = Object.fromEntries(
      (container.Environment as JsonRecord[]).map((e) => [e.Name, expandList(e.Value).map(renderArn)]),
    );
    expect(env.ML_INTERN_MODEL).toEqual([
      "bedrock/${BedrockInferenceProfile}.${BedrockModelId}",
      "bedrock/${BedrockModelId}",
    ]);
    expect(env.AWS_REGION).toEqual(["${AWS::Region}"]);
  });

  test("logs to its CloudWatch log group", () => {
    expect(container.LogConfiguration).toMatchObject({
      LogDriver: "awslogs",
      Options: { "awslogs-group": { Ref: "LogGroup" }, "awslogs-region": { Ref: "AWS::Region" } },
    });
  });

  test("the task role may only invoke the chosen model; the execution role only logs, reads secrets and pulls", () => {
    expect(grantsOf(t, "TaskRole").map((g) => g.action)).toEqual([...BEDROCK_INVOKE_ACTIONS]);
    expect(
      grantsOf(t, "ExecutionRole")
        .map((g) => g.action)
        .sort(),
    ).toEqual([
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetAuthorizationToken",
      "ecr:GetDownloadUrlForLayer",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "secretsmanager:GetSecretValue",
    ]);
  });

  test("the tasks accept traffic only from the load balancer", () => {
    expect(props(t, "ServiceSecurityGroup").SecurityGroupIngress).toEqual([
      expect.objectContaining({
        FromPort: 8080,
        ToPort: 8080,
        SourceSecurityGroupId: { "Fn::GetAtt": ["LoadBalancerSecurityGroup", "GroupId"] },
      }),
    ]);
  });

  test("the checks catch a widened task role in the real template", () => {
    const widened = withReplaced(
      fargateText,
      'Resource:\n                  - !If\n                    - UseInferenceProfile\n                    - !Sub "arn:${AWS::Partition}:bedrock:*::foundation-model/${BedrockModelId}"',
      'Resource:\n                  - !If\n                    - UseInferenceProfile\n                    - !Sub "arn:${AWS::Partition}:bedrock:*::foundation-model/*"',
    );
    expect(checkTemplate(widened).problems.map((p) => p.rule)).toEqual(["iam"]);
  });

  test("the checks catch a dangling GetAtt in the real outputs", () => {
    const dangling = withReplaced(
      fargateText,
      "Value: !GetAtt LoadBalancer.DNSName",
      "Value: !GetAtt Balancer.DNSName",
    );
    expect(
      checkTemplate(dangling)
        .problems.map((p) => p.rule)
        .sort(),
    ).toEqual(["dangling-reference", "output"]);
  });
});
