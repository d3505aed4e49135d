import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";

/** The clickstream tier's names the dashboard and alarms read (wired when that tier is part of the stack). */
export interface ClickstreamSources {
    readonly streamName: string;
    readonly firehoseName: string;
    /** Firehose buffering interval (seconds): freshness pages at twice it. */
    readonly firehoseBufferIntervalSeconds: number;
    /** REST API name and stage (API Gateway metrics are keyed by ApiName and Stage). */
    readonly apiName: string;
    readonly stageName: string;
    /** Lambda functions consuming the stream (their iterator age pages). */
    readonly consumerFunctionNames: readonly string[];
    /** Bucket receiving records that failed validation (any object pages). */
    readonly quarantineBucket: string;
}

/** Everything the stack declares that the dashboard shows, resolved to plain names. */
export interface DashboardSources {
    readonly region: string;
    readonly ecs: { readonly clusterName: string; readonly serviceNames: readonly string[] };
    /** ALB ARN suffix (`app/<name>/<id>`), the LoadBalancer dimension. */
    readonly loadBalancerArnSuffix: string;
    readonly auroraClusterIdentifier: string;
    readonly cacheName: string;
    /** Source queues and their dead-letter queues, by consumer. */
    readonly queues: readonly { readonly consumer: string; readonly queueName: string; readonly deadLetterQueueName: string }[];
    readonly functionNames: readonly string[];
    readonly glueJobName: string;
    readonly crawlerNames: readonly string[];
    readonly athenaWorkgroup: string;
    readonly redshiftWorkgroup?: string;
    /** CloudFront and WAF publish their metrics in us-east-1. */
    readonly distributionId: string;
    readonly webAclName: string;
    readonly clickstream?: ClickstreamSources;
}

type Metric = (string | { region?: string; stat?: string; label?: string })[];
interface Widget {
    type: "metric" | "text";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: Record<string, unknown>;
}

const EDGE_REGION = "us-east-1";

