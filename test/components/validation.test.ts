// Each component's own argument checks, built directly under mocks: every problem is reported, all in one
// ResourceError, and valid arguments declare what the component promises.
import { argumentErrors, one, registered, useComponentMocks } from "../support/components";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AuroraCluster, AuroraClusterArgs } from "../../components/auroraCluster";
import { ClickstreamApi, ClickstreamApiArgs } from "../../components/clickstreamApi";
import { KinesisEventSource, KinesisEventSourceArgs } from "../../components/kinesisEventSource";
import { Network, NetworkArgs } from "../../components/network";
import { PbcService, PbcServiceArgs } from "../../components/pbcService";
import { RedshiftWarehouse, RedshiftWarehouseArgs } from "../../components/redshiftWarehouse";
import { StackKeys } from "../../components/stackKeys";
import { SealedTopicPolicy } from "../../components/topicPolicy";
import { UserPool, UserPoolArgs } from "../../components/userPool";
import { WebAcl, WebAclArgs } from "../../components/webAcl";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const ACCOUNT = "123456789012";
/** The `; `-separated problems of one error. */
const problemsOf = (message: string) => message.split("; ");

describe("component argument checks", () => {
    beforeEach(useComponentMocks);

    describe("AuroraCluster", () => {
        const args: AuroraClusterArgs = {
            clusterIdentifier: "shop-db",
            engineVersion: "16.6",
            minCapacity: 0.5,
            maxCapacity: 4,
            readers: 1,
            backupRetentionDays: 7,
            subnetIds: ["subnet-a", "subnet-b"],
            securityGroupId: "sg-1",
            kmsKeyArn: KEY,
            logRetentionDays: 30,
            production: false,
            databaseName: "retail",
        };
        it("lists a capacity and a reader problem together", () => {
            const p = problemsOf(argumentErrors(() => new AuroraCluster("db", { ...args, minCapacity: 8, maxCapacity: 4, readers: 16 })));
            assert.strictEqual(p.length, 2);
            assert.match(p[0], /^capacity must satisfy 0 <= min <= max <= 256 and max >= 1, got 8-4$/);
            assert.match(p[1], /^readers must be an integer from 0 to 15, got 16$/);
        });
        it("refuses more than 256 ACUs and a fractional reader count", () => {
            assert.match(
                argumentErrors(() => new AuroraCluster("a", { ...args, maxCapacity: 257 })),
                /^capacity/,
            );
            assert.match(
                argumentErrors(() => new AuroraCluster("b", { ...args, readers: 0.5 })),
                /^readers/,
            );
        });
        it("declares an encrypted Serverless v2 cluster with the writer and each reader", async () => {
            new AuroraCluster("db", args);
            const cluster = await one("aws:rds/cluster:Cluster", "db-cluster");
            assert.deepStrictEqual([cluster.inputs.storageEncrypted, cluster.inputs.kmsKeyId], [true, KEY]);
            assert.deepStrictEqual(cluster.inputs.serverlessv2ScalingConfiguration, { minCapacity: 0.5, maxCapacity: 4 });
            const instances = (await registered()).filter((r) => r.type === "aws:rds/clusterInstance:ClusterInstance");
            assert.strictEqual(instances.length, 2, "writer and one reader");
        });
    });

    describe("PbcService", () => {
        // validate() runs first in the constructor: these arguments never reach a resource.
        const args = {
            pbcName: "cart",
            minCount: 2,
            desiredCount: 2,
            maxCount: 4,
            user: "1000:1000",
            environment: { A: "1" },
            secrets: {},
        } as unknown as PbcServiceArgs;
        it("lists every problem, prefixed with the PBC", () => {
            const message = argumentErrors(
                () =>
                    new PbcService("cart", {
                        ...args,
                        minCount: 0,
                        user: "0:0",
                        environment: { TOKEN: "x" },
                        secrets: { TOKEN: "arn:secret" },
                        routing: { rules: [], originVerifyValues: [] } as unknown as PbcServiceArgs["routing"],
                    }),
            );
            assert.match(message, /^PBC cart: /);
            const p = problemsOf(message.slice("PBC cart: ".length));
            assert.deepStrictEqual(
                p.map((x) => x.split(" ")[0]),
                ["counts", "user", "routing", "originVerifyValues", "variables"],
            );
        });
        it("refuses a listener rule whose path patterns and header value exceed 5 condition values", () => {
            const routing = {
                rules: [{ priority: 10, pathPatterns: ["/a", "/b", "/c", "/d"] }],
                originVerifyValues: ["x", "y"],
            } as unknown as PbcServiceArgs["routing"];
            assert.match(
                argumentErrors(() => new PbcService("c2", { ...args, routing })),
                /listener rule 10 has 4 path patterns; a rule holds at most 5 condition values/,
            );
        });
        it("refuses a variable set both from a parameter and as plain environment or secret", () => {
            const parameter = { name: "/p/runtime/x", arn: pulumi.output("arn"), value: pulumi.output("v") };
            assert.match(
                argumentErrors(
                    () => new PbcService("c5", { ...args, environment: { A: "1", B: "2" }, parameters: { A: parameter, C: parameter } }),
                ),
                /variables A are set both from a parameter and otherwise/,
            );
        });
        it("refuses counts above 20 and root by name", () => {
            assert.match(
                argumentErrors(() => new PbcService("c3", { ...args, maxCount: 21 })),
                /counts must satisfy/,
            );
            assert.match(
                argumentErrors(() => new PbcService("c4", { ...args, user: "root" })),
                /user must not be root/,
            );
        });
    });

    describe("ClickstreamApi", () => {
        // The checks run before anything is declared.
        const args = { stageName: "v1", rateLimit: 100, burstLimit: 200, recoveryWindowInDays: 7 } as unknown as ClickstreamApiArgs;
        it("lists every problem", () => {
            const p = problemsOf(
                argumentErrors(
                    () => new ClickstreamApi("api", { ...args, stageName: "v-1", rateLimit: 0, burstLimit: 1.5, recoveryWindowInDays: 31 }),
                ),
            );
            assert.deepStrictEqual(
                p.map((x) => x.split(" ")[0]),
                ["stageName", "rateLimit", "burstLimit", "recoveryWindowInDays"],
            );
        });
    });

    describe("KinesisEventSource", () => {
        const args: KinesisEventSourceArgs = {
            functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:f",
            roleId: "role",
            streamArn: "arn:aws:kinesis:eu-west-1:123456789012:stream/s",
            streamKey: { alias: "alias/stack", region: "eu-west-1", accountId: ACCOUNT },
            enhancedFanOut: false,
            startingPosition: "LATEST",
            batchSize: 100,
            maximumBatchingWindowSeconds: 5,
            parallelizationFactor: 1,
            maximumRetryAttempts: 3,
            maximumRecordAgeSeconds: 3600,
            onFailureBucketArn: "arn:aws:s3:::failures",
            onFailureKey: { alias: "alias/stack", region: "eu-west-1", accountId: ACCOUNT },
            region: "eu-west-1",
            accountId: ACCOUNT,
        };
        it("lists every limit it breaks, and a tumbling window with parallelization", () => {
            const p = problemsOf(
                argumentErrors(
                    () =>
                        new KinesisEventSource("src", {
                            ...args,
                            batchSize: 0,
                            maximumBatchingWindowSeconds: 301,
                            parallelizationFactor: 2,
                            maximumRetryAttempts: -1,
                            maximumRecordAgeSeconds: 59,
                            tumblingWindowSeconds: 901,
                        }),
                ),
            );
            assert.deepStrictEqual(
                p.map((x) => x.split(" ")[0]),
                [
                    "batchSize",
                    "maximumBatchingWindowSeconds",
                    "maximumRetryAttempts",
                    "maximumRecordAgeSeconds",
                    "tumblingWindowSeconds",
                    "parallelizationFactor",
                ],
            );
        });
        it("declares the mapping with the settings and the failure destination it was given", async () => {
            new KinesisEventSource("src", args);
            const mapping = await one("aws:lambda/eventSourceMapping:EventSourceMapping", "src-mapping");
            assert.deepStrictEqual(
                [mapping.inputs.batchSize, mapping.inputs.startingPosition, mapping.inputs.maximumRetryAttempts],
                [100, "LATEST", 3],
            );
            assert.strictEqual(mapping.inputs.destinationConfig.onFailure.destinationArn, "arn:aws:s3:::failures");
        });
    });

    describe("Network", () => {
        const args: NetworkArgs = {
            cidr: "10.0.0.0/16",
            azCount: 3,
            natGateways: "single",
            subnetPrefixLengths: { public: 24, application: 20, data: 22, payment: 24 } as NetworkArgs["subnetPrefixLengths"],
            interfaceEndpoints: [],
            paymentPorts: [8443],
            region: "eu-west-1",
            accountId: ACCOUNT,
            logsKeyArn: KEY,
            logRetentionDays: 30,
        };
        it("reports every subnet plan problem in one error, prefixed with the CIDR", () => {
            const message = argumentErrors(
                () =>
                    new Network("net", { ...args, cidr: "10.0.0.0/24", subnetPrefixLengths: { ...args.subnetPrefixLengths, public: 16 } }),
            );
            assert.match(message, /^network 10\.0\.0\.0\/24: /);
        });
    });

    describe("RedshiftWarehouse", () => {
        const args = { name: "lake", baseCapacity: 8, maxCapacity: 16, subnetIds: ["a", "b", "c"] } as unknown as RedshiftWarehouseArgs;
        it("lists every problem (checked before anything is declared)", () => {
            const p = problemsOf(
                argumentErrors(
                    () => new RedshiftWarehouse("wh", { ...args, name: "Lake", baseCapacity: 12, maxCapacity: 8, subnetIds: ["a"] }),
                ),
            );
            assert.deepStrictEqual(
                p.map((x) => x.split(" ")[0]),
                ["name", "baseCapacity", "maxCapacity", "subnetIds"],
            );
        });
    });

    describe("UserPool", () => {
        const args: UserPoolArgs = {
            poolName: "shop",
            selfSignUp: true,
            mfa: "OPTIONAL",
            passwordMinimumLength: 12,
            deletionProtection: "ACTIVE",
            tier: "ESSENTIALS",
            threatProtection: "OFF",
            clients: [
                { name: "web", callbackUrls: ["https://shop.example.com/cb"], logoutUrls: ["https://shop.example.com/"] },
            ] as unknown as UserPoolArgs["clients"],
            tokens: { accessMinutes: 60, idMinutes: 60, refreshDays: 30 },
        };
        it("lists every problem", () => {
            const clients = [
                { name: "web", callbackUrls: ["http://shop.example.com/cb"], logoutUrls: [] },
                { name: "web", callbackUrls: [], logoutUrls: [] },
            ] as unknown as UserPoolArgs["clients"];
            const p = problemsOf(
                argumentErrors(() => new UserPool("users", { ...args, threatProtection: "ENFORCED", passwordMinimumLength: 8, clients })),
            );
            assert.match(p[0], /^threatProtection ENFORCED needs tier PLUS/);
            assert.match(p[1], /^passwordMinimumLength must be 12-99, got 8/);
            assert.ok(p.includes("clients must have distinct names"));
            assert.ok(p.some((x) => /client web: http:\/\/shop\.example\.com\/cb must use HTTPS/.test(x)));
            assert.ok(p.includes("client web needs at least one callback URL"));
        });
    });

    describe("WebAcl", () => {
        const args: WebAclArgs = {
            rateLimit: 2000,
            oversizedBodyExemptPaths: [{ path: "/api/", match: "STARTS_WITH" }],
            logGroupName: "aws-waf-logs-shop",
            logKeyArn: KEY,
            logRetentionDays: 30,
        };
        it("lists the rate and log-group problems with the path problems, not only the first", () => {
            const p = problemsOf(
                argumentErrors(
                    () =>
                        new WebAcl("waf", {
                            ...args,
                            rateLimit: 5,
                            logGroupName: "waf-logs",
                            oversizedBodyExemptPaths: [{ path: "/api", match: "STARTS_WITH" }],
                            collect: { path: "/collect/", rateLimit: 1, maxBodyBytes: 0 },
                        }),
                ),
            );
            assert.deepStrictEqual(
                p.map((x) => x.split(/[ :]/)[0]),
                ["rateLimit", "logGroupName", "oversizedBodyExemptPaths", "collect.path", "collect.rateLimit", "collect.maxBodyBytes"],
            );
        });
        it("refuses an empty exemption list", () => {
            assert.match(
                argumentErrors(() => new WebAcl("w2", { ...args, oversizedBodyExemptPaths: [] })),
                /oversizedBodyExemptPaths must name at least one path/,
            );
        });
    });

    describe("StackKeys", () => {
        const args = { homeRegion: "eu-west-1", accountId: ACCOUNT, partition: "aws", aliasPrefix: "alias/shop", deletionWindowInDays: 30 };
        it("refuses a deletion window outside 7-30 days", () => {
            for (const days of [6, 31, 7.5])
                assert.match(
                    argumentErrors(() => new StackKeys(`k${days}`, { ...args, deletionWindowInDays: days })),
                    /deletionWindowInDays must be an integer from 7 to 30/,
                );
        });
        it("refuses a key for another region after sealing", () => {
            const keys = new StackKeys("keys", args);
            keys.seal();
            assert.match(
                argumentErrors(() => keys.forRegion("us-east-1")),
                /requested after the key policies were sealed/,
            );
        });
        it("declares a rotating key with its alias in the home region", async () => {
            new StackKeys("keys", args);
            const key = (await registered()).find((r) => r.type === "aws:kms/key:Key");
            assert.ok(key);
            assert.deepStrictEqual([key.inputs.enableKeyRotation, key.inputs.deletionWindowInDays], [true, 30]);
            assert.ok((await registered()).some((r) => r.type === "aws:kms/alias:Alias"));
        });
    });

    describe("SealedTopicPolicy", () => {
        it("writes one policy with every statement at seal, and refuses statements after it", async () => {
            const policy = new SealedTopicPolicy("alarms", { topicArn: "arn:aws:sns:eu-west-1:123456789012:alarms" });
            policy.addStatement({
                Sid: "A",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
                Resource: "*",
            });
            policy.addStatement({
                Sid: "B",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: "*",
            });
            policy.seal();
            assert.match(
                argumentErrors(() => policy.addStatement({ Sid: "C", Effect: "Allow", Action: "sns:Publish", Resource: "*" })),
                /added after the topic policy was written/,
            );
            const written = (await registered()).filter((r) => r.type === "aws:sns/topicPolicy:TopicPolicy");
            assert.strictEqual(written.length, 1);
            assert.deepStrictEqual(
                JSON.parse(written[0].inputs.policy).Statement.map((s: { Sid: string }) => s.Sid),
                ["A", "B"],
            );
        });
        it("writes nothing when no statement was contributed", async () => {
            new SealedTopicPolicy("quiet", { topicArn: "arn:aws:sns:eu-west-1:123456789012:quiet" }).seal();
            assert.deepStrictEqual(
                (await registered()).filter((r) => r.type === "aws:sns/topicPolicy:TopicPolicy"),
                [],
            );
        });
    });
});
