// The monthly cost estimate of a planned stack: priced by resource type from the recorded inputs, so any tier that
// declares these types is priced. Pure: the plan engine and the monthly-budget policy run the same code.
import { CATALOGUE_DATE, isPricedRegion, PRICES, priceIn, PriceKey } from "./catalogue";
import { UsageProfile, withDefaults } from "./profile";

/** What the estimator needs of a resource: its URN (the tier is read from it), type and inputs. */
export interface CostResource {
    urn: string;
    type: string;
    inputs: Record<string, unknown>;
}

export interface CostLine {
    /** What is charged, e.g. "2 tasks × 0.5 vCPU × 730 h". */
    item: string;
    usd: number;
    /** fixed: follows from the resource as declared; usage: from the stack's usage profile. */
    basis: "fixed" | "usage";
    /** The region whose price was used (or "global"). */
    region: string;
}

export interface ResourceCost {
    urn: string;
    type: string;
    tier: string | null;
    monthlyUsd: number;
    lines: CostLine[];
}

export interface CostEstimate {
    monthlyUsd: number;
    fixedUsd: number;
    usageUsd: number;
    byTier: Record<string, number>;
    byResource: ResourceCost[];
    assumptions: string[];
}

const cents = (n: number) => Math.round(n * 100) / 100;
const num = (v: unknown, fallback = 0): number => {
    const n = typeof v === "string" ? Number(v) : v;
    return typeof n === "number" && Number.isFinite(n) ? n : fallback;
};
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> =>
    v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** `retail:<tier>:Tier` in the URN's type chain (its parents), or null. */
export function tierOfUrn(urn: string): string | null {
    const typeChain = urn.split("::")[2] ?? "";
    const m = /(?:^|\$)retail:([A-Za-z0-9-]+):Tier(?:\$|$)/.exec(typeChain);
    return m ? m[1] : null;
}

interface Ctx {
    region: string;
    profile: UsageProfile;
    hours: number;
    all: CostResource[];
    /** Resources of a type: usage shared evenly between them. */
    count(type: string, filter?: (r: CostResource) => boolean): number;
    price(key: PriceKey, r: CostResource): { rate: number; region: string };
}

type Pricer = (r: CostResource, c: Ctx) => CostLine[];

function line(c: Ctx, r: CostResource, key: PriceKey, qty: number, item: string, basis: CostLine["basis"]): CostLine {
    const { rate, region } = c.price(key, r);
    return { item, usd: qty * rate, basis, region };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000));

/** A share of a profile quantity: the profile gives totals for the stack, split evenly over resources of a kind. */
function share(total: number, n: number): number {
    return n > 0 ? total / n : 0;
}

