// Analytics tier: raw lake domains crawled into the Glue catalog, a daily Glue ETL to curated
// Parquet (declared tables, partition projection), Athena, optional Redshift Serverless, the operations dashboard
// and the alarms that page.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/aws";
import { contentHashedName, GlueEtlJob } from "../components/glueEtlJob";
import { arnFromName, keyStatement, knownArn, policyDocument, PolicyStatement, serviceTrustPolicy } from "../components/iam";
import { Network } from "../components/network";
import { DashboardSources, OperationsDashboard, pagingAlarmSpecs } from "../components/operationsDashboard";
import { RedshiftWarehouse } from "../components/redshiftWarehouse";
import { SecurityGroups } from "../components/securityGroups";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { SealedTopicPolicy } from "../components/topicPolicy";
import {
    CURATED_PARTITION_KEY,
    CURATED_SCHEMA_FILE,
    CURATED_TABLE_PREFIX,
    curatedSchema,
    curatedTableName,
    ETL_SCRIPT,
    NAMED_QUERIES,
} from "./analyticsQueries";
import { Application } from "./application";
import { LakeCatalog } from "./catalog";
import { CLICKSTREAM_TABLE } from "./clickstreamTable";
import { PlatformContext } from "./context";
import { Databases } from "./databases";
import { Storage } from "./storage";

/** The clickstream tier's resources the analytics tier reads (optional: wired when that tier is in the stack). */
export interface ClickstreamDeps {
    readonly streamName: pulumi.Input<string>;
    readonly firehoseName: pulumi.Input<string>;
    /** Firehose buffering interval in seconds (freshness pages at twice it). */
    readonly firehoseBufferIntervalSeconds: number;
    readonly apiName: pulumi.Input<string>;
    readonly stageName: pulumi.Input<string>;
    readonly consumerFunctionNames: pulumi.Input<string>[];
    readonly quarantineBucket: pulumi.Input<string>;
}

export interface AnalyticsDeps {
    keys: StackKeys;
    network: Network;
    securityGroups: SecurityGroups;
    storage: Storage;
    /** The lake's Glue database (declared once in the data tier). */
    catalog: LakeCatalog;
    databases: Databases;
    application: Application;
    /** What the dashboard shows of the edge. */
    edge: { loadBalancerArnSuffix: pulumi.Input<string>; distributionId: pulumi.Input<string>; webAclName: pulumi.Input<string> };
    /** The events tier's queues and functions, by consumer. */
    events: {
        queues: Record<string, { queue: aws.sqs.Queue; deadLetterQueue: aws.sqs.Queue }>;
        functionNames: pulumi.Input<string>[];
    };
    /** The operations topic every paging alarm notifies, and its one policy. */
    operationsTopicArn: pulumi.Input<string>;
    operationsTopicPolicy: SealedTopicPolicy;
    clickstream?: ClickstreamDeps;
}

/**
 * The crawler naming contract: the crawler of raw/<domain>/ is `<namePrefix>-raw-<domain>`. The events tier's crawler
 * trigger starts crawlers by this name (and may start only those), so it reads it from here.
 */
export function crawlerNamePrefix(namePrefix: string): string {
    return `${namePrefix}-raw-`;
}

/**
 * The raw lake domains that have a crawler (`analytics.crawlerDomains`): the events tier routes only their raw/<domain>/
 * objects to the crawler trigger, which ignores any other domain.
 */
export function crawledDomains(ctx: PlatformContext): readonly string[] {
    return ctx.config.analytics.crawlerDomains;
}

const GLUE_ASSETS_PREFIX = "glue-assets/etl/";
const GLUE_TEMP_PREFIX = "glue-temp/";
const ATHENA_RESULTS_PREFIX = "athena-results/";