/** The dashboard body: one widget per concern, one metric per declared resource, so new resources appear unedited. */
export function dashboardBody(s: DashboardSources): { widgets: Widget[] } {
    const widgets: Widget[] = [];
    let y = 0;
    let x = 0;
    const add = (title: string, metrics: Metric[], opts: { region?: string; stat?: string; period?: number } = {}) => {
        if (metrics.length === 0) return;
        widgets.push({
            type: "metric",
            x,
            y,
            width: 12,
            height: 6,
            properties: {
                title,
                region: opts.region ?? s.region,
                stat: opts.stat ?? "Sum",
                period: opts.period ?? 300,
                view: "timeSeries",
                stacked: false,
                metrics,
            },
        });
        x = x === 0 ? 12 : 0;
        if (x === 0) y += 6;
    };

    add(
        "ECS running vs desired tasks",
        s.ecs.serviceNames.flatMap((svc) => [
            [
                "ECS/ContainerInsights",
                "RunningTaskCount",
                "ClusterName",
                s.ecs.clusterName,
                "ServiceName",
                svc,
                { label: `${svc} running` },
            ],
            [
                "ECS/ContainerInsights",
                "DesiredTaskCount",
                "ClusterName",
                s.ecs.clusterName,
                "ServiceName",
                svc,
                { label: `${svc} desired` },
            ],
        ]),
        { stat: "Average", period: 60 },
    );
    add(
        "ALB requests and 5xx",
        [
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", s.loadBalancerArnSuffix],
            ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", s.loadBalancerArnSuffix],
            ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", s.loadBalancerArnSuffix],
        ],
        { period: 60 },
    );
    add("ALB target response time (p99)", [["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", s.loadBalancerArnSuffix]], {
        stat: "p99",
        period: 60,
    });
    add(
        "Aurora connections and capacity (ACU)",
        [
            ["AWS/RDS", "DatabaseConnections", "DBClusterIdentifier", s.auroraClusterIdentifier],
            ["AWS/RDS", "ServerlessDatabaseCapacity", "DBClusterIdentifier", s.auroraClusterIdentifier],
        ],
        { stat: "Average", period: 60 },
    );
    // Serverless caches publish AWS/ElastiCache metrics under one dimension, `clusterId` = the cache's name (not the
    // node-based CacheClusterId); CacheHitRate and ThrottledCmds are in AWS's Valkey/Redis OSS serverless metric list.
    add(
        "Cache hit rate and throttled commands",
        [
            ["AWS/ElastiCache", "CacheHitRate", "clusterId", s.cacheName, { stat: "Average" }],
            ["AWS/ElastiCache", "ThrottledCmds", "clusterId", s.cacheName],
        ],
        { period: 60 },
    );
    add(
        "SQS depth",
        s.queues.map((q) => ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.queueName, { label: q.consumer }]),
        { stat: "Maximum", period: 60 },
    );
    add(
        "SQS oldest message age (s)",
        s.queues.map((q) => ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", q.queueName, { label: q.consumer }]),
        { stat: "Maximum", period: 60 },
    );
    add(
        "Dead-letter queue messages",
        s.queues.map((q) => [
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            "QueueName",
            q.deadLetterQueueName,
            { label: `${q.consumer} DLQ` },
        ]),
        { stat: "Maximum", period: 60 },
    );
    const functions = [...s.functionNames, ...(s.clickstream?.consumerFunctionNames ?? [])];
    add(
        "Lambda errors and throttles",
        functions.flatMap((f) => [
            ["AWS/Lambda", "Errors", "FunctionName", f],
            ["AWS/Lambda", "Throttles", "FunctionName", f],
        ]),
        { period: 60 },
    );
    const c = s.clickstream;
    if (c) {
        add(
            "Kinesis consumers' iterator age (ms)",
            c.consumerFunctionNames.map((f) => ["AWS/Lambda", "IteratorAge", "FunctionName", f]),
            { stat: "Maximum", period: 60 },
        );
        add(
            "Kinesis throttling",
            [
                ["AWS/Kinesis", "ReadProvisionedThroughputExceeded", "StreamName", c.streamName],
                ["AWS/Kinesis", "WriteProvisionedThroughputExceeded", "StreamName", c.streamName],
            ],
            { period: 60 },
        );
        add(
            "Firehose freshness (s) and failed conversions",
            [
                ["AWS/Firehose", "DeliveryToS3.DataFreshness", "DeliveryStreamName", c.firehoseName, { stat: "Maximum" }],
                ["AWS/Firehose", "FailedConversion.Records", "DeliveryStreamName", c.firehoseName],
            ],
            { period: 300 },
        );
        add(
            "Clickstream API 4xx/5xx and latency",
            [
                ["AWS/ApiGateway", "4XXError", "ApiName", c.apiName, "Stage", c.stageName],
                ["AWS/ApiGateway", "5XXError", "ApiName", c.apiName, "Stage", c.stageName],
                ["AWS/ApiGateway", "Latency", "ApiName", c.apiName, "Stage", c.stageName, { stat: "p99" }],
            ],
            { period: 60 },
        );
    }
    add(
        "Glue ETL and crawlers",
        [
            ["Glue", "glue.driver.aggregate.numFailedTasks", "JobName", s.glueJobName, "JobRunId", "ALL", "Type", "count"],
            [
                "Glue",
                "glue.driver.aggregate.elapsedTime",
                "JobName",
                s.glueJobName,
                "JobRunId",
                "ALL",
                "Type",
                "count",
                { stat: "Maximum" },
            ],
        ],
        { period: 3600 },
    );
    add("Athena data scanned (bytes)", [["AWS/Athena", "ProcessedBytes", "WorkGroup", s.athenaWorkgroup]], { period: 3600 });
    if (s.redshiftWorkgroup) {
        add(
            "Redshift Serverless compute capacity (RPU)",
            [["AWS/Redshift-Serverless", "ComputeCapacity", "Workgroup", s.redshiftWorkgroup]],
            { stat: "Average", period: 300 },
        );
    }
    add(
        "CloudFront requests and 5xx rate (us-east-1)",
        [
            ["AWS/CloudFront", "Requests", "DistributionId", s.distributionId, "Region", "Global"],
            ["AWS/CloudFront", "5xxErrorRate", "DistributionId", s.distributionId, "Region", "Global", { stat: "Average" }],
        ],
        { region: EDGE_REGION, period: 300 },
    );
    add(
        "WAF allowed and blocked (us-east-1)",
        [
            ["AWS/WAFV2", "AllowedRequests", "WebACL", s.webAclName, "Rule", "ALL"],
            ["AWS/WAFV2", "BlockedRequests", "WebACL", s.webAclName, "Rule", "ALL"],
        ],
        { region: EDGE_REGION, period: 300 },
    );
    return { widgets };
}

