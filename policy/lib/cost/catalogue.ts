// A dated list-price catalogue for the services the platform uses, in USD. Each price names its unit and source.
// us-east-1 prices come from /work/shared reference table "AWS us-east-1 list prices" (Infracost's generated price
// goldens "IC:<resource>", AWS pricing pages and blogs). eu-west-1 (Europe, Ireland) — where both stacks run —
// comes from the AWS pricing page of the service for that region; where only a regional ratio is known the price
// is the us-east-1 price times a stated factor (`basis: "factor"`), and `verify` marks prices read from secondary
// sources only. Prices change: the date says when these were gathered.

export const CATALOGUE_DATE = "2026-11-22";
export const HOURS_PER_MONTH = 730;

export type PricedRegion = "us-east-1" | "eu-west-1";

export interface Price {
    usEast1: number;
    euWest1: number;
    unit: string;
    source: string;
    /** Where the eu-west-1 figure comes from: its own list price, a factor over us-east-1, or the same global price. */
    euBasis: "list" | "factor" | "global";
    euSource: string;
    /** True when the figure comes from secondary sources only. */
    verify?: boolean;
}

const global = (usEast1: number, unit: string, source: string, verify = false): Price => ({
    usEast1,
    euWest1: usEast1,
    unit,
    source,
    euBasis: "global",
    euSource: "same price in every commercial region",
    verify,
});

const round = (n: number, digits = 6) => Math.round(n * 10 ** digits) / 10 ** digits;
const factor = (usEast1: number, f: number, unit: string, source: string, why: string): Price => ({
    usEast1,
    euWest1: round(usEast1 * f),
    unit,
    source,
    euBasis: "factor",
    euSource: `${f} × us-east-1: ${why}`,
    verify: true,
});
const list = (usEast1: number, euWest1: number, unit: string, source: string, euSource: string, verify = false): Price => ({
    usEast1,
    euWest1,
    unit,
    source,
    euBasis: "list",
    euSource,
    verify,
});

// ElastiCache Serverless: Europe (Ireland) taken as 10 % above N. Virginia. Not confirmed from the Price List (the
// pricing page loads regional rates at run time); aws-samples/amazon-elasticache-samples' serverless pricing table
// lists Ireland's Valkey rates at N. Virginia's, and Ireland's t4g nodes run 5-6 % above. The higher figure is kept so
// that the monthly-budget check errs high, not low.
const ELASTICACHE_EU = 1.1;
// DynamoDB's Europe (Ireland) rates, with the SKU and usage type of each row.
const DYNAMO_EU =
    "AWS Price List AmazonDynamoDB eu-west-1, offer 20260911124422 (quoted in henderjm/world-cup-sweepstake docs/costs/aws-ireland-rates.json)";
// GuardDuty's Europe (Ireland) analysis prices are about 10 % above N. Virginia (aws.amazon.com/guardduty/pricing).
const GUARDDUTY_EU = 1.1;

