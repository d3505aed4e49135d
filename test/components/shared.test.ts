// Components shared by several tiers, built directly under mocks: their argument checks (every problem in one
// ResourceError) and what they declare.
import { argumentErrors, one, registered, useComponentMocks } from "../support/components";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ConsumerQueue, ConsumerQueueArgs } from "../../components/consumerQueue";
import { HandlerFunction, HandlerFunctionArgs } from "../../components/handlerFunction";
import { PbcService, PbcServiceArgs } from "../../components/pbcService";
import { runtimeParameter } from "../../components/runtimeParameter";
import { SecureBucket } from "../../components/secureBucket";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:alarms";

describe("components shared across tiers", () => {
    beforeEach(useComponentMocks);

    describe("runtime parameters and the services that read them", () => {
        const pbcArgs = (parameters: PbcServiceArgs["parameters"]): PbcServiceArgs => ({
            pbcName: "catalogue",
            image: "public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine",
            cpu: 256,
            memory: 512,
            desiredCount: 1,
            minCount: 1,
            maxCount: 2,
            containerPort: 8080,
            healthCheckPath: "/",
            user: "1000:1000",
            writablePaths: [],
            environment: { DB_PORT: "5432" },
            secrets: {},
            parameters,
            permissions: [],
            clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/shop",
            clusterName: "shop",
            subnetIds: ["subnet-1"],
            securityGroupId: "sg-1",
            namespaceId: "ns-1",
            repositoryArn: "arn:aws:ecr:eu-west-1:123456789012:repository/shop/catalogue",
            region: "eu-west-1",
            accountId: "123456789012",
            kmsKeyArn: KEY,
            kmsKey: { alias: "alias/stack", region: "eu-west-1", accountId: "123456789012" },
            logRetentionDays: 30,
            alarmTopicArn: TOPIC,
        });
        const endpoint = (resourceName: string, value: string) =>
            runtimeParameter(
                resourceName,
                {
                    name: "/shop/runtime/data/writer-endpoint",
                    description: "writer",
                    value,
                    region: "eu-west-1",
                    accountId: "123456789012",
                },
                {},
            );

        const endpointNamed = (name: string) =>
            runtimeParameter("bad", { name, description: "d", value: "v", region: "eu-west-1", accountId: "123456789012" }, {});

        it("declares a Standard String parameter under its explicit name, its ARN built from that name", async () => {
            const p = endpoint("writer", "db.cluster-x.eu-west-1.rds.amazonaws.com");
            const declared = await one("aws:ssm/parameter:Parameter", "writer");
            assert.deepStrictEqual(declared.inputs, {
                name: "/shop/runtime/data/writer-endpoint",
                description: "writer",
                type: "String",
                tier: "Standard",
                dataType: "text",
                insecureValue: "db.cluster-x.eu-west-1.rds.amazonaws.com",
            });
            const arn = await new Promise((resolve) => p.arn.apply(resolve));
            assert.strictEqual(arn, "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/runtime/data/writer-endpoint");
            assert.throws(() => endpointNamed("shop/no-leading-slash"), /must start with "\/"/);
            assert.throws(() => endpointNamed("/ssm/reserved"), /not with "\/aws" or "\/ssm"/);
        });
        it("a changed value leaves the task definition as it is and redeploys the service through its triggers", async () => {
            new PbcService("before", pbcArgs({ DB_HOST: endpoint("writer-a", "old.cluster-x.eu-west-1.rds.amazonaws.com") }));
            new PbcService("after", pbcArgs({ DB_HOST: endpoint("writer-b", "new.cluster-y.eu-west-1.rds.amazonaws.com") }));
            const [tdBefore, tdAfter] = [
                await one("aws:ecs/taskDefinition:TaskDefinition", "before-task"),
                await one("aws:ecs/taskDefinition:TaskDefinition", "after-task"),
            ];
            assert.strictEqual(
                tdBefore.inputs.containerDefinitions,
                tdAfter.inputs.containerDefinitions,
                "the definition names the parameter only",
            );
            const [container] = JSON.parse(tdBefore.inputs.containerDefinitions);
            assert.deepStrictEqual(container.secrets, [
                { name: "DB_HOST", valueFrom: "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/runtime/data/writer-endpoint" },
            ]);
            assert.deepStrictEqual(container.environment, [{ name: "DB_PORT", value: "5432" }]);
            const [before, after] = [
                await one("aws:ecs/service:Service", "before-service"),
                await one("aws:ecs/service:Service", "after-service"),
            ];
            assert.strictEqual(before.inputs.forceNewDeployment, true);
            assert.deepStrictEqual(before.inputs.triggers, { DB_HOST: "old.cluster-x.eu-west-1.rds.amazonaws.com" });
            assert.deepStrictEqual(after.inputs.triggers, { DB_HOST: "new.cluster-y.eu-west-1.rds.amazonaws.com" });
            const policy = JSON.parse((await one("aws:iam/rolePolicy:RolePolicy", "before-execution-policy")).inputs.policy);
            assert.deepStrictEqual(
                policy.Statement.find((x: any) => x.Sid === "ReadRuntimeParameters"),
                {
                    Sid: "ReadRuntimeParameters",
                    Effect: "Allow",
                    Action: "ssm:GetParameters",
                    Resource: ["arn:aws:ssm:eu-west-1:123456789012:parameter/shop/runtime/data/writer-endpoint"],
                },
            );
        });

        it("a service without parameters neither forces deployments nor reads parameters", async () => {
            new PbcService("plain", pbcArgs(undefined));
            const service = await one("aws:ecs/service:Service", "plain-service");
            assert.strictEqual(service.inputs.forceNewDeployment, undefined);
            assert.strictEqual(service.inputs.triggers, undefined);
            const policy = (await one("aws:iam/rolePolicy:RolePolicy", "plain-execution-policy")).inputs.policy;
            assert.ok(!policy.includes("ssm:"));
        });
    });

    describe("ConsumerQueue", () => {
        const args: ConsumerQueueArgs = {
            kmsKeyArn: KEY,
            visibilityTimeoutSeconds: 360,
            maxReceiveCount: 5,
            alarmTopicArn: TOPIC,
            maxMessageAgeSeconds: 600,
        };

        it("lists every argument problem in one error", () => {
            const message = argumentErrors(
                () => new ConsumerQueue("orders", { ...args, maxReceiveCount: 2, visibilityTimeoutSeconds: 50000 }),
            );
            assert.match(message, /maxReceiveCount must be an integer from 3 to 10, got 2/);
            assert.match(message, /visibilityTimeoutSeconds must be from 0 to 43200 \(12 h\), got 50000/);
        });

        it("rejects each bound on its own, and a fractional receive count", () => {
            assert.match(
                argumentErrors(() => new ConsumerQueue("a", { ...args, maxReceiveCount: 11 })),
                /^maxReceiveCount/,
            );
            assert.match(
                argumentErrors(() => new ConsumerQueue("b", { ...args, maxReceiveCount: 4.5 })),
                /^maxReceiveCount/,
            );
            assert.match(
                argumentErrors(() => new ConsumerQueue("c", { ...args, visibilityTimeoutSeconds: -1 })),
                /^visibilityTimeoutSeconds/,
            );
        });

        it("declares an encrypted FIFO queue redriving to its DLQ after maxReceiveCount receives, and a delivery DLQ on request", async () => {
            const q = new ConsumerQueue("orders", { ...args, fifo: true, deliveryDeadLetterQueue: true });
            const queue = await one("aws:sqs/queue:Queue", "orders-queue");
            const dlq = await one("aws:sqs/queue:Queue", "orders-dlq");
            assert.strictEqual(queue.inputs.fifoQueue, true);
            assert.strictEqual(queue.inputs.contentBasedDeduplication, false);
            assert.strictEqual(queue.inputs.kmsMasterKeyId, KEY);
            assert.strictEqual(dlq.inputs.kmsMasterKeyId, KEY);
            assert.strictEqual(queue.inputs.visibilityTimeoutSeconds, 360);
            assert.strictEqual(JSON.parse(queue.inputs.redrivePolicy).maxReceiveCount, 5);
            assert.ok(q.deliveryDeadLetterQueue, "delivery DLQ declared");
            await one("aws:sqs/queue:Queue", "orders-delivery-dlq");
            const alarms = (await registered()).filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
            assert.ok(alarms.length >= 2 && alarms.every((a) => a.inputs.alarmActions?.[0] === TOPIC), "every alarm notifies the topic");
        });

        it("registers under the shared token (its alias names the events tier's old one)", async () => {
            const q = new ConsumerQueue("orders", args);
            const urn = await new Promise<string>((resolve) => q.urn.apply(resolve));
            assert.match(urn, /::retail:shared:ConsumerQueue::orders$/);
        });
    });

    describe("HandlerFunction", () => {
        const args: HandlerFunctionArgs = {
            code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({});") }),
            environment: { TABLE: "t" },
            statements: [],
            source: {
                queueArn: "arn:aws:sqs:eu-west-1:123456789012:q",
                kmsKey: { alias: "alias/stack", region: "eu-west-1", accountId: "123456789012" },
            },
            subnetIds: ["subnet-a", "subnet-b"],
            securityGroupId: "sg-1",
            logsKeyArn: KEY,
            logRetentionDays: 30,
            timeoutSeconds: 30,
            memoryMb: 512,
            batchSize: 10,
            maximumBatchingWindowSeconds: 0,
            maximumConcurrency: 5,
            region: "eu-west-1",
            accountId: "123456789012",
        };

        it("lists every argument problem in one error", () => {
            const message = argumentErrors(() => new HandlerFunction("f", { ...args, maximumConcurrency: 1, batchSize: 20 }));
            assert.match(message, /maximumConcurrency must be from 2 to 1000, got 1/);
            assert.match(message, /batchSize above 10 needs a batching window of at least 1 second/);
        });

        it("checks the event source's settings only when there is a source", async () => {
            assert.match(
                argumentErrors(() => new HandlerFunction("g", { ...args, maximumConcurrency: 1001 })),
                /^maximumConcurrency/,
            );
            new HandlerFunction("h", { ...args, source: undefined, maximumConcurrency: 1, batchSize: 20 });
            assert.deepStrictEqual(
                (await registered()).filter((r) => r.type === "aws:lambda/eventSourceMapping:EventSourceMapping"),
                [],
            );
        });

        it("declares an arm64 Node.js 22 function in the VPC with its own log group and a partial-batch SQS source", async () => {
            new HandlerFunction("orders", args);
            const fn = await one("aws:lambda/function:Function", "orders-function");
            assert.deepStrictEqual(fn.inputs.architectures, ["arm64"]);
            assert.match(fn.inputs.runtime, /^nodejs22/);
            assert.deepStrictEqual(fn.inputs.vpcConfig, { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-1"] });
            assert.deepStrictEqual(fn.inputs.environment, { variables: { TABLE: "t" } });
            const logs = await one("aws:cloudwatch/logGroup:LogGroup", "orders-logs");
            assert.strictEqual(logs.inputs.name, "/aws/lambda/orders");
            assert.strictEqual(logs.inputs.kmsKeyId, KEY);
            const source = await one("aws:lambda/eventSourceMapping:EventSourceMapping", "orders-source");
            assert.deepStrictEqual(source.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
            assert.deepStrictEqual(source.inputs.scalingConfig, { maximumConcurrency: 5 });
        });
    });

    describe("SecureBucket", () => {
        it("refuses an object lock period that is not a positive whole number of days", () => {
            for (const days of [0, -1, 1.5]) {
                assert.match(
                    argumentErrors(
                        () =>
                            new SecureBucket(`b${days}`, {
                                bucketName: "b",
                                encryption: "SSE-S3",
                                objectLock: { mode: "COMPLIANCE", days },
                            }),
                    ),
                    /objectLock\.days must be a positive whole number of days/,
                );
            }
        });

        it("refuses a second lifecycle rule with the same id", () => {
            const bucket = new SecureBucket("logs", { bucketName: "shop-logs", encryption: "SSE-S3" });
            bucket.addLifecycleRule({ id: "expire", status: "Enabled", expiration: { days: 30 } });
            assert.match(
                argumentErrors(() => bucket.addLifecycleRule({ id: "expire", status: "Enabled", expiration: { days: 60 } })),
                /lifecycle rule id "expire" is already used/,
            );
        });

        it("declares the named bucket with object lock enabled, no force-destroy, and public access blocked", async () => {
            new SecureBucket("archive", {
                bucketName: "shop-archive",
                encryption: { kmsKeyArn: KEY },
                objectLock: { mode: "COMPLIANCE", days: 30 },
            });
            const bucket = await one("aws:s3/bucket:Bucket", "archive-bucket");
            assert.deepStrictEqual(
                [bucket.inputs.bucket, bucket.inputs.objectLockEnabled, bucket.inputs.forceDestroy],
                ["shop-archive", true, false],
            );
            const block = (await registered()).find((r) => r.type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
            assert.ok(block, "a public access block");
            assert.deepStrictEqual(
                [
                    block.inputs.blockPublicAcls,
                    block.inputs.blockPublicPolicy,
                    block.inputs.ignorePublicAcls,
                    block.inputs.restrictPublicBuckets,
                ],
                [true, true, true, true],
            );
        });
    });
});
