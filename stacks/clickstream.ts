// Clickstream tier (Kinesis as the event stream that connects the PBCs): every product view, search,
// cart add and checkout step flows from the storefront through CloudFront and an ingestion API into a Kinesis stream,
// read in real time by two Lambda consumers on the cache (recently viewed; trending products per 5-minute window)
// and delivered by Firehose as Parquet to the data lake.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/aws";
import { ClickstreamApi } from "../components/clickstreamApi";
import { HandlerFunction } from "../components/handlerFunction";
import { arnFromName, keyStatement, knownArn, policyDocument, PolicyStatement, serviceTrustPolicy } from "../components/iam";
import { KinesisEventSource } from "../components/kinesisEventSource";
import { Network } from "../components/network";
import { SecurityGroups } from "../components/securityGroups";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { SealedTopicPolicy } from "../components/topicPolicy";
import { usesEnhancedFanOut } from "../config/clickstream";
import { LakeCatalog } from "./catalog";
import {
    CLICKSTREAM_COLUMNS,
    CLICKSTREAM_EVENT_TYPES,
    CLICKSTREAM_PARTITION_KEY,
    CLICKSTREAM_PREFIX,
    CLICKSTREAM_TABLE,
} from "./clickstreamTable";
import { PlatformContext, sealedBucket } from "./context";
import { cacheEnvironment, Databases } from "./databases";
import { RECENTLY_VIEWED_ENV } from "../handlers/recently-viewed/env";
import { TRENDING_ENV } from "../handlers/trending-products/env";
import { handlerCode } from "./events";
import { ResolvedCollectOrigin } from "./ingress";
import { Storage } from "./storage";

export interface ClickstreamDeps {
    keys: StackKeys;
    network: Network;
    securityGroups: SecurityGroups;
    storage: Storage;
    databases: Databases;
    /** The lake's Glue database (declared in the data tier). */
    catalog: LakeCatalog;
    /** The operations topic (alarms, quarantine notices) and its one policy. */
    operationsTopicArn: pulumi.Input<string>;
    operationsTopicPolicy: SealedTopicPolicy;
    /** Hands CloudFront's /collect origin (declared by the ingress tier) the API's host, stage path and key. */
    resolveCollectOrigin: (origin: pulumi.Output<ResolvedCollectOrigin>) => void;
}

