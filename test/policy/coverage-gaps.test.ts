// Classes an independent red-team corpus found uncovered or over-flagged: Security Hub ECS.8's credential names and
// names that describe a secret, flow logs that miss rejected traffic, the account's AMI public-sharing block, OIDC
// trust pinned only by a shared audience, admin-equivalent AWS-managed policies, unpinned service principals on
// notification targets, and set-but-unknown values at a first preview.
import { runResource, runStack, UNKNOWN, type StackResource } from "./harness";
import { compliant, violates, notApplicable } from "./assert";
import { ecsTaskNoPlaintextSecrets } from "../../policy/policies/ecs-task-no-plaintext-secrets";
import { lambdaNoPlaintextSecrets } from "../../policy/policies/lambda-no-plaintext-secrets";
import { vpcFlowLogs } from "../../policy/policies/vpc-flow-logs";
import { snapshotNotPublic } from "../../policy/policies/snapshot-not-public";
import { iamRoleTrustRestricted } from "../../policy/policies/iam-role-trust-restricted";
import { iamNoWildcardAdmin } from "../../policy/policies/iam-no-wildcard-admin";
import { resourcePolicyNotPublic } from "../../policy/policies/resource-policy-not-public";
import { lambdaNotPublic } from "../../policy/policies/lambda-not-public";
import { firehoseDeliveryStreamEncryption } from "../../policy/policies/firehose-delivery-stream-encryption";
import { apigatewayStageCacheEncrypted } from "../../policy/policies/apigateway-stage-cache-encrypted";
import { dataStoreNotPublic } from "../../policy/policies/data-store-not-public";
import { dataStoreCustomerManagedKey } from "../../policy/policies/data-store-customer-managed-key";
import { s3BucketEncryption } from "../../policy/policies/s3-bucket-encryption";

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("policy pack: coverage gaps", () => {
    describe("plaintext secrets: Security Hub ECS.8 names and descriptive names", () => {
        const task = (environment: { name: string; value: string }[]) => ({
            type: "aws:ecs/taskDefinition:TaskDefinition",
            props: { family: "f", containerDefinitions: JSON.stringify([{ name: "app", image: "i", environment }]) },
        });
        const fn = (variables: Record<string, unknown>) => ({
            type: "aws:lambda/function:Function",
            props: { environment: { variables } },
        });
        it("fails each ECS.8 key in a container, whatever its value", async () => {
            for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"])
                violates(
                    await runResource(ecsTaskNoPlaintextSecrets, task([{ name, value: "x" }])),
                    new RegExp(`${name} looks like a secret \\(Security Hub ECS.8`),
                );
        });
        it("fails the ECS.8 keys in a Lambda environment too", async () => {
            violates(await runResource(lambdaNoPlaintextSecrets, fn({ AWS_ACCESS_KEY_ID: "x" })), /AWS_ACCESS_KEY_ID/);
            violates(await runResource(lambdaNoPlaintextSecrets, fn({ ECS_ENGINE_AUTH_DATA: "{}" })), /ECS_ENGINE_AUTH_DATA/);
        });
        it("passes names that describe a credential's lifetime or timeout, and ECS_ENGINE_AUTH_TYPE", async () => {
            compliant(
                await runResource(
                    lambdaNoPlaintextSecrets,
                    fn({ TOKEN_TTL_SECONDS: "900", SESSION_SECRET_ROTATION_DAYS: "30", API_KEY_TIMEOUT: "5", TOKEN_EXPIRY: "1h" }),
                ),
            );
            compliant(await runResource(ecsTaskNoPlaintextSecrets, task([{ name: "ECS_ENGINE_AUTH_TYPE", value: "dockercfg" }])));
        });
        it("still fails a credential name with another suffix", async () =>
            violates(await runResource(lambdaNoPlaintextSecrets, fn({ DB_PASSWORD_PRIMARY: "p" })), /DB_PASSWORD_PRIMARY/));
        it("is not applicable to other types", async () =>
            notApplicable(await runResource(ecsTaskNoPlaintextSecrets, { type: "aws:ecs/service:Service", props: {} })));
        it("judges an ECS.8 key whose value is unknown at preview like the update (a violation)", async () =>
            violates(await runResource(lambdaNoPlaintextSecrets, fn({ AWS_SECRET_ACCESS_KEY: UNKNOWN })), /AWS_SECRET_ACCESS_KEY/));
    });

    describe("vpc-flow-logs: rejected traffic must be recorded (EC2.6)", () => {
        const vpc: StackResource = { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.0.0.0/16" } };
        const log = (name: string, trafficType: unknown): StackResource => ({
            type: "aws:ec2/flowLog:FlowLog",
            name,
            props: { vpcId: UNKNOWN, trafficType },
            deps: { vpcId: ["vpc"] },
        });
        it("passes REJECT and ALL flow logs", async () => {
            compliant(await runStack(vpcFlowLogs, [vpc, log("fl", "REJECT")]));
            compliant(await runStack(vpcFlowLogs, [vpc, log("fl", "ALL")]));
        });
        it("fails a VPC whose only flow log records ACCEPT traffic", async () =>
            violates(await runStack(vpcFlowLogs, [vpc, log("fl", "ACCEPT")]), /only flow logs of ACCEPT traffic/));
        it("passes ACCEPT plus REJECT", async () => compliant(await runStack(vpcFlowLogs, [vpc, log("a", "ACCEPT"), log("r", "REJECT")])));
        it("judges a traffic type unknown at preview as recording (no flip: it is a literal at the update)", async () =>
            compliant(await runStack(vpcFlowLogs, [vpc, log("fl", UNKNOWN)])));
    });

    describe("snapshot-not-public: the account's AMI public-sharing block", () => {
        const t = "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess";
        it("passes block-new-sharing", async () =>
            compliant(await runResource(snapshotNotPublic, { type: t, props: { state: "block-new-sharing" } })));
        it("fails unblocked", async () =>
            violates(await runResource(snapshotNotPublic, { type: t, props: { state: "unblocked" } }), /"unblocked": AMIs/));
        it("fails a state unknown at preview as unknown (can't run), never as compliant", async () => {
            const r = await runResource(snapshotNotPublic, { type: t, props: { state: UNKNOWN } });
            if (!r.deferred && r.violations.length === 0) throw new Error("an unknown state must not pass");
        });
    });

    describe("iam-role-trust-restricted: OIDC trust pinned by sub or an account-specific aud", () => {
        const role = (Condition?: unknown, provider = "token.actions.githubusercontent.com") => ({
            type: "aws:iam/role:Role",
            props: {
                assumeRolePolicy: doc({
                    Effect: "Allow",
                    Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${provider}` },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    ...(Condition ? { Condition } : {}),
                }),
            },
        });
        it("fails GitHub trust with only aud = sts.amazonaws.com", async () =>
            violates(
                await runResource(
                    iamRoleTrustRestricted,
                    role({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }),
                ),
                /any identity of that provider/,
            ));
        it("fails a sub that is only a wildcard", async () =>
            violates(
                await runResource(iamRoleTrustRestricted, role({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } })),
                /aud or sub/,
            ));
        it("fails a sub under a negated operator", async () =>
            violates(
                await runResource(
                    iamRoleTrustRestricted,
                    role({ StringNotEquals: { "token.actions.githubusercontent.com:sub": "repo:a/b:ref:refs/heads/main" } }),
                ),
                /aud or sub/,
            ));
        it("passes aud + sub naming a repository, and an identity-pool aud", async () => {
            compliant(
                await runResource(
                    iamRoleTrustRestricted,
                    role({
                        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                        StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/shop:*" },
                    }),
                ),
            );
            compliant(
                await runResource(
                    iamRoleTrustRestricted,
                    role(
                        { StringEquals: { "cognito-identity.amazonaws.com:aud": "eu-west-1:0f6d7b4c-1111-2222-3333-444455556666" } },
                        "cognito-identity.amazonaws.com",
                    ),
                ),
            );
        });
    });

    describe("iam-no-wildcard-admin: admin-equivalent AWS-managed policies", () => {
        const attach = (type: string, policyArn: string) => ({ type, props: { policyArn, role: "r", user: "u", group: "g" } });
        it("fails <Service>FullAccess on every attachment resource", async () => {
            for (const type of [
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "aws:iam/userPolicyAttachment:UserPolicyAttachment",
                "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
                "aws:iam/policyAttachment:PolicyAttachment",
            ]) {
                violates(
                    await runResource(iamNoWildcardAdmin, attach(type, "arn:aws:iam::aws:policy/AmazonS3FullAccess")),
                    /whole service/,
                );
            }
            violates(
                await runResource(iamNoWildcardAdmin, {
                    type: "aws:iam/role:Role",
                    props: { assumeRolePolicy: "{}", managedPolicyArns: ["arn:aws:iam::aws:policy/AWSLambda_FullAccess"] },
                }),
                /whole service/,
            );
        });
        it("passes service-role, read-only and deployment (PowerUserAccess) managed policies", async () => {
            for (const arn of [
                "arn:aws:iam::aws:policy/PowerUserAccess",
                "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
                "arn:aws:iam::aws:policy/ReadOnlyAccess",
                "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
            ])
                compliant(await runResource(iamNoWildcardAdmin, attach("aws:iam/rolePolicyAttachment:RolePolicyAttachment", arn)));
        });
    });

    describe("resource-policy-not-public: service principals on SNS topics and SQS queues", () => {
        const cases: [string, string][] = [
            ["aws:sns/topicPolicy:TopicPolicy", "sns:Publish"],
            ["aws:sns/topic:Topic", "sns:Publish"],
            ["aws:sqs/queuePolicy:QueuePolicy", "sqs:SendMessage"],
            ["aws:sqs/queue:Queue", "sqs:SendMessage"],
        ];
        for (const [type, action] of cases) {
            it(`fails ${type} letting a service send with no source condition`, async () =>
                violates(
                    await runResource(resourcePolicyNotPublic, {
                        type,
                        props: {
                            policy: doc({ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: action, Resource: "*" }),
                        },
                    }),
                    /s3.amazonaws.com with no aws:SourceArn or aws:SourceAccount/,
                ));
            it(`fails ${type} with a condition that does not pin the source`, async () =>
                violates(
                    await runResource(resourcePolicyNotPublic, {
                        type,
                        props: {
                            policy: doc({
                                Effect: "Allow",
                                Principal: { Service: "events.amazonaws.com" },
                                Action: action,
                                Resource: "*",
                                Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
                            }),
                        },
                    }),
                    /events.amazonaws.com/,
                ));
            it(`passes ${type} with aws:SourceArn`, async () =>
                compliant(
                    await runResource(resourcePolicyNotPublic, {
                        type,
                        props: {
                            policy: doc({
                                Effect: "Allow",
                                Principal: { Service: "events.amazonaws.com" },
                                Action: action,
                                Resource: "*",
                                Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:events:eu-west-1:111122223333:rule/r" } },
                            }),
                        },
                    }),
                ));
        }
        it("leaves service principals on other resource policies to their services' rules (KMS key)", async () =>
            compliant(
                await runResource(resourcePolicyNotPublic, {
                    type: "aws:kms/key:Key",
                    props: {
                        policy: doc({ Effect: "Allow", Principal: { Service: "logs.eu-west-1.amazonaws.com" }, Action: "kms:Encrypt*" }),
                    },
                }),
            ));
    });

    describe("set-but-unknown values at a first preview", () => {
        it("lambda-not-public: a sourceArn unknown at preview pins a service principal", async () =>
            compliant(
                await runResource(lambdaNotPublic, {
                    type: "aws:lambda/permission:Permission",
                    props: { action: "lambda:InvokeFunction", function: "f", principal: "s3.amazonaws.com", sourceArn: UNKNOWN },
                }),
            ));
        it("lambda-not-public: still fails a service principal with neither, at preview", async () =>
            violates(
                await runResource(lambdaNotPublic, {
                    type: "aws:lambda/permission:Permission",
                    props: { action: "lambda:InvokeFunction", function: UNKNOWN, principal: "sns.amazonaws.com" },
                }),
                /neither sourceArn nor sourceAccount/,
            ));
        it("firehose-delivery-stream-encryption: a CMK ARN unknown at preview is set", async () =>
            compliant(
                await runResource(firehoseDeliveryStreamEncryption, {
                    type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
                    props: {
                        destination: "extended_s3",
                        serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: UNKNOWN },
                    },
                }),
            ));
    });

    describe("apigateway-stage-cache-encrypted", () => {
        const p = apigatewayStageCacheEncrypted;
        const api: StackResource = { type: "aws:apigateway/restApi:RestApi", name: "api", props: { name: "api" } };
        const stage = (props: Record<string, unknown>): StackResource => ({
            type: "aws:apigateway/stage:Stage",
            name: "stage",
            props: { restApi: UNKNOWN, deployment: UNKNOWN, stageName: "v1", ...props },
            deps: { restApi: ["api"] },
        });
        const settings = (name: string, methodPath: string, s: Record<string, unknown>, byDependency = false): StackResource => ({
            type: "aws:apigateway/methodSettings:MethodSettings",
            name,
            props: { restApi: UNKNOWN, stageName: byDependency ? UNKNOWN : "v1", methodPath, settings: s },
            deps: byDependency ? { restApi: ["api"], stageName: ["stage"] } : { restApi: ["api"] },
        });
        it("fails a cache cluster with no */* method settings", async () =>
            violates(await runStack(p, [api, stage({ cacheClusterEnabled: true })]), /cached unencrypted by default/));
        it("fails when only one method's settings encrypt (other GET methods still cache in the clear)", async () =>
            violates(
                await runStack(p, [
                    api,
                    stage({ cacheClusterEnabled: true }),
                    settings("one", "orders/GET", { cachingEnabled: true, cacheDataEncrypted: true }),
                ]),
                /no "\*\/\*" method settings/,
            ));
        it("passes */* settings that encrypt, by stage name or by dependency on the stage", async () => {
            compliant(
                await runStack(p, [
                    api,
                    stage({ cacheClusterEnabled: true }),
                    settings("all", "*/*", { cachingEnabled: true, cacheDataEncrypted: true }),
                ]),
            );
            compliant(
                await runStack(p, [api, stage({ cacheClusterEnabled: true }), settings("all", "*/*", { cacheDataEncrypted: true }, true)]),
            );
        });
        it("passes */* settings that turn caching off, and a stage without a cache cluster", async () => {
            compliant(await runStack(p, [api, stage({ cacheClusterEnabled: true }), settings("all", "*/*", { cachingEnabled: false })]));
            compliant(await runStack(p, [api, stage({})]));
        });
        it("leaves */* settings that cache unencrypted to apigateway-stage-logging-encryption (one finding)", async () =>
            compliant(
                await runStack(p, [
                    api,
                    stage({ cacheClusterEnabled: true }),
                    settings("all", "*/*", { cachingEnabled: true, cacheDataEncrypted: false }),
                ]),
            ));
        it("is not applicable without REST stages", async () => notApplicable(await runStack(p, [api])));
    });

    describe("resource policies of the other data stores, access points and vaults", () => {
        const open = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "x:Get", Resource: "*" });
        const pinned = doc({
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "x:Get",
            Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } },
        });
        const cases: [string, string][] = [
            ["aws:efs/fileSystemPolicy:FileSystemPolicy", "policy"],
            ["aws:backup/vaultPolicy:VaultPolicy", "policy"],
            ["aws:dynamodb/resourcePolicy:ResourcePolicy", "policy"],
            ["aws:kinesis/resourcePolicy:ResourcePolicy", "policy"],
            ["aws:msk/clusterPolicy:ClusterPolicy", "policy"],
            ["aws:redshiftserverless/resourcePolicy:ResourcePolicy", "policy"],
            ["aws:s3/accessPoint:AccessPoint", "policy"],
            ["aws:s3control/accessPointPolicy:AccessPointPolicy", "policy"],
            ["aws:glacier/vault:Vault", "accessPolicy"],
        ];
        for (const [type, input] of cases) {
            it(`fails ${type} open to "*"`, async () =>
                violates(await runResource(resourcePolicyNotPublic, { type, props: { [input]: open } }), /any principal/));
            it(`passes ${type} pinned to the organisation`, async () =>
                compliant(await runResource(resourcePolicyNotPublic, { type, props: { [input]: pinned } })));
        }
        it("passes an access point without a policy", async () =>
            compliant(await runResource(resourcePolicyNotPublic, { type: "aws:s3/accessPoint:AccessPoint", props: { bucket: "b" } })));
    });

    describe("lambda-not-public: layer versions shared with everyone", () => {
        const t = "aws:lambda/layerVersionPermission:LayerVersionPermission";
        const props = { layerName: "l", versionNumber: 1, statementId: "s", action: "lambda:GetLayerVersion" };
        it('fails principal "*" without organizationId', async () =>
            violates(await runResource(lambdaNotPublic, { type: t, props: { ...props, principal: "*" } }), /every AWS account/));
        it("passes an organisation or a named account, and an organisation id unknown at preview", async () => {
            compliant(await runResource(lambdaNotPublic, { type: t, props: { ...props, principal: "*", organizationId: "o-abc123def4" } }));
            compliant(await runResource(lambdaNotPublic, { type: t, props: { ...props, principal: "111122223333" } }));
            compliant(await runResource(lambdaNotPublic, { type: t, props: { ...props, principal: "*", organizationId: UNKNOWN } }));
        });
    });

    describe("OpenSearch Serverless security policies", () => {
        const t = "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy";
        const rules = [{ ResourceType: "collection", Resource: ["collection/search"] }];
        it("data-store-not-public fails a network policy with AllowFromPublic true", async () =>
            violates(
                await runResource(dataStoreNotPublic, {
                    type: t,
                    props: { name: "n", type: "network", policy: JSON.stringify([{ Rules: rules, AllowFromPublic: true }]) },
                }),
                /AllowFromPublic true/,
            ));
        it("data-store-not-public passes a VPC-only network policy and skips encryption policies", async () => {
            compliant(
                await runResource(dataStoreNotPublic, {
                    type: t,
                    props: {
                        name: "n",
                        type: "network",
                        policy: JSON.stringify([{ Rules: rules, AllowFromPublic: false, SourceVPCEs: ["vpce-0a1b2c3d4e5f67890"] }]),
                    },
                }),
            );
            notApplicable(
                await runResource(dataStoreNotPublic, {
                    type: t,
                    props: { name: "e", type: "encryption", policy: JSON.stringify({ Rules: rules, AWSOwnedKey: true }) },
                }),
            );
        });
        const key: StackResource = { type: "aws:kms/key:Key", name: "key", props: { enableKeyRotation: true } };
        const enc = (policy: unknown, deps?: Record<string, string[]>): StackResource => ({
            type: t,
            name: "enc",
            props: { name: "e", type: "encryption", policy },
            deps,
        });
        it("data-store-customer-managed-key fails AWSOwnedKey true", async () =>
            violates(
                await runStack(dataStoreCustomerManagedKey, [key, enc(JSON.stringify({ Rules: rules, AWSOwnedKey: true }))]),
                /policy.KmsARN/,
            ));
        it("data-store-customer-managed-key passes the stack's key, and a document unknown at preview that depends on it", async () => {
            const arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            for (const policy of [JSON.stringify({ Rules: rules, AWSOwnedKey: false, KmsARN: arn }), UNKNOWN]) {
                const r = await runStack(dataStoreCustomerManagedKey, [key, enc(policy, { policy: ["key"] })]);
                if (r.violations.some((v) => /enc: policy.KmsARN/.test(v.message)))
                    throw new Error(`expected the stack's key to comply: ${r.violations.map((v) => v.message).join("; ")}`);
            }
        });
    });

    describe("one defect, one finding: a bucket without default encryption", () => {
        const bucket: StackResource = { type: "aws:s3/bucket:Bucket", name: "b", props: { bucket: "b" } };
        it("is reported by s3-bucket-encryption", async () =>
            violates(await runStack(s3BucketEncryption, [bucket]), /declares no default encryption/));
        it("is not reported again by data-store-customer-managed-key", async () => {
            const r = await runStack(dataStoreCustomerManagedKey, [bucket]);
            if (r.violations.some((v) => /bucket b\b/.test(v.message))) throw new Error(r.violations.map((v) => v.message).join("; "));
        });
        it("data-store-customer-managed-key still fails a bucket on SSE-S3 that receives no AWS log delivery", async () =>
            violates(
                await runStack(dataStoreCustomerManagedKey, [
                    bucket,
                    {
                        type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                        name: "sse",
                        props: { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
                        deps: { bucket: ["b"] },
                    },
                ]),
                /uses "AES256"; use "aws:kms"/,
            ));
    });
});