/** Every (namespace, dimension name, dimension value) the body's metrics name: what a test checks against the stack. */
export function dashboardDimensions(body: { widgets: Widget[] }): { namespace: string; name: string; value: string }[] {
    const out: { namespace: string; name: string; value: string }[] = [];
    for (const w of body.widgets) {
        for (const metric of (w.properties.metrics as Metric[] | undefined) ?? []) {
            const parts = metric.filter((p): p is string => typeof p === "string");
            const [namespace, , ...dims] = parts;
            for (let i = 0; i + 1 < dims.length; i += 2) out.push({ namespace, name: dims[i], value: dims[i + 1] });
        }
    }
    return out;
}

/** A paging alarm as declared: one metric, one threshold, notifying the operations topic. */
export interface PagingAlarmSpec {
    readonly id: string;
    readonly description: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Record<string, string>;
    readonly statistic: "Maximum" | "Average" | "Sum";
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly threshold: number;
}

/**
 * The alarms that page (besides Glue job failures, which EventBridge routes): Kinesis consumers more than 5 minutes
 * behind, Firehose freshness over twice its buffer interval, clickstream API 5xx over 1 %, any quarantined record,
 * and the warehouse's daily RPU-hours over its usage limit (RPU-seconds of ComputeSeconds).
 */
export function pagingAlarmSpecs(s: {
    clickstream?: ClickstreamSources;
    redshift?: { workgroupName: string; dailyRpuHourLimit: number };
}): PagingAlarmSpec[] {
    const specs: PagingAlarmSpec[] = [];
    const c = s.clickstream;
    if (c) {
        c.consumerFunctionNames.forEach((fn, i) =>
            specs.push({
                id: `kinesis-consumer-${i}-iterator-age`,
                description: `${fn} is more than 5 minutes behind its stream`,
                namespace: "AWS/Lambda",
                metricName: "IteratorAge",
                dimensions: { FunctionName: fn },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 5,
                threshold: 5 * 60 * 1000,
            }),
        );
        specs.push({
            id: "firehose-freshness",
            description: "Clickstream records wait in Firehose longer than twice its buffer interval",
            namespace: "AWS/Firehose",
            metricName: "DeliveryToS3.DataFreshness",
            dimensions: { DeliveryStreamName: c.firehoseName },
            statistic: "Maximum",
            period: 300,
            evaluationPeriods: 1,
            threshold: 2 * c.firehoseBufferIntervalSeconds,
        });
        specs.push({
            id: "clickstream-api-5xx",
            description: "More than 1% of clickstream API requests fail with 5xx",
            namespace: "AWS/ApiGateway",
            metricName: "5XXError",
            dimensions: { ApiName: c.apiName, Stage: c.stageName },
            statistic: "Average",
            period: 300,
            evaluationPeriods: 2,
            threshold: 0.01,
        });
        specs.push({
            id: "clickstream-quarantine",
            description: "Clickstream records were quarantined",
            // S3 storage metrics are daily.
            namespace: "AWS/S3",
            metricName: "NumberOfObjects",
            dimensions: { BucketName: c.quarantineBucket, StorageType: "AllStorageTypes" },
            statistic: "Maximum",
            period: 86400,
            evaluationPeriods: 1,
            threshold: 0,
        });
    }
    if (s.redshift) {
        specs.push({
            id: "warehouse-usage-limit",
            description: `Redshift Serverless used more than ${s.redshift.dailyRpuHourLimit} RPU-hours today`,
            namespace: "AWS/Redshift-Serverless",
            metricName: "ComputeSeconds",
            dimensions: { Workgroup: s.redshift.workgroupName },
            statistic: "Sum",
            period: 86400,
            evaluationPeriods: 1,
            threshold: s.redshift.dailyRpuHourLimit * 3600,
        });
    }
    return specs;
}

export interface OperationsDashboardArgs {
    readonly dashboardName: string;
    readonly sources: pulumi.Input<DashboardSources>;
}

/** The stack's one CloudWatch dashboard, generated from what the stack declares. */
export class OperationsDashboard extends pulumi.ComponentResource {
    readonly dashboard: aws.cloudwatch.Dashboard;

    constructor(name: string, args: OperationsDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:analytics:OperationsDashboard", name, {}, opts);
        if (!/^[A-Za-z0-9_-]{1,255}$/.test(args.dashboardName)) {
            throw new pulumi.ResourceError(
                `dashboardName must be 1-255 of A-Z a-z 0-9 _ -, got ${JSON.stringify(args.dashboardName)}`,
                this,
            );
        }
        this.dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                dashboardName: args.dashboardName,
                dashboardBody: pulumi.output(args.sources).apply((s) => JSON.stringify(dashboardBody(s as DashboardSources))),
            },
            { parent: this },
        );
        this.registerOutputs({ dashboardName: this.dashboard.dashboardName });
    }
}