/** The stage CloudFront's /collect origin path names. */
export const COLLECT_STAGE = "v1";
/** Firehose's error output: outside the table's location, so failed records never land in the table. */
export const CLICKSTREAM_ERROR_PREFIX = "errors/clickstream/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/";
/** Firehose's prefix: the table location plus the arrival-date partition. */
export const CLICKSTREAM_FIREHOSE_PREFIX = `${CLICKSTREAM_PREFIX}${CLICKSTREAM_PARTITION_KEY.name}=!{timestamp:yyyy-MM-dd}/`;
/** The log stream Firehose writes delivery errors to (it must exist: Firehose does not create it). */
export const FIREHOSE_LOG_STREAM = "DestinationDelivery";

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export function declareClickstream(ctx: PlatformContext, deps: ClickstreamDeps) {
    const { config, namePrefix, accountId, partition } = ctx;
    const c = config.clickstream;
    const region = config.region;
    const { keys, network, securityGroups, storage, databases, catalog } = deps;
    const tier = new Tier("clickstream");
    const parent = { parent: tier };
    const key = keys.home.arn;

    const stream = new aws.kinesis.Stream(
        `${namePrefix}-clickstream`,
        {
            name: `${namePrefix}-clickstream`,
            retentionPeriod: c.retentionHours,
            streamModeDetails: { streamMode: c.streamMode },
            ...(c.streamMode === "PROVISIONED" ? { shardCount: c.shardCount } : {}),
            encryptionType: "KMS",
            kmsKeyId: key,
        },
        parent,
    );
    const streamArn = knownArn(stream, region, accountId);

    // Ingestion: reachable only through CloudFront (the WAF covers it), which sends the usage plan's key.
    const logging = config.accountSingletons === "managed" ? "managed" : c.apiGatewayLoggingRoleSet ? "existing" : "off";
    const api = new ClickstreamApi(
        `${namePrefix}-clickstream`,
        {
            namePrefix,
            streamName: stream.name,
            streamArn: streamArn,
            streamKey: keys.home.grantRef,
            eventTypes: CLICKSTREAM_EVENT_TYPES,
            stageName: COLLECT_STAGE,
            rateLimit: c.apiRateLimit,
            burstLimit: c.apiBurstLimit,
            logging,
            kmsKeyArn: key,
            logRetentionDays: config.logRetentionDays,
            activeKey: c.activeApiKey,
            recoveryWindowInDays: ctx.isProduction ? 30 : 7,
            region,
            partition,
        },
        parent,
    );
    deps.resolveCollectOrigin(
        pulumi
            .all([api.host, api.activeKeyValue])
            .apply(([domainName, apiKey]) => ({ domainName, originPath: `/${COLLECT_STAGE}`, apiKey })),
    );

    // Failed batches, with their payload: Lambda's S3 on-failure destination chooses the object key itself
    // (aws/lambda/<mapping uuid>/<shard>/…), so a dedicated bucket with a bucket-wide expiry.
    const quarantine = sealedBucket(
        ctx,
        `${namePrefix}-clickstream-quarantine`,
        {
            bucketName: pulumi.interpolate`${namePrefix}-cs-quarantine-${accountId}`,
            encryption: { kmsKeyArn: key },
            accessLogs: { bucket: storage.logs.name, prefix: "s3-access/clickstream-quarantine/" },
            eventBridge: true,
            lifecycleRules: [
                {
                    id: "expire-quarantined-batches",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: c.quarantineExpiryDays },
                    noncurrentVersionExpiration: { noncurrentDays: 1 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
        },
        parent,
    );

    // A new quarantined batch notifies operations (S3 sends its events only to the default bus).
    const quarantineRule = new aws.cloudwatch.EventRule(
        `${namePrefix}-clickstream-quarantined`,
        {
            name: `${namePrefix}-clickstream-quarantined`,
            description: "A clickstream batch failed its retries and was quarantined",
            eventPattern: quarantine.name.apply((name) =>
                JSON.stringify({ source: ["aws.s3"], "detail-type": ["Object Created"], detail: { bucket: { name: [name] } } }),
            ),
        },
        parent,
    );
    // Like every rule target: retry for a day, then a delivery dead-letter queue of its own, watched by an alarm.
    const noticeDlq = new aws.sqs.Queue(
        `${namePrefix}-clickstream-quarantined-delivery-dlq`,
        {
            name: `${namePrefix}-clickstream-quarantined-delivery-dlq`,
            messageRetentionSeconds: 14 * 86400,
            kmsMasterKeyId: key,
            kmsDataKeyReusePeriodSeconds: 300,
        },
        parent,
    );
    new aws.sqs.QueuePolicy(
        `${namePrefix}-clickstream-quarantined-delivery-dlq`,
        {
            queueUrl: noticeDlq.url,
            // ARNs from the explicit names: the document is known at a first preview.
            policy: policyDocument(
                pulumi
                    .all([
                        arnFromName("sqs", region, accountId, `${namePrefix}-clickstream-quarantined-delivery-dlq`),
                        arnFromName("events", region, accountId, `rule/${namePrefix}-clickstream-quarantined`),
                    ])
                    .apply(([queue, rule]): PolicyStatement[] => [
                        {
                            Sid: "QuarantineRuleDeliveryFailures",
                            Effect: "Allow",
                            Principal: { Service: "events.amazonaws.com" },
                            Action: "sqs:SendMessage",
                            Resource: queue,
                            Condition: { ArnEquals: { "aws:SourceArn": rule } },
                        },
                    ]),
            ),
        },
        parent,
    );
    new aws.cloudwatch.MetricAlarm(
        `${namePrefix}-clickstream-quarantined-delivery-dlq-depth`,
        {
            alarmDescription: "A quarantine notice could not be delivered to the operations topic",
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: noticeDlq.name },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            alarmActions: [deps.operationsTopicArn],
        },
        parent,
    );
    new aws.cloudwatch.EventTarget(
        `${namePrefix}-clickstream-quarantined`,
        {
            rule: quarantineRule.name,
            targetId: "operations",
            arn: deps.operationsTopicArn,
            retryPolicy: { maximumEventAgeInSeconds: 24 * 3600, maximumRetryAttempts: 185 },
            deadLetterConfig: { arn: noticeDlq.arn },
        },
        parent,
    );
    // The topic's key already admits EventBridge (the stack keys' EventBridgeDelivery statement).
    // Built from the explicit names, so the policy is known at a first preview.
    deps.operationsTopicPolicy.addStatement(
        pulumi
            .all([
                deps.operationsTopicPolicy.statementTopicArn,
                arnFromName("events", ctx.config.region, ctx.accountId, `rule/${namePrefix}-clickstream-quarantined`),
            ])
            .apply(([topic, rule]): PolicyStatement => ({
                Sid: "ClickstreamQuarantineNotices",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topic,
                Condition: { ArnEquals: { "aws:SourceArn": rule } },
            })),
    );

    // The real-time consumers.
    const enhancedFanOut = usesEnhancedFanOut(c);
    const redis = cacheEnvironment(databases);
    const consumer = (
        name: "recently-viewed" | "trending-products",
        environment: Record<string, string>,
        tumblingWindowSeconds?: number,
    ) => {
        const fn = new HandlerFunction(
            `${namePrefix}-${name}`,
            {
                code: handlerCode(name),
                environment: { POWERTOOLS_SERVICE_NAME: name, POWERTOOLS_LOG_LEVEL: "INFO", ...redis, ...environment },
                statements: [],
                subnetIds: network.subnetIds.application,
                securityGroupId: securityGroups.lambda.id,
                logsKeyArn: key,
                logRetentionDays: config.logRetentionDays,
                timeoutSeconds: c.lambdaTimeoutSeconds,
                memoryMb: c.lambdaMemoryMb,
                batchSize: c.batchSize,
                maximumBatchingWindowSeconds: c.maximumBatchingWindowSeconds,
                maximumConcurrency: 2,
                region,
                accountId,
            },
            parent,
        );
        const source = new KinesisEventSource(
            `${namePrefix}-${name}`,
            {
                functionArn: fn.function.arn,
                roleId: fn.role.id,
                streamArn: streamArn,
                streamKey: keys.home.grantRef,
                enhancedFanOut,
                startingPosition: c.startingPosition,
                batchSize: c.batchSize,
                maximumBatchingWindowSeconds: c.maximumBatchingWindowSeconds,
                // Lambda allows one batch per shard with a tumbling window.
                parallelizationFactor: tumblingWindowSeconds === undefined ? c.parallelizationFactor : 1,
                tumblingWindowSeconds,
                maximumRetryAttempts: c.maximumRetryAttempts,
                maximumRecordAgeSeconds: c.maximumRecordAgeSeconds,
                onFailureBucketArn: quarantine.arn,
                onFailureKey: keys.home.grantRef,
                region,
                accountId,
            },
            parent,
        );
        return { function: fn, source };
    };
    const consumers = {
        recentlyViewed: consumer("recently-viewed", {
            [RECENTLY_VIEWED_ENV.maxItems]: String(c.recentItems),
            [RECENTLY_VIEWED_ENV.ttlSeconds]: String(c.recentTtlSeconds),
        }),
        trendingProducts: consumer(
            "trending-products",
            { [TRENDING_ENV.ttlSeconds]: String(c.trendingTtlSeconds) },
            c.trendingWindowSeconds,
        ),
    };

    // Firehose to the lake: JSON converted to Parquet against an explicit Glue table no crawler touches.
    const lakeLocation = pulumi.interpolate`s3://${storage.dataLake.name}/${CLICKSTREAM_PREFIX}`;
    const table = new aws.glue.CatalogTable(
        `${namePrefix}-clickstream-table`,
        {
            name: CLICKSTREAM_TABLE,
            databaseName: catalog.database.name,
            description: "Storefront clickstream events, Parquet, one partition per arrival date",
            tableType: "EXTERNAL_TABLE",
            parameters: {
                classification: "parquet",
                "parquet.compression": "SNAPPY",
                // Partition projection: Athena computes the dt partitions, so none is ever registered.
                "projection.enabled": "true",
                [`projection.${CLICKSTREAM_PARTITION_KEY.name}.type`]: "date",
                [`projection.${CLICKSTREAM_PARTITION_KEY.name}.format`]: "yyyy-MM-dd",
                [`projection.${CLICKSTREAM_PARTITION_KEY.name}.range`]: "2026-01-01,NOW",
                [`projection.${CLICKSTREAM_PARTITION_KEY.name}.interval`]: "1",
                [`projection.${CLICKSTREAM_PARTITION_KEY.name}.interval.unit`]: "DAYS",
                "storage.location.template": pulumi.interpolate`${lakeLocation}${CLICKSTREAM_PARTITION_KEY.name}=\${${CLICKSTREAM_PARTITION_KEY.name}}/`,
            },
            partitionKeys: [{ name: CLICKSTREAM_PARTITION_KEY.name, type: CLICKSTREAM_PARTITION_KEY.type }],
            storageDescriptor: {
                location: lakeLocation,
                inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                serDeInfo: {
                    serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                    parameters: { "serialization.format": "1" },
                },
                columns: CLICKSTREAM_COLUMNS.map((col) => ({ name: col.name, type: col.type, comment: col.comment })),
            },
        },
        parent,
    );

    const firehoseName = `${namePrefix}-clickstream-lake`;
    const firehoseLogs = new aws.cloudwatch.LogGroup(
        `${namePrefix}-clickstream-firehose-logs`,
        {
            name: `/aws/kinesisfirehose/${firehoseName}`,
            retentionInDays: config.logRetentionDays,
            kmsKeyId: key,
        },
        parent,
    );
    const firehoseLogStream = new aws.cloudwatch.LogStream(
        `${namePrefix}-clickstream-firehose-logs`,
        { name: FIREHOSE_LOG_STREAM, logGroupName: firehoseLogs.name },
        parent,
    );
    const firehoseRole = new aws.iam.Role(
        `${namePrefix}-clickstream-firehose`,
        {
            description: "Firehose delivers the clickstream to the data lake as Parquet",
            assumeRolePolicy: serviceTrustPolicy("firehose.amazonaws.com", accountId),
        },
        parent,
    );
    const glueArn = (resource: pulumi.Input<string>) => pulumi.interpolate`arn:${partition}:glue:${region}:${accountId}:${resource}`;
    const firehosePolicy = new aws.iam.RolePolicy(
        `${namePrefix}-clickstream-firehose`,
        {
            role: firehoseRole.id,
            policy: policyDocument(
                pulumi
                    .all([
                        streamArn,
                        storage.dataLake.arn,
                        knownArn(firehoseLogs, region, accountId),
                        glueArn("catalog"),
                        glueArn(pulumi.interpolate`database/${catalog.database.name}`),
                        glueArn(pulumi.interpolate`table/${catalog.database.name}/${CLICKSTREAM_TABLE}`),
                        accountId,
                    ])
                    .apply(([streamArnValue, lake, logs, glueCatalog, glueDatabase, glueTable]) =>
                        pulumi.all<PolicyStatement>([
                            {
                                Sid: "ReadStream",
                                Effect: "Allow",
                                Action: [
                                    "kinesis:DescribeStream",
                                    "kinesis:DescribeStreamSummary",
                                    "kinesis:GetShardIterator",
                                    "kinesis:GetRecords",
                                    "kinesis:ListShards",
                                ],
                                Resource: streamArnValue,
                            },
                            keyStatement(keys.home.grantRef, { sid: "DecryptStream", actions: "kms:Decrypt", viaServices: ["kinesis"] }),
                            {
                                Sid: "LakeBucket",
                                Effect: "Allow",
                                Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                                Resource: lake,
                            },
                            {
                                Sid: "LakeObjects",
                                Effect: "Allow",
                                Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
                                Resource: [`${lake}/${CLICKSTREAM_PREFIX}*`, `${lake}/errors/clickstream/*`],
                            },
                            keyStatement(keys.home.grantRef, {
                                sid: "LakeKey",
                                actions: ["kms:GenerateDataKey", "kms:Decrypt"],
                                viaServices: ["s3"],
                            }),
                            {
                                Sid: "TableSchema",
                                Effect: "Allow",
                                Action: ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"],
                                Resource: [glueCatalog, glueDatabase, glueTable],
                            },
                            {
                                Sid: "ErrorLogs",
                                Effect: "Allow",
                                Action: "logs:PutLogEvents",
                                Resource: `${logs}:log-stream:${FIREHOSE_LOG_STREAM}`,
                            },
                        ]),
                    ),
            ),
        },
        parent,
    );
    const firehose = new aws.kinesis.FirehoseDeliveryStream(
        `${namePrefix}-clickstream-lake`,
        {
            name: firehoseName,
            destination: "extended_s3",
            // No serverSideEncryption block: it applies to Direct PUT sources only; the source stream is encrypted
            // by its key and the objects by the lake key.
            kinesisSourceConfiguration: { kinesisStreamArn: stream.arn, roleArn: firehoseRole.arn },
            extendedS3Configuration: {
                roleArn: firehoseRole.arn,
                bucketArn: storage.dataLake.arn,
                prefix: CLICKSTREAM_FIREHOSE_PREFIX,
                errorOutputPrefix: CLICKSTREAM_ERROR_PREFIX,
                bufferingSize: c.firehoseBufferingSizeMb,
                bufferingInterval: c.firehoseBufferingIntervalSeconds,
                // Parquet is compressed by its SerDe (Snappy); Firehose's own compression must be off with conversion.
                compressionFormat: "UNCOMPRESSED",
                kmsKeyArn: key,
                cloudwatchLoggingOptions: { enabled: true, logGroupName: firehoseLogs.name, logStreamName: firehoseLogStream.name },
                dataFormatConversionConfiguration: {
                    enabled: true,
                    inputFormatConfiguration: {
                        deserializer: {
                            openXJsonSerDe: {
                                caseInsensitive: false,
                                // The beacon's camelCase keys to the table's snake_case columns.
                                columnToJsonKeyMappings: Object.fromEntries(
                                    CLICKSTREAM_COLUMNS.filter((col) => camel(col.name) !== col.name).map((col) => [
                                        col.name,
                                        camel(col.name),
                                    ]),
                                ),
                            },
                        },
                    },
                    outputFormatConfiguration: { serializer: { parquetSerDe: { compression: "SNAPPY" } } },
                    schemaConfiguration: {
                        catalogId: accountId,
                        databaseName: catalog.database.name,
                        tableName: table.name,
                        region,
                        roleArn: firehoseRole.arn,
                        versionId: "LATEST",
                    },
                },
            },
        },
        { parent: tier, dependsOn: [firehosePolicy] },
    );

    const outputs = {
        streamName: stream.name,
        streamArn: stream.arn,
        enhancedFanOut,
        apiId: api.api.id,
        stageName: api.stage.stageName,
        apiKeysSecretArn: api.keysSecret.arn,
        collectPath: "/collect",
        quarantineBucket: quarantine.name,
        firehoseName: firehose.name,
        tableName: table.name,
        functions: {
            recentlyViewed: consumers.recentlyViewed.function.function.name,
            trendingProducts: consumers.trendingProducts.function.function.name,
        },
    };
    tier.complete(outputs);
    return { tier, outputs, stream, api, quarantine, consumers, table, firehose };
}