// Fargate task size from the task definition the service runs (its family is the ARN's last path part).
function taskDefinitionFor(service: CostResource, c: Ctx): CostResource | undefined {
    const arn = str(service.inputs.taskDefinition) ?? "";
    const family = arn.split("/").pop()?.split(":")[0];
    return (
        c.all.find(
            (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && (str(r.inputs.family) === family || arn === str(r.inputs.arn)),
        ) ??
        c.all.find(
            (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && family !== undefined && family.startsWith(String(r.inputs.family)),
        )
    );
}

// The running minimum: the auto scaling target's minCapacity when one targets the service, else desiredCount.
function minimumTasks(service: CostResource, c: Ctx): { count: number; from: string } {
    const cluster = (str(service.inputs.cluster) ?? "").split("/").pop();
    const resourceId = `service/${cluster}/${str(service.inputs.name)}`;
    const target = c.all.find((r) => r.type === "aws:appautoscaling/target:Target" && r.inputs.resourceId === resourceId);
    if (target) return { count: num(target.inputs.minCapacity), from: "auto scaling minimum" };
    return { count: num(service.inputs.desiredCount, 1), from: "desired count" };
}

function auroraClusterFor(instance: CostResource, c: Ctx): CostResource | undefined {
    return c.all.find((r) => r.type === "aws:rds/cluster:Cluster" && r.inputs.clusterIdentifier === instance.inputs.clusterIdentifier);
}

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

export const PRICERS: Record<string, Pricer> = {
    "aws:ec2/natGateway:NatGateway": (r, c) => {
        if (str(r.inputs.connectivityType) === "private") return [line(c, r, "natHour", c.hours, `${c.hours} h (private NAT)`, "fixed")];
        const n = c.count(r.type, (x) => str(x.inputs.connectivityType) !== "private");
        const gb = share(c.profile.natDataGb, n);
        return [
            line(c, r, "natHour", c.hours, `${c.hours} NAT gateway-hours`, "fixed"),
            line(c, r, "natGb", gb, `${fmt(gb)} GB processed (profile natDataGb shared by ${n})`, "usage"),
        ];
    },
    // The NAT gateway's (or any) Elastic IP: public IPv4 is charged per address-hour, attached or not.
    "aws:ec2/eip:Eip": (r, c) => [line(c, r, "publicIpv4Hour", c.hours, `public IPv4 × ${c.hours} h`, "fixed")],
    [ENDPOINT]: (r, c) => {
        if (str(r.inputs.vpcEndpointType) !== "Interface") return [];
        const azs = arr(r.inputs.subnetIds).length || 1;
        const n = c.count(ENDPOINT, (x) => str(x.inputs.vpcEndpointType) === "Interface");
        const gb = share(c.profile.endpointDataGb, n);
        return [
            line(c, r, "interfaceEndpointHour", azs * c.hours, `${azs} AZ × ${c.hours} h`, "fixed"),
            line(c, r, "interfaceEndpointGb", gb, `${fmt(gb)} GB (profile endpointDataGb shared by ${n})`, "usage"),
        ];
    },
    "aws:lb/loadBalancer:LoadBalancer": (r, c) => {
        if ((str(r.inputs.loadBalancerType) ?? "application") !== "application") return [];
        const lines = [line(c, r, "albHour", c.hours, `${c.hours} ALB-hours`, "fixed")];
        // An internet-facing ALB holds one public IPv4 address per AZ (subnet).
        if (r.inputs.internal !== true) {
            const azs = arr(r.inputs.subnets).length || arr(r.inputs.subnetMappings).length || 2;
            lines.push(line(c, r, "publicIpv4Hour", azs * c.hours, `${azs} public IPv4 × ${c.hours} h`, "fixed"));
        }
        const n = c.count(r.type);
        const lcu = share(c.profile.albLcu, n);
        lines.push(line(c, r, "albLcuHour", lcu * c.hours, `${fmt(lcu)} LCU × ${c.hours} h (profile albLcu)`, "usage"));
        return lines;
    },
    "aws:ecs/service:Service": (r, c) => {
        const launch = str(r.inputs.launchType);
        if (launch && launch !== "FARGATE") return [];
        const td = taskDefinitionFor(r, c);
        if (!td) return [];
        const vcpu = num(td.inputs.cpu) / 1024;
        const gb = num(td.inputs.memory) / 1024;
        const arm = str(obj(td.inputs.runtimePlatform).cpuArchitecture) === "ARM64";
        const { count, from } = minimumTasks(r, c);
        const h = count * c.hours;
        const arch = arm ? "ARM" : "x86";
        return [
            line(
                c,
                r,
                arm ? "fargateVcpuHourArm" : "fargateVcpuHourX86",
                h * vcpu,
                `${count} task(s) (${from}) × ${fmt(vcpu)} vCPU ${arch} × ${c.hours} h`,
                "fixed",
            ),
            line(c, r, arm ? "fargateGbHourArm" : "fargateGbHourX86", h * gb, `${count} task(s) × ${fmt(gb)} GB × ${c.hours} h`, "fixed"),
        ];
    },
    "aws:rds/clusterInstance:ClusterInstance": (r, c) => {
        if (str(r.inputs.instanceClass) !== "db.serverless") return [];
        const cluster = auroraClusterFor(r, c);
        const scaling = obj(cluster?.inputs.serverlessv2ScalingConfiguration);
        const min = num(scaling.minCapacity, 0.5);
        const ioOpt = str(cluster?.inputs.storageType) === "aurora-iopt1";
        const key: PriceKey = ioOpt ? "auroraAcuHourIoOptimized" : "auroraAcuHour";
        const lines: CostLine[] = [];
        if (min > 0) {
            lines.push(line(c, r, key, min * c.hours, `${fmt(min)} ACU minimum × ${c.hours} h`, "fixed"));
            if (c.profile.auroraExtraAcu > 0)
                lines.push(
                    line(
                        c,
                        r,
                        key,
                        c.profile.auroraExtraAcu * c.hours,
                        `${fmt(c.profile.auroraExtraAcu)} ACU above the minimum × ${c.hours} h (profile auroraExtraAcu)`,
                        "usage",
                    ),
                );
        } else {
            // Auto-pause: no compute while paused; when awake it runs at 0.5 ACU or more.
            const acu = 0.5 + c.profile.auroraExtraAcu;
            lines.push(
                line(
                    c,
                    r,
                    key,
                    acu * c.profile.auroraActiveHours,
                    `${fmt(acu)} ACU × ${fmt(c.profile.auroraActiveHours)} awake h (auto-pause; profile auroraActiveHours)`,
                    "usage",
                ),
            );
        }
        return lines;
    },
    "aws:rds/cluster:Cluster": (r, c) => {
        if (str(r.inputs.engine)?.startsWith("aurora") !== true) return [];
        const n = c.count(r.type, (x) => str(x.inputs.engine)?.startsWith("aurora") === true);
        const gb = share(c.profile.auroraStorageGb, n);
        const io = share(c.profile.auroraIoMillions, n);
        const ioOpt = str(r.inputs.storageType) === "aurora-iopt1";
        const lines = [
            line(
                c,
                r,
                "auroraStorageGbMonth",
                gb * (ioOpt ? 2.25 : 1),
                `${fmt(gb)} GB storage (profile auroraStorageGb)${ioOpt ? " at the I/O-Optimized rate" : ""}`,
                "usage",
            ),
        ];
        if (!ioOpt) lines.push(line(c, r, "auroraIoMillion", io, `${fmt(io)}M I/O (profile auroraIoMillions)`, "usage"));
        // RDS-managed master passwords live in a Secrets Manager secret billed at the usual rate.
        if (r.inputs.manageMasterUserPassword === true) lines.push(line(c, r, "secretMonth", 1, "RDS-managed master secret", "fixed"));
        return lines;
    },
    "aws:elasticache/serverlessCache:ServerlessCache": (r, c) => {
        const valkey = str(r.inputs.engine) === "valkey";
        // Minimum billed data: 100 MB for Valkey, 1 GB for Redis OSS and Memcached.
        const minGb = valkey ? 0.1 : 1;
        const n = c.count(r.type);
        const dataGb = share(c.profile.cacheDataGb, n);
        const ecpu = share(c.profile.cacheEcpuMillions, n);
        const gbKey: PriceKey = valkey ? "cacheValkeyGbHour" : "cacheRedisGbHour";
        const lines = [line(c, r, gbKey, minGb * c.hours, `${fmt(minGb)} GB minimum × ${c.hours} h`, "fixed")];
        if (dataGb > minGb)
            lines.push(
                line(
                    c,
                    r,
                    gbKey,
                    (dataGb - minGb) * c.hours,
                    `${fmt(dataGb - minGb)} GB above the minimum × ${c.hours} h (profile cacheDataGb)`,
                    "usage",
                ),
            );
        lines.push(
            line(
                c,
                r,
                valkey ? "cacheValkeyEcpuMillion" : "cacheRedisEcpuMillion",
                ecpu,
                `${fmt(ecpu)}M ECPU (profile cacheEcpuMillions)`,
                "usage",
            ),
        );
        return lines;
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": (r, c) => {
        const node = str(r.inputs.nodeType);
        const key: PriceKey | undefined =
            node === "cache.t4g.small" ? "cacheT4gSmallHour" : node === "cache.t4g.medium" ? "cacheT4gMediumHour" : undefined;
        if (!key) return [];
        const nodes = num(r.inputs.numCacheClusters, 0) || num(r.inputs.numNodeGroups, 1) * (1 + num(r.inputs.replicasPerNodeGroup, 0));
        const valkey = str(r.inputs.engine) === "valkey";
        return [
            line(
                c,
                r,
                key,
                nodes * c.hours * (valkey ? 0.8 : 1),
                `${nodes} × ${node}${valkey ? " (Valkey, −20 %)" : ""} × ${c.hours} h`,
                "fixed",
            ),
        ];
    },
    "aws:kinesis/stream:Stream": (r, c) => {
        const mode = str(obj(r.inputs.streamModeDetails).streamMode) ?? "PROVISIONED";
        const n = c.count(r.type);
        if (mode === "ON_DEMAND") {
            const gb = share(c.profile.kinesisOnDemandGb, n);
            return [
                line(c, r, "kinesisOnDemandStreamHour", c.hours, `on-demand stream × ${c.hours} h`, "fixed"),
                line(c, r, "kinesisOnDemandGbIn", gb, `${fmt(gb)} GB written (profile kinesisOnDemandGb)`, "usage"),
            ];
        }
        const shards = num(r.inputs.shardCount, 1);
        const puts = share(c.profile.kinesisRecordsMillions, n);
        return [
            line(c, r, "kinesisShardHour", shards * c.hours, `${shards} shard(s) × ${c.hours} h`, "fixed"),
            line(c, r, "kinesisPutMillion", puts, `${fmt(puts)}M PUT payload units (profile kinesisRecordsMillions)`, "usage"),
        ];
    },
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (r, c) => {
        const gb = share(c.profile.firehoseGb, c.count(r.type));
        const conversion = obj(obj(r.inputs.extendedS3Configuration).dataFormatConversionConfiguration);
        const lines = [line(c, r, "firehoseGb", gb, `${fmt(gb)} GB ingested (profile firehoseGb)`, "usage")];
        if (Object.keys(conversion).length > 0 && conversion.enabled !== false)
            lines.push(line(c, r, "firehoseConversionGb", gb, `${fmt(gb)} GB converted to columnar format`, "usage"));
        return lines;
    },
    "aws:kms/key:Key": (r, c) => [line(c, r, "kmsKeyMonth", 1, "customer-managed key", "fixed")],
    "aws:kms/replicaKey:ReplicaKey": (r, c) => [line(c, r, "kmsKeyMonth", 1, "multi-Region replica key", "fixed")],
    "aws:secretsmanager/secret:Secret": (r, c) => [line(c, r, "secretMonth", 1, "secret", "fixed")],
    "aws:wafv2/webAcl:WebAcl": (r, c) => {
        const rules = arr(r.inputs.rules).length;
        const req = share(c.profile.wafRequestsMillions, c.count(r.type));
        return [
            line(c, r, "wafAclMonth", 1, "web ACL", "fixed"),
            line(c, r, "wafRuleMonth", rules, `${rules} rule(s) and rule groups`, "fixed"),
            line(c, r, "wafRequestMillion", req, `${fmt(req)}M requests (profile wafRequestsMillions)`, "usage"),
        ];
    },
    "aws:wafv2/ruleGroup:RuleGroup": (r, c) => [line(c, r, "wafRuleMonth", 1, "rule group", "fixed")],
    "aws:cloudfront/distribution:Distribution": (r, c) => {
        const n = c.count(r.type);
        const gb = share(c.profile.cdnDataOutGb, n);
        const req = share(c.profile.cdnRequestsMillions, n);
        return [
            line(c, r, "cloudfrontGbOut", gb, `${fmt(gb)} GB to viewers (profile cdnDataOutGb)`, "usage"),
            line(c, r, "cloudfrontHttpsTenThousand", req * 100, `${fmt(req)}M HTTPS requests (profile cdnRequestsMillions)`, "usage"),
        ];
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": (r, c) => {
        // Metric-math alarms are billed per metric they read; alarms on a period under 60 s are high resolution.
        const queries = arr(r.inputs.metricQueries).filter((q) => obj(q).metric !== undefined).length;
        const metrics = Math.max(1, queries);
        const highRes = num(r.inputs.period, 60) < 60;
        return [
            line(
                c,
                r,
                highRes ? "cwAlarmHighResMonth" : "cwAlarmMonth",
                metrics,
                `${metrics} alarm metric(s)${highRes ? " (high resolution)" : ""}`,
                "fixed",
            ),
        ];
    },
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": (r, c) => [line(c, r, "cwCompositeAlarmMonth", 1, "composite alarm", "fixed")],
    "aws:cloudwatch/dashboard:Dashboard": (r, c) => [line(c, r, "cwDashboardMonth", 1, "dashboard", "fixed")],
    "aws:cloudwatch/logGroup:LogGroup": (r, c) => {
        const gb = share(c.profile.logIngestGb, c.count(r.type));
        return [
            line(c, r, "cwLogsIngestGb", gb, `${fmt(gb)} GB ingested (profile logIngestGb shared by ${c.count(r.type)} groups)`, "usage"),
        ];
    },
    "aws:ec2/flowLog:FlowLog": (r, c) => {
        const gb = share(c.profile.flowLogGb, c.count(r.type));
        const toS3 = str(r.inputs.logDestinationType) === "s3";
        return [
            line(
                c,
                r,
                toS3 ? "flowLogsToS3Gb" : "cwLogsIngestGb",
                gb,
                `${fmt(gb)} GB of flow logs to ${toS3 ? "S3" : "CloudWatch Logs"} (profile flowLogGb)`,
                "usage",
            ),
        ];
    },
    "aws:route53/zone:Zone": (r, c) => [
        line(c, r, "route53ZoneMonth", 1, "hosted zone (alias queries to AWS resources are free)", "fixed"),
    ],
    "aws:s3/bucket:Bucket": (r, c) => {
        const n = c.count(r.type);
        return [
            line(
                c,
                r,
                "s3GbMonth",
                share(c.profile.s3StorageGb, n),
                `${fmt(share(c.profile.s3StorageGb, n))} GB Standard (profile s3StorageGb shared by ${n} buckets)`,
                "usage",
            ),
            line(
                c,
                r,
                "s3PutThousand",
                share(c.profile.s3PutThousands, n),
                `${fmt(share(c.profile.s3PutThousands, n))}k PUT (profile s3PutThousands)`,
                "usage",
            ),
            line(
                c,
                r,
                "s3GetThousand",
                share(c.profile.s3GetThousands, n),
                `${fmt(share(c.profile.s3GetThousands, n))}k GET (profile s3GetThousands)`,
                "usage",
            ),
        ];
    },
    "aws:dynamodb/table:Table": (r, c) => {
        const n = c.count(r.type);
        const gb = share(c.profile.dynamoStorageGb, n);
        const lines: CostLine[] = [line(c, r, "dynamoStorageGbMonth", gb, `${fmt(gb)} GB (profile dynamoStorageGb)`, "usage")];
        if ((str(r.inputs.billingMode) ?? "PROVISIONED") === "PAY_PER_REQUEST") {
            lines.push(
                line(
                    c,
                    r,
                    "dynamoWriteMillion",
                    share(c.profile.dynamoWriteMillions, n),
                    `${fmt(share(c.profile.dynamoWriteMillions, n))}M writes (profile dynamoWriteMillions)`,
                    "usage",
                ),
            );
            lines.push(
                line(
                    c,
                    r,
                    "dynamoReadMillion",
                    share(c.profile.dynamoReadMillions, n),
                    `${fmt(share(c.profile.dynamoReadMillions, n))}M reads (profile dynamoReadMillions)`,
                    "usage",
                ),
            );
        }
        if (obj(r.inputs.pointInTimeRecovery).enabled === true)
            lines.push(line(c, r, "dynamoPitrGbMonth", gb, `${fmt(gb)} GB continuous backup`, "usage"));
        return lines;
    },
    "aws:lambda/function:Function": (r, c) => {
        const n = c.count(r.type);
        const req = share(c.profile.lambdaRequestsMillions, n);
        const memGb = num(r.inputs.memorySize, 128) / 1024;
        const arm = arr(r.inputs.architectures).includes("arm64");
        const gbSeconds = req * 1e6 * (c.profile.lambdaAvgDurationMs / 1000) * memGb;
        return [
            line(c, r, "lambdaRequestMillion", req, `${fmt(req)}M invocations (profile lambdaRequestsMillions)`, "usage"),
            line(
                c,
                r,
                arm ? "lambdaGbSecondArm" : "lambdaGbSecondX86",
                gbSeconds,
                `${fmt(gbSeconds)} GB-s at ${fmt(memGb)} GB (profile lambdaAvgDurationMs)`,
                "usage",
            ),
        ];
    },
    "aws:sqs/queue:Queue": (r, c) => {
        const fifo = r.inputs.fifoQueue === true || (str(r.inputs.name) ?? "").endsWith(".fifo");
        const req = share(c.profile.sqsRequestsMillions, c.count(r.type));
        return [line(c, r, fifo ? "sqsFifoMillion" : "sqsMillion", req, `${fmt(req)}M requests (profile sqsRequestsMillions)`, "usage")];
    },
    "aws:sns/topic:Topic": (r, c) => {
        const p = share(c.profile.snsPublishesMillions, c.count(r.type));
        return [line(c, r, "snsMillion", p, `${fmt(p)}M publishes (profile snsPublishesMillions)`, "usage")];
    },
    "aws:cloudwatch/eventBus:EventBus": (r, c) => {
        const e = share(c.profile.eventBusEventsMillions, c.count(r.type));
        return [line(c, r, "eventBridgeMillion", e, `${fmt(e)}M custom events (profile eventBusEventsMillions)`, "usage")];
    },
    "aws:cloudwatch/eventArchive:EventArchive": (r, c) => {
        const gb = share(c.profile.eventArchiveGb, c.count(r.type));
        return [line(c, r, "eventArchiveGb", gb, `${fmt(gb)} GB archived (profile eventArchiveGb)`, "usage")];
    },
    "aws:glue/crawler:Crawler": (r, c) => {
        const dpuh = c.profile.crawlerRunsPerMonth * Math.max(c.profile.crawlerDpuHoursPerRun, 10 / 60);
        return [
            line(
                c,
                r,
                "glueDpuHour",
                dpuh,
                `${fmt(c.profile.crawlerRunsPerMonth)} runs × ${fmt(Math.max(c.profile.crawlerDpuHoursPerRun, 10 / 60))} DPU-h (10-minute minimum; profile crawlerRunsPerMonth)`,
                "usage",
            ),
        ];
    },
    "aws:glue/job:Job": (r, c) => {
        const perWorker: Record<string, number> = { "G.025X": 0.25, "G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8, "Z.2X": 2 };
        const workers = num(r.inputs.numberOfWorkers, 0);
        const dpus = workers > 0 ? workers * (perWorker[str(r.inputs.workerType) ?? "G.1X"] ?? 1) : num(r.inputs.maxCapacity, 0.0625);
        const dpuh = dpus * c.profile.glueJobRunsPerMonth * c.profile.glueJobHoursPerRun;
        return [
            line(
                c,
                r,
                "glueDpuHour",
                dpuh,
                `${fmt(dpus)} DPU × ${fmt(c.profile.glueJobRunsPerMonth)} runs × ${fmt(c.profile.glueJobHoursPerRun)} h (profile glueJob*)`,
                "usage",
            ),
        ];
    },
    "aws:athena/workgroup:Workgroup": (r, c) => {
        const tb = share(c.profile.athenaTbScanned, c.count(r.type));
        return [line(c, r, "athenaTb", tb, `${fmt(tb)} TB scanned (profile athenaTbScanned)`, "usage")];
    },
    "aws:redshiftserverless/workgroup:Workgroup": (r, c) => {
        // Billed per second while queries run, at the base capacity (default 128 RPU) or more.
        const base = num(r.inputs.baseCapacity, 128);
        return [
            line(
                c,
                r,
                "redshiftRpuHour",
                base * c.profile.redshiftActiveHours,
                `${base} RPU base × ${fmt(c.profile.redshiftActiveHours)} active h (profile redshiftActiveHours)`,
                "usage",
            ),
        ];
    },
    "aws:redshiftserverless/namespace:Namespace": (r, c) => {
        const gb = share(c.profile.redshiftStorageGb, c.count(r.type));
        return [line(c, r, "redshiftStorageGbMonth", gb, `${fmt(gb)} GB managed storage (profile redshiftStorageGb)`, "usage")];
    },
    "aws:apigateway/restApi:RestApi": (r, c) => {
        const m = share(c.profile.apiRequestsMillions, c.count(r.type));
        return [line(c, r, "apiGatewayRestMillion", m, `${fmt(m)}M requests (profile apiRequestsMillions)`, "usage")];
    },
    "aws:cognito/userPool:UserPool": (r, c) => {
        const mau = share(c.profile.cognitoBillableMau, c.count(r.type));
        return [line(c, r, "cognitoMau", mau, `${fmt(mau)} billable MAU above the free 10,000 (profile cognitoBillableMau)`, "usage")];
    },
    "aws:cfg/recorder:Recorder": (r, c) => [
        line(c, r, "configItem", c.profile.configItems, `${fmt(c.profile.configItems)} configuration items (profile configItems)`, "usage"),
    ],
    "aws:cfg/rule:Rule": (r, c) => {
        const ev = share(c.profile.configRuleEvaluations, c.count(r.type));
        return [line(c, r, "configRuleEvaluation", ev, `${fmt(ev)} evaluations (profile configRuleEvaluations)`, "usage")];
    },
    "aws:cloudtrail/trail:Trail": (r, c) => {
        const m = share(c.profile.cloudTrailDataEventsMillions, c.count(r.type));
        return [
            line(
                c,
                r,
                "cloudTrailDataEventsHundredThousand",
                m * 10,
                `${fmt(m)}M data events; the first copy of management events is free (profile cloudTrailDataEventsMillions)`,
                "usage",
            ),
        ];
    },
    "aws:guardduty/detector:Detector": (r, c) => [
        line(
            c,
            r,
            "guardDutyEventMillion",
            c.profile.guardDutyEventsMillions,
            `${fmt(c.profile.guardDutyEventsMillions)}M management events (profile guardDutyEventsMillions)`,
            "usage",
        ),
        line(
            c,
            r,
            "guardDutyLogGb",
            c.profile.guardDutyLogGb,
            `${fmt(c.profile.guardDutyLogGb)} GB flow/DNS logs (profile guardDutyLogGb)`,
            "usage",
        ),
    ],
    // AWS Budgets: budgets themselves are free; action-enabled budgets beyond two per account are not modelled.
    "aws:budgets/budget:Budget": () => [],
    "aws:ecr/repository:Repository": (r, c) => {
        const gb = share(c.profile.ecrStorageGb, c.count(r.type));
        return [line(c, r, "ecrGbMonth", gb, `${fmt(gb)} GB images (profile ecrStorageGb)`, "usage")];
    },
    "aws:backup/vault:Vault": (r, c) => {
        const gb = share(c.profile.backupStorageGb, c.count(r.type));
        return [line(c, r, "backupGbMonth", gb, `${fmt(gb)} GB backups (profile backupStorageGb)`, "usage")];
    },
};

/** Types known to cost nothing by themselves (configuration, IAM, networking glue): not listed, not "unpriced". */
const FREE_PREFIXES = [
    "aws:iam/",
    "aws:ec2/subnet",
    "aws:ec2/routeTable",
    "aws:ec2/route:",
    "aws:ec2/vpc:",
    "aws:ec2/internetGateway",
    "aws:ec2/securityGroup",
    "aws:ec2/defaultSecurityGroup",
    "aws:ec2/networkAcl",
    "aws:vpc/",
    "aws:s3/bucket",
    "aws:sqs/queuePolicy",
    "aws:sns/topic",
    "aws:kms/",
    "aws:lb/",
    "aws:ecs/",
    "aws:appautoscaling/",
    "aws:servicediscovery/",
    "aws:route53/record",
    "aws:acm/",
    "aws:cloudfront/",
    "aws:cloudwatch/event",
    "aws:cloudwatch/logDelivery",
    "aws:lambda/",
    "aws:rds/",
    "aws:secretsmanager/secretVersion",
    "aws:backup/",
    "aws:wafv2/webAclLoggingConfiguration",
    "aws:glue/catalog",
    "aws:elasticache/",
    "random:",
    "aws:dynamodb/",
    "aws:ecr/",
    "aws:cloudwatch/logGroup",
];

/** Parameter Store's standard tier costs nothing; an advanced parameter is billed, so it is listed as not priced. */
function isStandardParameter(r: CostResource): boolean {
    return r.type === "aws:ssm/parameter:Parameter" && (r.inputs.tier ?? "Standard") === "Standard";
}

export interface EstimateOptions {
    /** The stack's region (`aws:region`): resources without their own `region` input are priced there. */
    region: string;
    profile?: Partial<UsageProfile>;
}

/** The monthly estimate: per resource, per tier and in total, with the assumptions it rests on. */
export function estimateCost(resources: CostResource[], opts: EstimateOptions): CostEstimate {
    const profile = withDefaults(opts.profile);
    // Components and the stack cost nothing themselves; only provider resources are priced.
    const custom = resources.filter((r) => r.type.startsWith("aws:") || r.type.startsWith("random:"));
    const counts = new Map<string, number>();
    const unpricedRegions = new Set<string>();
    const ctx: Ctx = {
        region: opts.region,
        profile,
        hours: profile.hoursPerMonth,
        all: custom,
        count(type, filter) {
            const key = filter ? undefined : type;
            if (key && counts.has(key)) return counts.get(key)!;
            const n = custom.filter((r) => r.type === type && (!filter || filter(r))).length;
            if (key) counts.set(key, n);
            return n;
        },
        price(key, r) {
            const region = str(r.inputs.region) ?? opts.region;
            const p = PRICES[key];
            if (p.euBasis !== "global" && !isPricedRegion(region)) unpricedRegions.add(region);
            return {
                rate: priceIn(key, region),
                region: p.euBasis === "global" ? "global" : isPricedRegion(region) ? region : `${region}≈eu-west-1`,
            };
        },
    };
    const byResource: ResourceCost[] = [];
    const unpricedTypes = new Set<string>();
    for (const r of custom) {
        const pricer = PRICERS[r.type];
        if (!pricer) {
            if (!FREE_PREFIXES.some((p) => r.type.startsWith(p)) && !isStandardParameter(r)) unpricedTypes.add(r.type);
            continue;
        }
        const lines = pricer(r, ctx)
            .filter((l) => l.usd > 0)
            .map((l) => ({ ...l, usd: Math.round(l.usd * 1e4) / 1e4 }));
        if (lines.length === 0) continue;
        const monthly = lines.reduce((s, l) => s + l.usd, 0);
        byResource.push({ urn: r.urn, type: r.type, tier: tierOfUrn(r.urn), monthlyUsd: cents(monthly), lines });
    }
    byResource.sort((a, b) => b.monthlyUsd - a.monthlyUsd || (a.urn < b.urn ? -1 : 1));
    const byTier: Record<string, number> = {};
    let fixed = 0;
    let usage = 0;
    for (const rc of byResource) {
        const tier = rc.tier ?? "(no tier)";
        byTier[tier] = (byTier[tier] ?? 0) + rc.monthlyUsd;
        for (const l of rc.lines) {
            if (l.basis === "fixed") fixed += l.usd;
            else usage += l.usd;
        }
    }
    for (const t of Object.keys(byTier)) byTier[t] = cents(byTier[t]);
    const assumptions = [
        `List prices gathered ${CATALOGUE_DATE}, USD, ${profile.hoursPerMonth} hours a month; ${opts.region} unless a resource sets its own region (WAF for CloudFront: us-east-1).`,
        "Fixed lines follow from the resources as declared (hours they exist, minimum capacity, counts); usage lines follow the stack's costProfile and say which field.",
        "Usage totals of the profile are shared evenly by the resources of a type (e.g. logIngestGb over every log group).",
        "Free tiers and free allowances that are per account (Lambda, SQS, SNS, CloudFront's 1 TB, CloudWatch's 3 dashboards) are not subtracted.",
        "Data transfer out of AWS other than through CloudFront, cross-AZ traffic, taxes and support plans are not included.",
        "ECS services are priced at their auto scaling minimum; one-off tasks (migrations) at zero.",
    ];
    for (const region of [...unpricedRegions].sort())
        assumptions.push(`${region} is not in the catalogue: its resources are priced at eu-west-1 rates.`);
    if (unpricedTypes.size) assumptions.push(`Not priced (no catalogue entry): ${[...unpricedTypes].sort().join(", ")}.`);
    return { monthlyUsd: cents(fixed + usage), fixedUsd: cents(fixed), usageUsd: cents(usage), byTier, byResource, assumptions };
}