export const PRICES = {
    natHour: list(
        0.045,
        0.048,
        "per NAT gateway-hour",
        "IC:nat_gateway (730 h = $32.85)",
        "aws.amazon.com/vpc/pricing, Europe (Ireland): $0.048 per NAT gateway-hour",
    ),
    natGb: list(0.045, 0.048, "per GB processed", "IC:nat_gateway", "aws.amazon.com/vpc/pricing, Europe (Ireland): $0.048 per GB"),
    publicIpv4Hour: global(0.005, "per public IPv4 address-hour", "AWS Networking blog, public IPv4 charge from 2024-02-01"),
    interfaceEndpointHour: list(
        0.01,
        0.011,
        "per interface endpoint per AZ-hour",
        "IC:vpc_endpoint (730 h = $7.30)",
        "aws.amazon.com/privatelink/pricing, Europe (Ireland): $0.011 per VPC endpoint per AZ-hour",
    ),
    interfaceEndpointGb: global(0.01, "per GB processed (first PB)", "IC:vpc_endpoint"),
    albHour: list(
        0.0225,
        0.0252,
        "per ALB-hour",
        "IC:lb",
        "aws.amazon.com/elasticloadbalancing/pricing, Europe (Ireland): $0.0252 per ALB-hour",
    ),
    albLcuHour: global(0.008, "per LCU-hour", "IC:lb ($5.84 per LCU-month)"),
    fargateVcpuHourX86: global(
        0.04048,
        "per vCPU-hour, Linux/x86",
        "IC:ecs_service; vantage.sh/blog/fargate-pricing (Ireland lists the same rate)",
    ),
    fargateGbHourX86: global(0.004445, "per GB-hour, Linux/x86", "IC:ecs_service; vantage.sh/blog/fargate-pricing"),
    fargateVcpuHourArm: global(0.03238, "per vCPU-hour, Linux/ARM", "vantage.sh/blog/fargate-pricing"),
    fargateGbHourArm: global(0.00356, "per GB-hour, Linux/ARM", "vantage.sh/blog/fargate-pricing"),
    auroraAcuHour: list(
        0.12,
        0.14,
        "per ACU-hour, Serverless v2 (Standard)",
        "IC:rds_cluster_instance (3,650 ACU-h = $438)",
        "AWS Price List AmazonRDS, usage type EU-Aurora:ServerlessV2Usage (Europe (Ireland)): $0.14 per ACU-Hr, as " +
            "quoted by public Price List clients; aws/agent-toolkit-for-aws Aurora serverless pricing table: eu-west-1 $0.14",
    ),
    auroraAcuHourIoOptimized: factor(
        0.156,
        0.14 / 0.12,
        "per ACU-hour, Serverless v2 (I/O-Optimized)",
        "c3x.dev; aws/agent-toolkit-for-aws io-optimized-pricing (compute +30 % over Standard)",
        "Ireland/N. Virginia ratio of the Standard ACU price ($0.14/$0.12), i.e. Ireland's Standard rate + 30 %",
    ),
    auroraStorageGbMonth: list(
        0.1,
        0.11,
        "per GB-month (Standard)",
        "IC:rds_cluster",
        "aws.amazon.com/rds/aurora/pricing, Europe (Ireland): $0.11 per GB-month",
    ),
    auroraIoMillion: list(
        0.2,
        0.22,
        "per 1M I/O requests (Standard)",
        "IC:rds_cluster",
        "aws.amazon.com/rds/aurora/pricing, Europe (Ireland): $0.22 per 1M requests",
    ),
    cacheRedisGbHour: factor(
        0.125,
        ELASTICACHE_EU,
        "per GB-hour, ElastiCache Serverless Redis OSS (min 1 GB)",
        "AWS Database Blog, ElastiCache Serverless pricing",
        "ElastiCache regional ratio",
    ),
    cacheRedisEcpuMillion: factor(
        0.0034,
        ELASTICACHE_EU,
        "per 1M ECPU, Redis OSS",
        "gomomento.com/blog/a-look-into-elasticache-serverless-pricing",
        "ElastiCache regional ratio",
    ),
    cacheValkeyGbHour: factor(
        0.084,
        ELASTICACHE_EU,
        "per GB-hour, ElastiCache Serverless Valkey (min 100 MB)",
        "aws.eu/it/elasticache/pricing (33 % below Redis OSS)",
        "ElastiCache regional ratio",
    ),
    cacheValkeyEcpuMillion: factor(
        0.0023,
        ELASTICACHE_EU,
        "per 1M ECPU, Valkey",
        "usage.ai ElastiCache serverless page",
        "ElastiCache regional ratio",
    ),
    cacheT4gSmallHour: list(
        0.032,
        0.034,
        "per cache.t4g.small node-hour (Redis OSS; Valkey 20 % less)",
        "third-party cost tables",
        "Valkey cache.t4g.small $0.0272 per node-hour in eu-west-1, read from the AmazonElastiCache eu-west-1 Price " +
            "List file by a public estimate (no SKU quoted), ÷ 0.8 (Valkey nodes are 20 % below Redis OSS)",
        true,
    ),
    cacheT4gMediumHour: list(
        0.065,
        0.068,
        "per cache.t4g.medium node-hour (Redis OSS; Valkey 20 % less)",
        "third-party cost tables",
        "Valkey cache.t4g.medium $0.0544 per node-hour in eu-west-1, read from the AmazonElastiCache eu-west-1 Price " +
            "List file by a public estimate (no SKU quoted), ÷ 0.8 (Valkey nodes are 20 % below Redis OSS)",
        true,
    ),
    kmsKeyMonth: global(1, "per customer-managed key-month", "IC:kms_key"),
    secretMonth: global(0.4, "per secret-month", "IC:secretsmanager_secret"),
    wafAclMonth: global(5, "per web ACL-month", "IC:wafv2_web_acl"),
    wafRuleMonth: global(1, "per rule or rule group-month", "IC:wafv2_web_acl"),
    wafRequestMillion: global(0.6, "per 1M requests", "IC:wafv2_web_acl"),
    cloudfrontGbOut: global(
        0.085,
        "per GB to viewers in US/Europe (first 10 TB)",
        "IC:cloudfront_distribution (priced by edge location, not by region)",
    ),
    cloudfrontHttpsTenThousand: global(0.01, "per 10k HTTPS requests (US/Europe)", "IC:cloudfront_distribution"),
    kinesisShardHour: list(
        0.015,
        0.015,
        "per provisioned shard-hour",
        "IC:kinesis_stream (10 shards = $109.50)",
        "aws.amazon.com/kinesis/data-streams/pricing, Europe (Ireland)",
        true,
    ),
    kinesisPutMillion: list(
        0.014,
        0.014,
        "per 1M PUT payload units (25 KB)",
        "IC:kinesis_stream",
        "aws.amazon.com/kinesis/data-streams/pricing, Europe (Ireland)",
        true,
    ),
    kinesisOnDemandStreamHour: list(
        0.04,
        0.04,
        "per on-demand stream-hour",
        "IC:kinesis_stream",
        "aws.amazon.com/kinesis/data-streams/pricing, Europe (Ireland)",
        true,
    ),
    kinesisOnDemandGbIn: list(
        0.08,
        0.08,
        "per GB written (on demand)",
        "IC:kinesis_stream",
        "aws.amazon.com/kinesis/data-streams/pricing, Europe (Ireland)",
        true,
    ),
    firehoseGb: list(
        0.029,
        0.031,
        "per GB ingested (records rounded up to 5 KB)",
        "i05nagai/memorandum kinesis_firehose.md",
        "aws.amazon.com/kinesis/data-firehose/pricing, Europe (Ireland)",
        true,
    ),
    firehoseConversionGb: list(
        0.018,
        0.02,
        "per GB converted to Parquet/ORC",
        "public cost scripts",
        "aws.amazon.com/kinesis/data-firehose/pricing, Europe (Ireland)",
        true,
    ),
    redshiftRpuHour: list(
        0.375,
        0.375,
        "per RPU-hour while queries run (60 s minimum)",
        "AWS Big Data Blog (4 RPU = $1.50/h)",
        "aws.amazon.com/redshift/pricing, Europe (Ireland)",
        true,
    ),
    redshiftStorageGbMonth: global(0.024, "per GB-month managed storage", "IC:redshift_cluster", true),
    glueDpuHour: global(
        0.44,
        "per DPU-hour (crawlers, ETL jobs)",
        "IC:glue_crawler, IC:glue_job; aws.amazon.com/glue/pricing (Ireland lists the same rate)",
    ),
    athenaTb: global(5, "per TB scanned (10 MB minimum per query)", "athena.guide; aws.amazon.com/athena/pricing"),
    lambdaRequestMillion: global(0.2, "per 1M requests", "IC:lambda_function"),
    lambdaGbSecondX86: global(0.0000166667, "per GB-second, x86", "IC:lambda_function"),
    lambdaGbSecondArm: global(0.0000133334, "per GB-second, arm64", "IC:lambda_function"),
    sqsMillion: global(0.4, "per 1M standard requests (64 KB chunks)", "IC:sqs_queue"),
    sqsFifoMillion: global(0.5, "per 1M FIFO requests", "IC:sqs_queue"),
    snsMillion: global(0.5, "per 1M publishes", "IC:sns_topic"),
    eventBridgeMillion: global(1, "per 1M custom events", "IC:cloudwatch_event_bus"),
    eventArchiveGb: global(0.1, "per GB archived", "IC:cloudwatch_event_bus"),
    s3GbMonth: global(0.023, "per GB-month, S3 Standard (first 50 TB)", "IC:s3_bucket (Ireland lists the same rate)"),
    s3PutThousand: global(0.005, "per 1k PUT/COPY/POST/LIST", "IC:s3_bucket"),
    s3GetThousand: global(0.0004, "per 1k GET", "IC:s3_bucket"),
    cwDashboardMonth: global(3, "per dashboard-month (first 3 per account free, not applied)", "IC:cloudwatch_dashboard"),
    cwAlarmMonth: global(0.1, "per standard-resolution alarm metric-month", "IC:cloudwatch_metric_alarm"),
    cwAlarmHighResMonth: global(0.3, "per high-resolution alarm metric-month", "IC:cloudwatch_metric_alarm"),
    cwCompositeAlarmMonth: global(0.5, "per composite alarm-month", "aws.amazon.com/cloudwatch/pricing"),
    cwLogsIngestGb: list(
        0.5,
        0.57,
        "per GB ingested (standard class)",
        "IC:cloudwatch_log_group",
        "aws.amazon.com/cloudwatch/pricing, Europe (Ireland): $0.57 per GB",
    ),
    flowLogsToS3Gb: global(
        0.25,
        "per GB of vended logs delivered to S3 (first 10 TB)",
        "aws-samples/sample-cfm-tips-mcp vended log constants",
        true,
    ),
    route53ZoneMonth: global(0.5, "per hosted zone-month (first 25)", "IC:route53_zone"),
    dynamoWriteMillion: list(
        0.625,
        0.705,
        "per 1M on-demand write request units",
        "IC:dynamodb_table (us-east-2, same list price)",
        `${DYNAMO_EU}: SKU F4EZE5SAMS3D49NJ, EU-WriteRequestUnits, $0.000000705 per WriteRequestUnit`,
    ),
    dynamoReadMillion: list(
        0.125,
        0.1415,
        "per 1M on-demand read request units",
        "IC:dynamodb_table",
        `${DYNAMO_EU}: SKU 3ERQSZWPAMX2JWHN, EU-ReadRequestUnits, $0.0000001415 per ReadRequestUnit`,
    ),
    dynamoStorageGbMonth: list(
        0.25,
        0.283,
        "per GB-month (the account's first 25 GB-months free, not applied)",
        "IC:dynamodb_table",
        `${DYNAMO_EU}: SKU E6MS5SS3AMMHBJC6, EU-TimedStorage-ByteHrs, $0.283 per GB-Month beyond the first 25 free`,
    ),
    dynamoPitrGbMonth: list(
        0.2,
        0.22,
        "per GB-month of continuous backup",
        "IC:dynamodb_table",
        `${DYNAMO_EU}: SKU W73KZTNZ7UBXFD8S, EU-TimedPITRStorage-ByteHrs, $0.22 per GB-Month`,
    ),
    apiGatewayRestMillion: global(
        3.5,
        "per 1M REST API requests (first 333M)",
        "aws.amazon.com/api-gateway/pricing (Ireland lists the same rate)",
    ),
    cognitoMau: global(0.015, "per monthly active user above 10,000 (Essentials)", "aws.amazon.com/cognito/pricing", true),
    configItem: global(0.003, "per configuration item recorded", "aws.amazon.com/config/pricing"),
    configRuleEvaluation: global(0.001, "per rule evaluation (first 100k)", "aws.amazon.com/config/pricing"),
    cloudTrailDataEventsHundredThousand: global(0.1, "per 100k data events", "aws.amazon.com/cloudtrail/pricing"),
    guardDutyEventMillion: factor(
        4,
        GUARDDUTY_EU,
        "per 1M CloudTrail management events analysed",
        "aws.amazon.com/guardduty/pricing",
        "GuardDuty regional ratio",
    ),
    guardDutyLogGb: factor(
        1,
        GUARDDUTY_EU,
        "per GB of VPC flow and DNS logs analysed (first 500 GB)",
        "aws.amazon.com/guardduty/pricing",
        "GuardDuty regional ratio",
    ),
    ecrGbMonth: global(0.1, "per GB-month stored", "aws.amazon.com/ecr/pricing"),
    backupGbMonth: global(
        0.021,
        "per GB-month of Aurora snapshot storage beyond the free cluster-size amount",
        "IC:rds_cluster; AuroraUserGuide/aurora-storage-backup.html",
        true,
    ),
} satisfies Record<string, Price>;

export type PriceKey = keyof typeof PRICES;

/** The catalogue's price in a region; other regions are priced at eu-west-1 rates (the caller says so). */
export function priceIn(key: PriceKey, region: string): number {
    const p: Price = PRICES[key];
    return region === "us-east-1" ? p.usEast1 : p.euWest1;
}

export function isPricedRegion(region: string): region is PricedRegion {
    return region === "us-east-1" || region === "eu-west-1";
}
