import * as assert from "assert";
import { CostResource, estimateCost, PRICES, tierOfUrn } from "../../policy/lib/cost";
import { ConfigValidationError, validateStackConfig } from "../../config/load";
import { readProgram } from "../../engine/evaluate";
import { budgetPolicyConfig, costSettings } from "../../engine/cost";
import { monthlyBudget } from "../../policy/policies/monthly-budget";
import { runStack } from "../policy/harness";
import { notApplicable } from "../policy/assert";
import { REPO_ROOT } from "../support/plan";

const urn = (type: string, name: string, tier = "data") => `urn:pulumi:test::retail-platform::retail:${tier}:Tier$${type}::${name}`;
const res = (type: string, name: string, inputs: Record<string, unknown>, tier?: string): CostResource => ({
    urn: urn(type, name, tier),
    type,
    inputs,
});

/** A profile with no usage at all: what is left is exactly the fixed prices. */
function noUsage(): Record<string, number> {
    const p: Record<string, number> = {};
    for (const k of [
        "cdnRequestsMillions",
        "cdnDataOutGb",
        "wafRequestsMillions",
        "albLcu",
        "natDataGb",
        "endpointDataGb",
        "flowLogGb",
        "logIngestGb",
        "auroraExtraAcu",
        "auroraActiveHours",
        "auroraStorageGb",
        "auroraIoMillions",
        "cacheDataGb",
        "cacheEcpuMillions",
        "s3StorageGb",
        "s3PutThousands",
        "s3GetThousands",
        "dynamoWriteMillions",
        "dynamoReadMillions",
        "dynamoStorageGb",
        "lambdaRequestsMillions",
        "sqsRequestsMillions",
        "snsPublishesMillions",
        "eventBusEventsMillions",
        "eventArchiveGb",
        "kinesisRecordsMillions",
        "kinesisOnDemandGb",
        "firehoseGb",
        "crawlerRunsPerMonth",
        "glueJobRunsPerMonth",
        "athenaTbScanned",
        "redshiftActiveHours",
        "redshiftStorageGb",
        "apiRequestsMillions",
        "cognitoBillableMau",
        "configItems",
        "configRuleEvaluations",
        "cloudTrailDataEventsMillions",
        "guardDutyEventsMillions",
        "guardDutyLogGb",
        "ecrStorageGb",
        "backupStorageGb",
    ])
        p[k] = 0;
    return p;
}

const total = (resources: CostResource[], region: string, profile: Record<string, number> = noUsage()) =>
    estimateCost(resources, { region, profile }).monthlyUsd;