export function declareAnalytics(ctx: PlatformContext, deps: AnalyticsDeps) {
    const { config, namePrefix, accountId, partition } = ctx;
    const analytics = config.analytics;
    const region = config.region;
    const tier = new Tier("analytics");
    const parent = { parent: tier };
    const { keys, storage, catalog } = deps;
    const key = keys.home.arn;
    const lake = storage.dataLake;
    const database = catalog.databaseName;
    const arn = (service: string, resource: string) => pulumi.interpolate`arn:${partition}:${service}:${region}:${accountId}:${resource}`;
    const allow = (
        sid: string,
        action: string | string[],
        resource: pulumi.Input<string | string[]>,
        condition?: PolicyStatement["Condition"],
    ) =>
        pulumi.output(resource).apply((r): PolicyStatement => ({
            Sid: sid,
            Effect: "Allow",
            Action: action,
            Resource: r as string | string[],
            ...(condition ? { Condition: condition } : {}),
        }));
    const rolePolicy = (role: aws.iam.Role, name: string, statements: pulumi.Input<PolicyStatement>[]) =>
        new aws.iam.RolePolicy(name, { role: role.id, policy: policyDocument(statements) }, parent);
    const catalogArns = (tables: pulumi.Input<string>[]) =>
        pulumi.all([arn("glue", "catalog"), arn("glue", `database/${database}`), ...tables]);
    const viaS3 = keys.useThroughServices(region, ["s3"], ["kms:Decrypt", "kms:GenerateDataKey"]);

    // --- Glue security configuration and its log groups --------------------------------------------------------------
    const securityConfigurationName = `${namePrefix}-glue`;
    const securityConfiguration = new aws.glue.SecurityConfiguration(
        `${namePrefix}-glue-security`,
        {
            name: securityConfigurationName,
            encryptionConfiguration: {
                s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: key },
                cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: key },
                jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: key },
            },
        },
        parent,
    );
    // With CloudWatch encryption, Glue associates the key with its log groups as the job's or crawler's role (the
    // key policy's CloudWatch Logs statement admits every log group of the account in this region).
    const associateGlueLogKey = allow("AssociateKeyWithGlueLogGroups", "logs:AssociateKmsKey", arn("logs", "log-group:/aws-glue/*"));
    // Bookmarks are client-side encrypted by the job's role itself, not through a service.
    const bookmarkKey = keyStatement(keys.home.grantRef, {
        sid: "EncryptJobBookmarks",
        actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
    });
    const logGroup = (name: string, logGroupName: pulumi.Input<string>) =>
        new aws.cloudwatch.LogGroup(
            name,
            {
                name: logGroupName,
                retentionInDays: config.logRetentionDays,
                kmsKeyId: key,
            },
            parent,
        );

    // --- Data Catalog encryption: one per account and region, only in the stack that manages account singletons ----
    let catalogKey: aws.kms.Key | undefined;
    if (config.accountSingletons === "managed") {
        // A dedicated key: the stacks may share the account, and the catalog must not depend on one stack's key.
        catalogKey = new aws.kms.Key(
            `${namePrefix}-catalog-key`,
            {
                description: "Glue Data Catalog of this account and region (metadata and connection passwords)",
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: 30,
                policy: policyDocument([
                    pulumi.all([accountId, partition]).apply(([account, part]): PolicyStatement => ({
                        Sid: "AccountAdministration",
                        Effect: "Allow",
                        Principal: { AWS: `arn:${part}:iam::${account}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    })),
                ]),
            },
            { parent: tier, protect: true },
        );
        const catalogKeyAlias = "alias/glue-data-catalog";
        const catalogAlias = new aws.kms.Alias(
            `${namePrefix}-catalog-key-alias`,
            { name: catalogKeyAlias, targetKeyId: catalogKey.keyId },
            parent,
        );
        const catalogRole = new aws.iam.Role(
            `${namePrefix}-catalog-encryption`,
            {
                description: "Glue encrypts and decrypts Data Catalog metadata with the catalog key as this role",
                assumeRolePolicy: serviceTrustPolicy("glue.amazonaws.com", accountId),
            },
            parent,
        );
        rolePolicy(catalogRole, `${namePrefix}-catalog-encryption`, [
            keyStatement(
                { alias: catalogAlias.name, region, accountId },
                { sid: "UseCatalogKey", actions: ["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"] },
            ),
        ]);
        new aws.glue.DataCatalogEncryptionSettings(
            `${namePrefix}-catalog-encryption`,
            {
                dataCatalogEncryptionSettings: {
                    encryptionAtRest: {
                        catalogEncryptionMode: "SSE-KMS-WITH-SERVICE-ROLE",
                        sseAwsKmsKeyId: catalogKey.arn,
                        catalogEncryptionServiceRole: catalogRole.arn,
                    },
                    connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: catalogKey.arn },
                },
            },
            parent,
        );
    }

    // --- Crawlers of the raw domains --------------------------------------------------------------------------------
    const domains = crawledDomains(ctx);
    const crawlerRoleName = `${namePrefix}-glue-crawler`;
    const crawlerRole = new aws.iam.Role(
        `${namePrefix}-glue-crawler`,
        {
            name: crawlerRoleName,
            description: "Glue crawlers of the raw lake domains",
            assumeRolePolicy: serviceTrustPolicy("glue.amazonaws.com", accountId),
        },
        parent,
    );
    // Glue names a crawler's encrypted log group after its role and security configuration.
    const crawlerLogGroupName = `/aws-glue/crawlers-role/${crawlerRoleName}-${securityConfigurationName}`;
    const crawlerLogs = logGroup(`${namePrefix}-glue-crawler-logs`, crawlerLogGroupName);
    const rawPrefixes = domains.map((d) => `raw/${d}/`);
    rolePolicy(crawlerRole, `${namePrefix}-glue-crawler`, [
        allow("ListRawDomains", "s3:ListBucket", lake.arn, { StringLike: { "s3:prefix": rawPrefixes.flatMap((p) => [p, `${p}*`]) } }),
        allow(
            "ReadRawDomains",
            "s3:GetObject",
            lake.arn.apply((a) => rawPrefixes.map((p) => `${a}/${p}*`)),
        ),
        pulumi.output(viaS3).apply((s) => ({ ...s, Sid: "DecryptLakeThroughS3", Action: "kms:Decrypt" })),
        allow(
            "MaintainRawTables",
            [
                "glue:GetDatabase",
                "glue:GetTable",
                "glue:GetTables",
                "glue:CreateTable",
                "glue:UpdateTable",
                "glue:GetPartition",
                "glue:GetPartitions",
                "glue:BatchGetPartition",
                "glue:CreatePartition",
                "glue:BatchCreatePartition",
                "glue:UpdatePartition",
                "glue:BatchUpdatePartition",
            ],
            catalogArns([arn("glue", `table/${database}/raw_*`)]),
        ),
        allow(
            "WriteCrawlerLogs",
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            pulumi.interpolate`${knownArn(crawlerLogs, region, accountId)}:*`,
        ),
        associateGlueLogKey,
    ]);
    const crawlerConfiguration = JSON.stringify({
        Version: 1.0,
        CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } },
        Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" },
    });
    const crawlers = domains.map(
        (domain) =>
            new aws.glue.Crawler(
                `${namePrefix}-crawler-${domain}`,
                {
                    // The crawler trigger starts `<prefix><domain>` for an object under raw/<domain>/.
                    name: `${crawlerNamePrefix(namePrefix)}${domain}`,
                    role: crawlerRole.arn,
                    databaseName: catalog.database.name,
                    tablePrefix: "raw_",
                    description: `raw/${domain}/ into the lake catalog (started by the crawler trigger)`,
                    s3Targets: [{ path: pulumi.interpolate`s3://${lake.name}/raw/${domain}/` }],
                    securityConfiguration: securityConfiguration.name,
                    // New folders only: each daily crawl adds the day's partition without re-reading the prefix.
                    recrawlPolicy: { recrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY" },
                    schemaChangePolicy: { updateBehavior: "LOG", deleteBehavior: "LOG" },
                    configuration: crawlerConfiguration,
                },
                { parent: tier, dependsOn: [crawlerLogs] },
            ),
    );

    // --- Curated tables (declared; Athena projects dt, the ETL registers each partition it writes) -----------------
    const schema = curatedSchema();
    const curatedDomains = domains.filter((d) => schema[d]);
    const curatedTables = Object.fromEntries(
        curatedDomains.map((domain) => {
            const location = pulumi.interpolate`s3://${lake.name}/curated/${domain}/`;
            const table = new aws.glue.CatalogTable(
                `${namePrefix}-${curatedTableName(domain).replace(/_/g, "-")}`,
                {
                    name: curatedTableName(domain),
                    databaseName: catalog.database.name,
                    description: schema[domain].description,
                    tableType: "EXTERNAL_TABLE",
                    parameters: {
                        EXTERNAL: "TRUE",
                        classification: "parquet",
                        "parquet.compression": "SNAPPY",
                        "projection.enabled": "true",
                        [`projection.${CURATED_PARTITION_KEY}.type`]: "date",
                        [`projection.${CURATED_PARTITION_KEY}.format`]: "yyyy-MM-dd",
                        [`projection.${CURATED_PARTITION_KEY}.range`]: "2024-01-01,NOW",
                        [`projection.${CURATED_PARTITION_KEY}.interval`]: "1",
                        [`projection.${CURATED_PARTITION_KEY}.interval.unit`]: "DAYS",
                    },
                    partitionKeys: [{ name: CURATED_PARTITION_KEY, type: "string", comment: "UTC date of the event (yyyy-MM-dd)" }],
                    storageDescriptor: {
                        location,
                        inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                        outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                        compressed: true,
                        serDeInfo: {
                            serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                            parameters: { "serialization.format": "1" },
                        },
                        columns: schema[domain].columns.map((c) => ({ name: c.name, type: c.type })),
                    },
                },
                parent,
            );
            // Athena builds partition locations from this template (projection); Glue and Spectrum use registered ones.
            return [domain, table];
        }),
    );

    // --- The daily ETL job ------------------------------------------------------------------------------------------
    const jobName = `${namePrefix}-curated-etl`;
    const etlRole = new aws.iam.Role(
        `${namePrefix}-glue-etl`,
        {
            name: `${namePrefix}-glue-etl`,
            description: "The daily ETL from raw JSON to curated Parquet",
            assumeRolePolicy: serviceTrustPolicy("glue.amazonaws.com", accountId),
        },
        parent,
    );
    const etlLogPrefix = `/aws-glue/jobs/${jobName}`;
    const curatedPrefixes = curatedDomains.map((d) => `curated/${d}/`);
    const curatedTableArns = curatedDomains.map((d) => arn("glue", `table/${database}/${curatedTableName(d)}`));
    rolePolicy(etlRole, `${namePrefix}-glue-etl`, [
        allow("ListLake", "s3:ListBucket", lake.arn, {
            StringLike: {
                "s3:prefix": [
                    ...curatedDomains.flatMap((d) => [`raw/${d}/`, `raw/${d}/*`]),
                    ...curatedPrefixes.flatMap((p) => [p, `${p}*`]),
                    GLUE_TEMP_PREFIX,
                    `${GLUE_TEMP_PREFIX}*`,
                ],
            },
        }),
        allow(
            "ReadRawAndAssets",
            "s3:GetObject",
            lake.arn.apply((a) => [...curatedDomains.map((d) => `${a}/raw/${d}/*`), `${a}/${GLUE_ASSETS_PREFIX}*`]),
        ),
        allow(
            "WriteCuratedAndTemp",
            ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            lake.arn.apply((a) => [...curatedPrefixes.map((p) => `${a}/${p}*`), `${a}/${GLUE_TEMP_PREFIX}*`]),
        ),
        pulumi.output(viaS3).apply((s) => ({ ...s, Sid: "LakeKeyThroughS3" })),
        allow(
            "RegisterCuratedPartitions",
            [
                "glue:GetDatabase",
                "glue:GetTable",
                "glue:GetPartition",
                "glue:GetPartitions",
                "glue:BatchGetPartition",
                "glue:CreatePartition",
                "glue:BatchCreatePartition",
                "glue:UpdatePartition",
            ],
            catalogArns(curatedTableArns),
        ),
        allow(
            "WriteJobLogs",
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            pulumi.all(["error", "output"].map((s) => arn("logs", `log-group:${etlLogPrefix}/${s}:*`))),
        ),
        associateGlueLogKey,
        bookmarkKey,
        allow("PublishJobMetrics", "cloudwatch:PutMetricData", "*", { StringEquals: { "cloudwatch:namespace": "Glue" } }),
    ]);
    const etl = new GlueEtlJob(
        `${namePrefix}-curated-etl`,
        {
            jobName,
            roleArn: etlRole.arn,
            bucket: lake.name,
            assetPrefix: GLUE_ASSETS_PREFIX,
            scriptPath: ETL_SCRIPT,
            extraFiles: [CURATED_SCHEMA_FILE],
            tempDir: pulumi.interpolate`s3://${lake.name}/${GLUE_TEMP_PREFIX}`,
            securityConfiguration: securityConfiguration.name,
            kmsKeyArn: key,
            logGroupPrefix: etlLogPrefix,
            logRetentionDays: config.logRetentionDays,
            workers: analytics.etl.workers,
            timeoutMinutes: analytics.etl.timeoutMinutes,
            maxRetries: analytics.etl.maxRetries,
            schedule: analytics.etl.schedule,
            scriptArguments: {
                LAKE_BUCKET: lake.name,
                CATALOG_DATABASE: catalog.database.name,
                SCHEMA_FILE: contentHashedName(CURATED_SCHEMA_FILE),
                DOMAINS: curatedDomains.join(","),
                TABLE_PREFIX: CURATED_TABLE_PREFIX,
            },
        },
        { parent: tier, dependsOn: Object.values(curatedTables) },
    );
    lake.addLifecycleRule({
        id: "expire-glue-temp",
        status: "Enabled",
        filter: { prefix: GLUE_TEMP_PREFIX },
        expiration: { days: 7 },
        noncurrentVersionExpiration: { noncurrentDays: 1 },
    });

    // Job failures page through EventBridge (the default bus receives Glue's state changes).
    const jobFailed = new aws.cloudwatch.EventRule(
        `${namePrefix}-glue-job-failed`,
        {
            name: `${namePrefix}-glue-job-failed`,
            description: "The curated ETL failed or timed out",
            eventPattern: JSON.stringify({
                source: ["aws.glue"],
                "detail-type": ["Glue Job State Change"],
                detail: { jobName: [jobName], state: ["FAILED", "TIMEOUT"] },
            }),
        },
        parent,
    );
    new aws.cloudwatch.EventTarget(
        `${namePrefix}-glue-job-failed`,
        {
            rule: jobFailed.name,
            targetId: "operations-topic",
            arn: deps.operationsTopicArn,
            retryPolicy: { maximumEventAgeInSeconds: 24 * 3600, maximumRetryAttempts: 185 },
        },
        parent,
    );
    // Built from the explicit names, so the policy is known at a first preview.
    deps.operationsTopicPolicy.addStatement(
        pulumi
            .all([
                deps.operationsTopicPolicy.statementTopicArn,
                arnFromName("events", ctx.config.region, ctx.accountId, `rule/${namePrefix}-glue-job-failed`),
            ])
            .apply(([topic, rule]): PolicyStatement => ({
                Sid: "GlueJobFailuresFromEventBridge",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topic,
                Condition: { ArnEquals: { "aws:SourceArn": rule } },
            })),
    );

    // --- Athena -----------------------------------------------------------------------------------------------------
    const workgroupName = `${namePrefix}-analytics`;
    const workgroup = new aws.athena.Workgroup(
        `${namePrefix}-athena`,
        {
            name: workgroupName,
            description: "Analysts' queries over the lake catalog",
            state: "ENABLED",
            forceDestroy: false,
            configuration: {
                enforceWorkgroupConfiguration: true,
                publishCloudwatchMetricsEnabled: true,
                bytesScannedCutoffPerQuery: analytics.athena.bytesScannedCutoffPerQuery,
                engineVersion: { selectedEngineVersion: "Athena engine version 3" },
                resultConfiguration: {
                    outputLocation: pulumi.interpolate`s3://${lake.name}/${ATHENA_RESULTS_PREFIX}${workgroupName}/`,
                    encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: key },
                    expectedBucketOwner: accountId,
                },
            },
        },
        parent,
    );
    lake.addLifecycleRule({
        id: "expire-athena-results",
        status: "Enabled",
        filter: { prefix: ATHENA_RESULTS_PREFIX },
        expiration: { days: analytics.athena.resultsExpirationDays },
        noncurrentVersionExpiration: { noncurrentDays: 1 },
    });
    const declaredTables = new Set([...curatedDomains.map(curatedTableName), CLICKSTREAM_TABLE]);
    const namedQueries = NAMED_QUERIES.filter((q) => q.tables.every((t) => declaredTables.has(t))).map(
        (q) =>
            new aws.athena.NamedQuery(
                `${namePrefix}-query-${q.id}`,
                {
                    name: q.id,
                    description: q.description,
                    database: catalog.database.name,
                    workgroup: workgroup.name,
                    query: q.sql,
                },
                parent,
            ),
    );

    // --- Redshift Serverless ------------------------------------------------------------------------------------------
    let warehouse: RedshiftWarehouse | undefined;
    const redshift = analytics.redshift;
    if (redshift?.enabled) {
        const role = new aws.iam.Role(
            `${namePrefix}-warehouse`,
            {
                description: "Redshift Serverless: Spectrum over the curated lake",
                assumeRolePolicy: policyDocument([
                    { Effect: "Allow", Principal: { Service: "redshift.amazonaws.com" }, Action: "sts:AssumeRole" },
                ]),
            },
            parent,
        );
        rolePolicy(role, `${namePrefix}-warehouse`, [
            allow("ListCurated", "s3:ListBucket", lake.arn, { StringLike: { "s3:prefix": ["curated/", "curated/*"] } }),
            allow("ReadCurated", "s3:GetObject", pulumi.interpolate`${lake.arn}/curated/*`),
            pulumi.output(viaS3).apply((s) => ({ ...s, Sid: "DecryptLakeThroughS3", Action: "kms:Decrypt" })),
            allow(
                "ReadLakeCatalog",
                [
                    "glue:GetDatabase",
                    "glue:GetDatabases",
                    "glue:GetTable",
                    "glue:GetTables",
                    "glue:GetPartition",
                    "glue:GetPartitions",
                    "glue:BatchGetPartition",
                ],
                catalogArns([arn("glue", `table/${database}/*`)]),
            ),
        ]);
        const clients = Object.fromEntries(redshift.clientGroups.map((g) => [g, deps.securityGroups[g].id]));
        warehouse = new RedshiftWarehouse(
            `${namePrefix}-warehouse`,
            {
                name: namePrefix,
                databaseName: "analytics",
                adminUsername: redshift.adminUsername,
                kmsKeyArn: key,
                roleArn: role.arn,
                subnetIds: deps.network.subnetIds.data.slice(0, 3),
                availabilityZones: deps.network.availabilityZones,
                vpcId: deps.network.vpc.id,
                clientSecurityGroups: clients,
                endpointSecurityGroupId: deps.network.endpointSecurityGroup.id,
                // S3's regional prefix list (the gateway endpoint's routes use it).
                s3PrefixListId: aws.ec2.getManagedPrefixListOutput({ name: `com.amazonaws.${region}.s3` }, parent).id,
                baseCapacity: redshift.baseCapacity,
                maxCapacity: redshift.maxCapacity,
                dailyRpuHourLimit: redshift.dailyRpuHourLimit,
                breachAction: ctx.isProduction ? "emit-metric" : "deactivate",
                logRetentionDays: config.logRetentionDays,
            },
            parent,
        );
    }

    // --- The dashboard and the alarms that page -----------------------------------------------------------------------
    const app = deps.application;
    const cs = deps.clickstream;
    const sources = pulumi
        .output({
            clusterName: app.platform.cluster.name,
            serviceNames: pulumi.all(Object.values(app.services).map((s) => s.service.name)),
            loadBalancerArnSuffix: deps.edge.loadBalancerArnSuffix,
            auroraClusterIdentifier: deps.databases.aurora.cluster.clusterIdentifier,
            cacheName: deps.databases.cache.name,
            queues: pulumi.all(
                Object.entries(deps.events.queues).map(([consumer, q]) =>
                    pulumi
                        .all([q.queue.name, q.deadLetterQueue.name])
                        .apply(([queueName, deadLetterQueueName]) => ({ consumer, queueName, deadLetterQueueName })),
                ),
            ),
            functionNames: pulumi.all(deps.events.functionNames),
            crawlerNames: pulumi.all(crawlers.map((c) => c.name)),
            glueJobName: etl.job.name,
            athenaWorkgroup: workgroup.name,
            redshiftWorkgroup: warehouse ? warehouse.workgroup.workgroupName : undefined,
            distributionId: deps.edge.distributionId,
            webAclName: deps.edge.webAclName,
            clickstream: cs,
        })
        .apply((v): DashboardSources => ({
            region,
            ecs: { clusterName: v.clusterName, serviceNames: v.serviceNames },
            loadBalancerArnSuffix: v.loadBalancerArnSuffix,
            auroraClusterIdentifier: v.auroraClusterIdentifier,
            cacheName: v.cacheName,
            queues: v.queues,
            functionNames: v.functionNames,
            glueJobName: v.glueJobName,
            crawlerNames: v.crawlerNames,
            athenaWorkgroup: v.athenaWorkgroup,
            ...(v.redshiftWorkgroup ? { redshiftWorkgroup: v.redshiftWorkgroup } : {}),
            distributionId: v.distributionId,
            webAclName: v.webAclName,
            ...(v.clickstream ? { clickstream: v.clickstream } : {}),
        }));
    const dashboard = new OperationsDashboard(`${namePrefix}-operations`, { dashboardName: `${namePrefix}-operations`, sources }, parent);

    // Paging alarms, from the pure function the tests read. Resource names must be known before outputs resolve, so
    // the list's shape (which alarms, how many consumers) is read once with placeholder names.
    const alarmInputs = pulumi.output({
        clickstream: cs,
        redshift:
            warehouse && redshift
                ? { workgroupName: warehouse.workgroup.workgroupName, dailyRpuHourLimit: redshift.dailyRpuHourLimit }
                : undefined,
    });
    const alarmIds = pagingAlarmSpecs({
        clickstream: cs
            ? {
                  ...cs,
                  streamName: "",
                  firehoseName: "",
                  apiName: "",
                  stageName: "",
                  quarantineBucket: "",
                  consumerFunctionNames: cs.consumerFunctionNames.map((_, i) => String(i)),
              }
            : undefined,
        redshift: warehouse && redshift ? { workgroupName: "", dailyRpuHourLimit: redshift.dailyRpuHourLimit } : undefined,
    }).map((spec, index) => ({ index, id: spec.id }));
    const alarms = alarmIds.map(({ index, id }) => {
        const spec = alarmInputs.apply((v) => pagingAlarmSpecs(v as Parameters<typeof pagingAlarmSpecs>[0])[index]);
        return new aws.cloudwatch.MetricAlarm(
            `${namePrefix}-${id}`,
            {
                name: `${namePrefix}-${id}`,
                alarmDescription: spec.description,
                namespace: spec.namespace,
                metricName: spec.metricName,
                dimensions: spec.dimensions,
                statistic: spec.statistic,
                period: spec.period,
                evaluationPeriods: spec.evaluationPeriods,
                threshold: spec.threshold,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
                alarmActions: [deps.operationsTopicArn],
                okActions: [deps.operationsTopicArn],
            },
            parent,
        );
    });

    const outputs = {
        glueDatabase: catalog.database.name,
        crawlerNames: crawlers.map((c) => c.name),
        curatedTables: Object.values(curatedTables).map((t) => t.name),
        etlJobName: etl.job.name,
        athenaWorkgroup: workgroup.name,
        namedQueries: namedQueries.map((q) => q.name),
        dashboardName: dashboard.dashboard.dashboardName,
        ...(warehouse
            ? { redshiftWorkgroup: warehouse.workgroup.workgroupName, redshiftNamespace: warehouse.namespace.namespaceName }
            : {}),
    };
    tier.complete(outputs);
    return {
        tier,
        outputs,
        securityConfiguration,
        crawlers,
        curatedTables,
        etl,
        workgroup,
        namedQueries,
        warehouse,
        dashboard,
        alarms,
        catalogKey,
    };
}

export type Analytics = ReturnType<typeof declareAnalytics>;
