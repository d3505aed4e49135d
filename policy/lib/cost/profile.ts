// The usage a stack expects per month: what the usage-driven prices are multiplied by. Fixed prices (hours a
// resource exists) need none of it. Every field has a default, so a stack states only what differs.

export interface UsageProfile {
    /** Hours in the month (AWS's pricing examples use 730). */
    hoursPerMonth: number;
    /** Viewer requests reaching CloudFront (millions per month). */
    cdnRequestsMillions: number;
    /** GB CloudFront sends to viewers per month. */
    cdnDataOutGb: number;
    /** Requests reaching the WAF web ACL (millions per month; every CloudFront request is inspected). */
    wafRequestsMillions: number;
    /** Average ALB load balancer capacity units over the month. */
    albLcu: number;
    /** GB through the NAT gateways per month (all of them together). */
    natDataGb: number;
    /** GB through interface endpoints per month (all together). */
    endpointDataGb: number;
    /** GB of VPC flow logs delivered per month. */
    flowLogGb: number;
    /** GB ingested into CloudWatch Logs per month (all log groups together). */
    logIngestGb: number;
    /** Average Aurora Serverless v2 capacity above the minimum, in ACU (per instance). */
    auroraExtraAcu: number;
    /** Hours per month an auto-pausing (0 ACU minimum) Aurora instance is awake. */
    auroraActiveHours: number;
    /** Aurora cluster volume, GB. */
    auroraStorageGb: number;
    /** Aurora I/O requests (millions per month; Standard storage only). */
    auroraIoMillions: number;
    /** Average data stored in an ElastiCache Serverless cache, GB (billed at least the engine's minimum). */
    cacheDataGb: number;
    /** ElastiCache ECPUs (millions per month). */
    cacheEcpuMillions: number;
    /** GB stored in S3 (all buckets together, Standard class). */
    s3StorageGb: number;
    /** S3 PUT/COPY/POST/LIST requests (thousands per month). */
    s3PutThousands: number;
    /** S3 GET requests (thousands per month). */
    s3GetThousands: number;
    /** DynamoDB on-demand write request units (millions per month, all tables). */
    dynamoWriteMillions: number;
    /** DynamoDB on-demand read request units (millions per month, all tables). */
    dynamoReadMillions: number;
    /** GB stored in DynamoDB (all tables). */
    dynamoStorageGb: number;
    /** Lambda invocations (millions per month, all functions). */
    lambdaRequestsMillions: number;
    /** Average Lambda duration, milliseconds. */
    lambdaAvgDurationMs: number;
    /** SQS requests (millions per month, all queues; long polling by event source mappings counts). */
    sqsRequestsMillions: number;
    /** SNS publishes (millions per month). */
    snsPublishesMillions: number;
    /** Custom events put on EventBridge buses (millions per month). */
    eventBusEventsMillions: number;
    /** GB of events EventBridge archives per month. */
    eventArchiveGb: number;
    /** Records put to Kinesis streams (millions per month; one PUT unit per 25 KB record or less). */
    kinesisRecordsMillions: number;
    /** GB written to on-demand Kinesis streams per month. */
    kinesisOnDemandGb: number;
    /** GB ingested by Firehose per month (after rounding each record up to 5 KB). */
    firehoseGb: number;
    /** Glue crawler runs per month (each crawler). */
    crawlerRunsPerMonth: number;
    /** DPU-hours per crawler run (billed per second, 10-minute minimum). */
    crawlerDpuHoursPerRun: number;
    /** Glue job runs per month (each job). */
    glueJobRunsPerMonth: number;
    /** Hours per Glue job run. */
    glueJobHoursPerRun: number;
    /** TB Athena scans per month (all workgroups). */
    athenaTbScanned: number;
    /** Hours per month a Redshift Serverless workgroup runs queries (billed at its base capacity or more). */
    redshiftActiveHours: number;
    /** GB in Redshift managed storage. */
    redshiftStorageGb: number;
    /** API Gateway REST API requests (millions per month). */
    apiRequestsMillions: number;
    /** Cognito monthly active users above the free tier's. */
    cognitoBillableMau: number;
    /** AWS Config configuration items recorded per month. */
    configItems: number;
    /** AWS Config rule evaluations per month. */
    configRuleEvaluations: number;
    /** CloudTrail data events (millions per month; the first trail's management events are free). */
    cloudTrailDataEventsMillions: number;
    /** CloudTrail management events GuardDuty analyses (millions per month). */
    guardDutyEventsMillions: number;
    /** GB of VPC flow and DNS logs GuardDuty analyses per month. */
    guardDutyLogGb: number;
    /** GB stored in ECR (all repositories). */
    ecrStorageGb: number;
    /** GB of backups stored by AWS Backup (beyond Aurora's free backup storage). */
    backupStorageGb: number;
}

/** A small but awake platform: what a production stack that serves little traffic costs. */
export const DEFAULT_PROFILE: UsageProfile = {
    hoursPerMonth: 730,
    cdnRequestsMillions: 5,
    cdnDataOutGb: 100,
    wafRequestsMillions: 5,
    albLcu: 1,
    natDataGb: 20,
    endpointDataGb: 10,
    flowLogGb: 5,
    logIngestGb: 10,
    auroraExtraAcu: 0,
    auroraActiveHours: 200,
    auroraStorageGb: 20,
    auroraIoMillions: 5,
    cacheDataGb: 0.1,
    cacheEcpuMillions: 10,
    s3StorageGb: 100,
    s3PutThousands: 100,
    s3GetThousands: 1000,
    dynamoWriteMillions: 1,
    dynamoReadMillions: 5,
    dynamoStorageGb: 1,
    lambdaRequestsMillions: 1,
    lambdaAvgDurationMs: 200,
    sqsRequestsMillions: 5,
    snsPublishesMillions: 0.1,
    eventBusEventsMillions: 1,
    eventArchiveGb: 1,
    kinesisRecordsMillions: 10,
    kinesisOnDemandGb: 10,
    firehoseGb: 10,
    crawlerRunsPerMonth: 30,
    crawlerDpuHoursPerRun: 0.167,
    glueJobRunsPerMonth: 30,
    glueJobHoursPerRun: 0.25,
    athenaTbScanned: 0.02,
    redshiftActiveHours: 24,
    redshiftStorageGb: 20,
    apiRequestsMillions: 1,
    cognitoBillableMau: 0,
    configItems: 2000,
    configRuleEvaluations: 10000,
    cloudTrailDataEventsMillions: 0,
    guardDutyEventsMillions: 1,
    guardDutyLogGb: 5,
    ecrStorageGb: 5,
    backupStorageGb: 20,
};

export const PROFILE_KEYS = Object.keys(DEFAULT_PROFILE) as (keyof UsageProfile)[];

/** The profile with defaults for what a stack does not state. */
export function withDefaults(partial: Partial<UsageProfile> | undefined): UsageProfile {
    return { ...DEFAULT_PROFILE, ...(partial ?? {}) };
}