describe("cost estimate", () => {
    describe("anchors: hourly components × 730 h, labelled with their region", () => {
        const nat = res("aws:ec2/natGateway:NatGateway", "nat", { connectivityType: "public", subnetId: "subnet-1" }, "networking");
        it("us-east-1: a NAT gateway is $32.85/month without its IPv4 address and data ($0.045/h)", () => {
            assert.strictEqual(total([nat], "us-east-1"), 32.85);
        });
        it("eu-west-1: a NAT gateway is $35.04/month ($0.048/h)", () => {
            assert.strictEqual(total([nat], "eu-west-1"), 35.04);
        });
        it("the NAT's Elastic IP adds $3.65 (public IPv4 $0.005/h, every region)", () => {
            assert.strictEqual(total([nat, res("aws:ec2/eip:Eip", "eip", { domain: "vpc" }, "networking")], "us-east-1"), 36.5);
        });
        const cluster = (min: number) =>
            res("aws:rds/cluster:Cluster", "c", {
                engine: "aurora-postgresql",
                clusterIdentifier: "db",
                serverlessv2ScalingConfiguration: { minCapacity: min, maxCapacity: 4 },
            });
        const instance = (n: string) =>
            res("aws:rds/clusterInstance:ClusterInstance", n, { clusterIdentifier: "db", instanceClass: "db.serverless" });
        it("us-east-1: 0.5 ACU of Aurora Serverless v2 is $43.80 per instance ($0.12/ACU-h)", () => {
            assert.strictEqual(total([cluster(0.5), instance("w")], "us-east-1"), 43.8);
            assert.strictEqual(total([cluster(0.5), instance("w"), instance("r")], "us-east-1"), 87.6);
        });
        it("eu-west-1: 0.5 ACU is $51.10 per instance ($0.14/ACU-h, usage type EU-Aurora:ServerlessV2Usage)", () => {
            assert.strictEqual(total([cluster(0.5), instance("w")], "eu-west-1"), 51.1);
        });
        it("eu-west-1 I/O-Optimized: Ireland's Standard ACU rate + 30 % ($0.182/ACU-h)", () => {
            const iopt = { ...cluster(0.5), inputs: { ...cluster(0.5).inputs, storageType: "aurora-iopt1" } };
            assert.strictEqual(total([iopt, instance("w")], "eu-west-1"), 66.43); // 0.5 × 730 × $0.182
            assert.strictEqual(total([iopt, instance("w")], "us-east-1"), 56.94); // 0.5 × 730 × $0.156
        });
        it("an auto-pausing instance (0 ACU minimum) has no fixed compute; its awake hours come from the profile", () => {
            const e = estimateCost([cluster(0), instance("w")], { region: "us-east-1", profile: { ...noUsage(), auroraActiveHours: 100 } });
            assert.strictEqual(e.fixedUsd, 0);
            assert.strictEqual(e.usageUsd, 6); // 0.5 ACU × 100 h × $0.12
        });
        const stream = (shards: number) =>
            res(
                "aws:kinesis/stream:Stream",
                "clicks",
                { shardCount: shards, streamModeDetails: { streamMode: "PROVISIONED" } },
                "clickstream",
            );
        it("us-east-1: 10 provisioned shards are $109.50 without PUT units ($0.015/shard-h)", () => {
            assert.strictEqual(total([stream(10)], "us-east-1"), 109.5);
        });
        it("PUT payload units follow the profile and are labelled usage", () => {
            const e = estimateCost([stream(10)], { region: "us-east-1", profile: { ...noUsage(), kinesisRecordsMillions: 10 } });
            assert.strictEqual(e.monthlyUsd, 109.64);
            assert.deepStrictEqual(
                e.byResource[0].lines.map((l) => [l.basis, l.region]),
                [
                    ["fixed", "us-east-1"],
                    ["usage", "us-east-1"],
                ],
            );
        });
        it("every catalogue price names its unit and source, and eu-west-1 says how it was obtained", () => {
            for (const [k, p] of Object.entries(PRICES)) {
                assert.ok(p.unit && p.source && p.euSource, k);
                assert.ok(p.usEast1 > 0 && p.euWest1 > 0, k);
                if (p.euBasis === "global") assert.strictEqual(p.euWest1, p.usEast1, k);
            }
        });
    });

    describe("fixed prices from the declared resources", () => {
        it("interface endpoints per AZ; gateway endpoints free", () => {
            const ep = res(
                "aws:ec2/vpcEndpoint:VpcEndpoint",
                "logs",
                { vpcEndpointType: "Interface", subnetIds: ["a", "b", "c"] },
                "networking",
            );
            const gw = res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway", routeTableIds: ["r"] }, "networking");
            assert.strictEqual(total([ep, gw], "us-east-1"), 21.9); // 3 × $7.30
            assert.strictEqual(total([ep], "eu-west-1"), 24.09); // 3 × 730 × $0.011
        });
        it("Fargate at the auto scaling minimum, from the task definition's size and architecture", () => {
            const td = res(
                "aws:ecs/taskDefinition:TaskDefinition",
                "td",
                { family: "shop-cart", cpu: "512", memory: "1024", runtimePlatform: { cpuArchitecture: "X86_64" } },
                "application",
            );
            const svc = res(
                "aws:ecs/service:Service",
                "svc",
                {
                    name: "cart",
                    cluster: "arn:aws:ecs:us-east-1:1:cluster/shop",
                    taskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/shop-cart:3",
                    desiredCount: 5,
                    launchType: "FARGATE",
                },
                "application",
            );
            const target = res(
                "aws:appautoscaling/target:Target",
                "t",
                { resourceId: "service/shop/cart", minCapacity: 2, maxCapacity: 10 },
                "application",
            );
            // 2 tasks × (0.5 vCPU × $0.04048 + 1 GB × $0.004445) × 730 h = $36.04 (a 2-task PBC at 0.5 vCPU / 1 GB)
            assert.strictEqual(total([td, svc, target], "us-east-1"), 36.04);
            assert.strictEqual(total([td, svc], "us-east-1"), 90.1, "without a scaling target: the desired count");
            const arm = { ...td, inputs: { ...td.inputs, runtimePlatform: { cpuArchitecture: "ARM64" } } };
            assert.strictEqual(total([arm, svc, target], "us-east-1"), 28.84);
        });
        it("ElastiCache Serverless minimums: Valkey 100 MB, Redis OSS 1 GB", () => {
            assert.strictEqual(
                total([res("aws:elasticache/serverlessCache:ServerlessCache", "v", { engine: "valkey" })], "us-east-1"),
                6.13,
            );
            assert.strictEqual(
                total([res("aws:elasticache/serverlessCache:ServerlessCache", "r", { engine: "redis" })], "us-east-1"),
                91.25,
            );
        });
        it("KMS keys, secrets (including RDS-managed master secrets), WAF ACL and rules, alarms", () => {
            const items = [
                res("aws:kms/key:Key", "k", {}, "security"),
                res("aws:secretsmanager/secret:Secret", "s", {}, "security"),
                res("aws:rds/cluster:Cluster", "c", { engine: "aurora-postgresql", manageMasterUserPassword: true }),
                res("aws:wafv2/webAcl:WebAcl", "acl", { region: "us-east-1", rules: [{}, {}, {}, {}, {}] }, "ingress"),
                res("aws:cloudwatch/metricAlarm:MetricAlarm", "a", { period: 60 }, "application"),
                res("aws:cloudwatch/metricAlarm:MetricAlarm", "hr", { period: 10 }, "application"),
            ];
            assert.strictEqual(total(items, "eu-west-1"), 12.2); // $1 + $0.40 + $0.40 + ($5 + 5 × $1) + $0.10 + $0.30
        });
        it("eu-west-1 DynamoDB on demand at the Price List's Ireland rates (write $0.705/M, read $0.1415/M, $0.283 and PITR $0.22/GB)", () => {
            const table = res("aws:dynamodb/table:Table", "t", { billingMode: "PAY_PER_REQUEST", pointInTimeRecovery: { enabled: true } });
            const profile = { ...noUsage(), dynamoWriteMillions: 4, dynamoReadMillions: 20, dynamoStorageGb: 10 };
            const e = estimateCost([table], { region: "eu-west-1", profile });
            assert.strictEqual(e.monthlyUsd, 10.68); // 4 × 0.705 + 20 × 0.1415 + 10 × 0.283 + 10 × 0.22
            assert.strictEqual(estimateCost([table], { region: "us-east-1", profile }).monthlyUsd, 9.5); // 2.5 + 2.5 + 2.5 + 2
        });
        it("a public ALB: hours plus one public IPv4 per AZ; an internal one has no public addresses", () => {
            const alb = res("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", subnets: ["a", "b"] }, "ingress");
            assert.strictEqual(total([alb], "us-east-1"), 23.73); // $16.43 + 2 × $3.65
            assert.strictEqual(total([{ ...alb, inputs: { ...alb.inputs, internal: true } }], "us-east-1"), 16.43);
        });
    });

    describe("the tiers other pieces add are priced by type", () => {
        const P = { ...noUsage() };
        const fixtures: [string, Record<string, unknown>, Record<string, number>, number][] = [
            ["aws:kinesis/stream:Stream", { streamModeDetails: { streamMode: "ON_DEMAND" } }, {}, 29.2],
            [
                "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
                { destination: "extended_s3", extendedS3Configuration: { dataFormatConversionConfiguration: { enabled: true } } },
                { firehoseGb: 10 },
                0.47,
            ],
            ["aws:apigateway/restApi:RestApi", { name: "api" }, { apiRequestsMillions: 2 }, 7],
            ["aws:glue/crawler:Crawler", { name: "raw-orders" }, { crawlerRunsPerMonth: 30, crawlerDpuHoursPerRun: 0.1 }, 2.2], // 10-minute minimum
            ["aws:glue/job:Job", { workerType: "G.1X", numberOfWorkers: 2 }, { glueJobRunsPerMonth: 10, glueJobHoursPerRun: 0.5 }, 4.4],
            ["aws:athena/workgroup:Workgroup", { name: "wg" }, { athenaTbScanned: 0.02 }, 0.1],
            ["aws:redshiftserverless/workgroup:Workgroup", { baseCapacity: 8 }, { redshiftActiveHours: 24 }, 72],
            ["aws:cloudtrail/trail:Trail", { name: "t" }, { cloudTrailDataEventsMillions: 1 }, 1],
            ["aws:cfg/recorder:Recorder", { name: "r" }, { configItems: 1000 }, 3],
            ["aws:cfg/rule:Rule", { name: "r" }, { configRuleEvaluations: 5000 }, 5],
            ["aws:guardduty/detector:Detector", { enable: true }, { guardDutyEventsMillions: 1, guardDutyLogGb: 2 }, 6],
            ["aws:cognito/userPool:UserPool", { name: "p" }, { cognitoBillableMau: 1000 }, 15],
            ["aws:cloudwatch/dashboard:Dashboard", { dashboardName: "ops" }, {}, 3],
            ["aws:budgets/budget:Budget", { budgetType: "COST" }, {}, 0],
        ];
        for (const [type, inputs, profile, expected] of fixtures) {
            it(`${type} (us-east-1): $${expected}`, () => {
                const e = estimateCost([res(type, "x", inputs, "analytics")], { region: "us-east-1", profile: { ...P, ...profile } });
                assert.strictEqual(e.monthlyUsd, expected);
                assert.ok(!e.assumptions.some((a) => a.includes(type)), "not reported as unpriced");
            });
        }
        it("a type without a catalogue entry is listed in the assumptions, not silently free", () => {
            const e = estimateCost([res("aws:opensearch/domain:Domain", "search", {})], { region: "us-east-1" });
            assert.ok(e.assumptions.some((a) => /Not priced.*aws:opensearch\/domain:Domain/.test(a)));
        });
        it("a standard-tier SSM parameter is free; an advanced one is listed as not priced", () => {
            const standard = estimateCost([res("aws:ssm/parameter:Parameter", "p", { type: "String" })], { region: "us-east-1" });
            assert.strictEqual(standard.monthlyUsd, 0);
            assert.ok(!standard.assumptions.some((a) => a.includes("aws:ssm/parameter")));
            const advanced = estimateCost([res("aws:ssm/parameter:Parameter", "p", { type: "String", tier: "Advanced" })], {
                region: "us-east-1",
            });
            assert.ok(advanced.assumptions.some((a) => /Not priced.*aws:ssm\/parameter:Parameter/.test(a)));
        });
        it("a region outside the catalogue is priced at eu-west-1 rates and says so", () => {
            const e = estimateCost([res("aws:ec2/natGateway:NatGateway", "n", { region: "eu-central-1" })], {
                region: "eu-west-1",
                profile: noUsage(),
            });
            assert.strictEqual(e.monthlyUsd, 35.04);
            assert.ok(e.assumptions.some((a) => a.startsWith("eu-central-1 is not in the catalogue")));
        });
    });

    describe("per tier and per resource", () => {
        it("reads the tier from the URN's parent chain", () => {
            assert.strictEqual(
                tierOfUrn("urn:pulumi:s::p::retail:application:Tier$retail:application:PbcService$aws:ecs/service:Service::x"),
                "application",
            );
            assert.strictEqual(tierOfUrn("urn:pulumi:s::p::aws:kms/key:Key::k"), null);
        });
        it("sums resources into tiers and the total", () => {
            const e = estimateCost(
                [
                    res("aws:kms/key:Key", "k", {}, "security"),
                    res("aws:ec2/natGateway:NatGateway", "n", {}, "networking"),
                    res("aws:ec2/eip:Eip", "e", {}, "networking"),
                ],
                { region: "us-east-1", profile: noUsage() },
            );
            assert.deepStrictEqual(e.byTier, { networking: 36.5, security: 1 });
            assert.strictEqual(e.monthlyUsd, 37.5);
            assert.strictEqual(e.byResource[0].type, "aws:ec2/natGateway:NatGateway", "largest first");
        });
    });

    describe("stack config: costProfile and budget", () => {
        const stack = "staging";
        const raw = () => ({ ...readProgram(REPO_ROOT, stack).config });
        it("both committed stacks state a profile and a budget", () => {
            for (const s of ["staging", "production"]) {
                const cfg = validateStackConfig(readProgram(REPO_ROOT, s).config, "retail-platform", s);
                assert.ok(cfg.budget && cfg.budget > 0, s);
                assert.strictEqual(cfg.costProfile.hoursPerMonth, 730);
            }
        });
        it("reports bad values with their dotted path", () => {
            const c = raw();
            c["retail-platform:costProfile"] = JSON.stringify({ natDataGb: -1, natDataGB: 3, hoursPerMonth: 100 });
            c["retail-platform:budget"] = "0";
            try {
                validateStackConfig(c, "retail-platform", stack);
                assert.fail("expected a ConfigValidationError");
            } catch (e) {
                assert.ok(e instanceof ConfigValidationError);
                const text = e.problems.join("\n");
                assert.match(text, /costProfile: unknown key\(s\) "natDataGB"/);
                assert.match(text, /budget: must be a monthly amount in USD above 0, got 0/);
            }
            c["retail-platform:costProfile"] = JSON.stringify({ natDataGb: -1 });
            c["retail-platform:budget"] = "400";
            assert.throws(
                () => validateStackConfig(c, "retail-platform", stack),
                /costProfile\.natDataGb: must be a number from 0 to 1000000000, got -1/,
            );
            c["retail-platform:costProfile"] = JSON.stringify({ hoursPerMonth: 100 });
            assert.throws(() => validateStackConfig(c, "retail-platform", stack), /costProfile\.hoursPerMonth: must be from 672 to 744/);
        });
        it("the budget policy is advisory in staging and mandatory in production", () => {
            for (const s of ["staging", "production"]) {
                const cfg = budgetPolicyConfig(
                    costSettings({ project: "retail-platform", config: readProgram(REPO_ROOT, s).config }),
                ) as Record<string, Record<string, unknown>>;
                assert.strictEqual(cfg["monthly-budget"].enforcementLevel, s === "production" ? "mandatory" : "advisory");
                assert.strictEqual(cfg["monthly-budget"].region, "eu-west-1");
            }
        });
    });

    describe("policy: monthly-budget", () => {
        const nat = { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: { connectivityType: "public" } };
        const run = (budgetUsd: number | undefined, resources: { type: string; name: string; props: Record<string, unknown> }[]) => {
            const found: string[] = [];
            let na: string | undefined;
            const args = {
                resources: resources.map((r) => ({ urn: urn(r.type, r.name, "networking"), type: r.type, name: r.name, props: r.props })),
                getConfig: () => ({ budgetUsd, region: "us-east-1", profile: noUsage() }),
                notApplicable: (reason: string) => {
                    na = reason;
                },
            };
            (monthlyBudget.validateStack as (a: unknown, r: (m: string) => void) => void)(args, (m) => found.push(m));
            return { found, na };
        };
        it("passes an estimate within the budget", () => assert.deepStrictEqual(run(40, [nat]).found, []));
        it("reports an estimate over the budget with the largest resources", () => {
            const { found } = run(30, [nat]);
            assert.strictEqual(found.length, 1);
            assert.match(found[0], /Estimated monthly cost \$32\.85 exceeds the budget of \$30\.00 by \$2\.85 \(largest: nat \$32\.85\)/);
        });
        it("is not applicable without a budget (direct)", () => assert.ok(run(undefined, [nat]).na));
        it("is not applicable without its config (through the analyzer)", async () => notApplicable(await runStack(monthlyBudget, [nat])));
    });
});
