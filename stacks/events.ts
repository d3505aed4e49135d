// Tier 6 — events (seed 002 step 7, seed 001 article 8, seed 004 item 11): the RetailEventBus with its archive and
// three rules, the S3 rules on the default bus, one queue per consumer with its dead-letter queues and alarms, the
// order-notifications topic, the FIFO queue to the order management system, and the handlers as Lambda functions.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/aws";
import { ConsumerQueue } from "../components/consumerQueue";
import { subscriptionName } from "../components/ecsPlatform";
import { HandlerFunction } from "../components/handlerFunction";
import { policyDocument, PolicyStatement } from "../components/iam";
import { Network } from "../components/network";
import { SecurityGroups } from "../components/securityGroups";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { visibilityTimeoutFor } from "../config/events";
import { HANDLER_DATABASE_ROLE } from "../handlers/migration-runner/roles";
import { bundleHandler, HandlerName } from "../components/handlerBundle";
import { PlatformContext } from "./context";
import { Databases, DATABASE_NAME } from "./databases";
import { Storage } from "./storage";

/** Names of the Glue crawlers of raw domains: `<prefix><domain>`, shared by the analytics tier and the crawler trigger. */
export function crawlerNamePrefix(namePrefix: string): string {
    return `${namePrefix}-raw-`;
}

/** The cache key of a product, shared by the PBCs that cache products and the inventory handler that evicts them. */
export const PRODUCT_CACHE_KEY_TEMPLATE = "product:{sku}";

/**
 * Seed 002's RetailEventBus (suffixed with the stack: bus names are unique per account and region) and its 90-day
 * archive. Declared before the application tier, whose PBCs publish to it.
 */
export function declareEventBus(ctx: PlatformContext, tier: Tier): aws.cloudwatch.EventBus {
    const parent = { parent: tier };
    const bus = new aws.cloudwatch.EventBus(`${ctx.namePrefix}-bus`, { name: `RetailEventBus-${ctx.config.stack}`, description: "Retail domain events" }, parent);
    new aws.cloudwatch.EventArchive(`${ctx.namePrefix}-bus-archive`, {
        name: `${ctx.namePrefix}-retail-events`,
        description: "Every retail domain event, 90 days, for replay after an outage or a bug",
        eventSourceArn: bus.arn,
        retentionDays: 90,
    }, parent);
    return bus;
}

export interface EventsDeps {
    /** The retail domain event bus (declareEventBus). */
    bus: aws.cloudwatch.EventBus;
    keys: StackKeys;
    network: Network;
    securityGroups: SecurityGroups;
    storage: Storage;
    databases: Databases;
    /** The operations topic every alarm notifies. */
    alarmTopicArn: pulumi.Input<string>;
}

/** Redelivery contract of every rule target: retry for a day, then the target's own dead-letter queue. */
const TARGET_RETRY = { maximumEventAgeInSeconds: 24 * 3600, maximumRetryAttempts: 185 };

export function handlerCode(name: HandlerName): pulumi.Output<pulumi.asset.Archive> {
    return pulumi.output(bundleHandler(name)).apply((b) => new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(b.outfile) }));
}

/**
 * Who may assume the OMS consumer role. An account root never stands alone (it would admit every principal of the
 * account allowed sts:AssumeRole on "*"): with a configured root the OMS must present the external id; without a
 * configured principal (staging) only this account's roles named "<prefix>-oms-*" may assume it.
 */
export function omsConsumerTrust(events: { omsConsumerPrincipal?: string; omsConsumerExternalId?: string }, namePrefix: string, account: string, partition: string): PolicyStatement {
    const statement: PolicyStatement = { Sid: "OrderManagementSystem", Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: events.omsConsumerPrincipal ?? `arn:${partition}:iam::${account}:root` } };
    if (!events.omsConsumerPrincipal) return { ...statement, Condition: { ArnLike: { "aws:PrincipalArn": `arn:${partition}:iam::${account}:role/${namePrefix}-oms-*` } } };
    if (events.omsConsumerExternalId) return { ...statement, Condition: { StringEquals: { "sts:ExternalId": events.omsConsumerExternalId } } };
    if (events.omsConsumerPrincipal.endsWith(":root")) throw new Error("an account-root omsConsumerPrincipal needs omsConsumerExternalId (config validation enforces it)");
    return statement;
}

export function declareEvents(ctx: PlatformContext, tier: Tier, deps: EventsDeps) {
    const { config, namePrefix, accountId } = ctx;
    const { keys, network, securityGroups, storage, databases } = deps;
    const events = config.events;
    const region = config.region;
    const parent = { parent: tier };
    const key = keys.home.arn;
    const visibilityTimeoutSeconds = visibilityTimeoutFor(events);

    const bus = deps.bus;

    const queue = (consumer: string) => new ConsumerQueue(`${namePrefix}-${consumer}`, {
        kmsKeyArn: key,
        visibilityTimeoutSeconds,
        maxReceiveCount: events.maxReceiveCount,
        alarmTopicArn: deps.alarmTopicArn,
        maxMessageAgeSeconds: events.maxMessageAgeSeconds,
        deliveryDeadLetterQueue: true,
    }, parent);

    /** A rule routing matching events to one consumer's queue, which admits that rule alone. */
    const route = (consumer: string, target: ConsumerQueue, eventPattern: pulumi.Input<string>, busName?: pulumi.Input<string>, description?: string) => {
        const rule = new aws.cloudwatch.EventRule(`${namePrefix}-${consumer}`, {
            name: `${namePrefix}-${consumer}`,
            description,
            eventBusName: busName,
            eventPattern,
        }, parent);
        new aws.cloudwatch.EventTarget(`${namePrefix}-${consumer}`, {
            rule: rule.name,
            eventBusName: busName,
            targetId: consumer,
            arn: target.queue.arn,
            retryPolicy: TARGET_RETRY,
            deadLetterConfig: { arn: target.deliveryDeadLetterQueue!.arn },
        }, parent);
        target.admit([{ service: "events.amazonaws.com", sourceArn: rule.arn }]);
        return rule;
    };

    const queues = {
        orderProcessor: queue("order-processor"),
        inventory: queue("inventory"),
        notification: queue("notification"),
        crawlerTrigger: queue("crawler-trigger"),
        assetIndexer: queue("asset-indexer"),
    };
    const detailTypes = (...types: string[]) => JSON.stringify({ "detail-type": types });
    route("order-processor", queues.orderProcessor, detailTypes("OrderPlaced", "PaymentProcessed"), bus.name, "Order processing: write orders and payments to Aurora");
    route("inventory", queues.inventory, detailTypes("InventoryReserved"), bus.name, "Inventory update: decrement stock, invalidate the cache");
    route("notification", queues.notification, detailTypes("OrderPlaced", "OrderShipped"), bus.name, "Customer notification");
    // S3 sends its events only to the account's default bus.
    // Values in one pattern array are ORed: one prefix entry per key prefix the rule admits.
    const objectCreated = (bucket: pulumi.Input<string>, prefixes: string[]) => pulumi.output(bucket).apply((name) => JSON.stringify({
        source: ["aws.s3"],
        "detail-type": ["Object Created"],
        detail: { bucket: { name: [name] }, object: { key: prefixes.map((prefix) => ({ prefix })) } },
    }));
    // Only the crawled domains' prefixes: other raw/ writers (the clickstream's Firehose) never reach the trigger.
    const crawledPrefixes = config.analytics.crawlerDomains.map((domain) => `raw/${domain}/`);
    route("crawler-trigger", queues.crawlerTrigger, objectCreated(storage.dataLake.name, crawledPrefixes), undefined, "New raw data-lake objects of a crawled domain start its crawler");
    route("asset-indexer", queues.assetIndexer, objectCreated(storage.assets.name, ["images/products/"]), undefined, "New product images enter the asset index");

    const notificationsTopic = new aws.sns.Topic(`${namePrefix}-order-notifications`, {
        name: `${namePrefix}-order-notifications`,
        kmsMasterKeyId: key,
    }, parent);
    for (const s of events.notificationSubscriptions) {
        new aws.sns.TopicSubscription(subscriptionName(`${namePrefix}-order-notifications`, s), {
            topic: notificationsTopic.arn,
            protocol: s.protocol,
            endpoint: s.endpoint,
        }, parent);
    }

    // Orders to the order management system, in order per customer (seed 004 item 11).
    const oms = new ConsumerQueue(`${namePrefix}-oms`, {
        kmsKeyArn: key,
        fifo: true,
        visibilityTimeoutSeconds: 300,
        maxReceiveCount: events.maxReceiveCount,
        alarmTopicArn: deps.alarmTopicArn,
        maxMessageAgeSeconds: events.maxMessageAgeSeconds,
    }, parent);
    const omsConsumer = new aws.iam.Role(`${namePrefix}-oms-consumer`, {
        description: "The order management system's consumer of the orders FIFO queue",
        assumeRolePolicy: policyDocument([pulumi.all([accountId, ctx.partition]).apply(([account, partition]) => omsConsumerTrust(events, namePrefix, account, partition))]),
    }, parent);
    new aws.iam.RolePolicy(`${namePrefix}-oms-consumer`, {
        role: omsConsumer.id,
        policy: policyDocument(pulumi.all([oms.queue.arn, keys.useThroughServices(region, ["sqs"], ["kms:Decrypt"])]).apply(([arn, decrypt]): PolicyStatement[] => [
            { Sid: "ConsumeOrders", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], Resource: arn },
            { Sid: "DecryptOrders", ...decrypt },
        ])),
    }, parent);

    const aurora = databases.aurora;
    const cacheHost = databases.cache.endpoints.apply((e) => e?.[0]?.address ?? "");
    const database = (user: string) => ({
        DB_HOST: aurora.writerEndpoint,
        DB_PORT: "5432",
        DB_NAME: DATABASE_NAME,
        DB_USER: user,
        DB_AUTH: "iam",
        DB_SSL: "verify-full",
        // Powertools processes a batch's records in parallel: one connection per record, no queueing behind a pool.
        DB_POOL_MAX: String(events.batchSize),
        // Lambda's Node.js runtimes trust the RDS CA bundle only through this file.
        NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
    });
    const redis = { REDIS_HOST: cacheHost, REDIS_PORT: "6379", REDIS_TLS: "true" };
    const via = (services: string[], actions?: string[]) => keys.useThroughServices(region, services, actions);
    const allow = (sid: string, action: string | string[], resource: pulumi.Input<string>) =>
        pulumi.output(resource).apply((r): PolicyStatement => ({ Sid: sid, Effect: "Allow", Action: action, Resource: r }));

    const handler = (name: HandlerName, source: ConsumerQueue, environment: Record<string, pulumi.Input<string>>, statements: pulumi.Input<PolicyStatement>[]) =>
        new HandlerFunction(`${namePrefix}-${name}`, {
            code: handlerCode(name),
            environment: { POWERTOOLS_SERVICE_NAME: name, POWERTOOLS_LOG_LEVEL: "INFO", ...environment },
            statements,
            source: { queueArn: source.queue.arn, kmsKeyArn: key },
            subnetIds: network.subnetIds.application,
            securityGroupId: securityGroups.lambda.id,
            logsKeyArn: key,
            logRetentionDays: config.logRetentionDays,
            timeoutSeconds: events.lambdaTimeoutSeconds,
            memoryMb: events.lambdaMemoryMb,
            batchSize: events.batchSize,
            maximumBatchingWindowSeconds: events.maximumBatchingWindowSeconds,
            maximumConcurrency: events.maximumConcurrency,
            reservedConcurrency: events.reservedConcurrency,
            region,
            accountId,
        }, parent);

    const functions = {
        orderProcessor: handler("order-processor", queues.orderProcessor, {
            ...database(HANDLER_DATABASE_ROLE["order-processor"]),
            DATA_LAKE_BUCKET: storage.dataLake.name,
            OMS_QUEUE_URL: oms.queue.url,
        }, [
            aurora.connectStatement(region, accountId, ctx.partition, HANDLER_DATABASE_ROLE["order-processor"]),
            allow("ArchiveRawOrders", "s3:PutObject", pulumi.interpolate`${storage.dataLake.arn}/raw/orders/*`),
            allow("ForwardToOms", "sqs:SendMessage", oms.queue.arn),
            via(["s3", "sqs"], ["kms:GenerateDataKey", "kms:Decrypt"]),
        ]),
        inventory: handler("inventory", queues.inventory, { ...database(HANDLER_DATABASE_ROLE.inventory), ...redis, PRODUCT_CACHE_KEY_TEMPLATE }, [
            aurora.connectStatement(region, accountId, ctx.partition, HANDLER_DATABASE_ROLE.inventory),
        ]),
        notification: handler("notification", queues.notification, {
            ...redis,
            NOTIFICATION_TOPIC_ARN: notificationsTopic.arn,
            // The in-flight claim must lapse before SQS redelivers: the claim is taken up to one invocation (timeout
            // plus batching window) after receipt, so it lives that much less than the visibility timeout.
            NOTIFICATION_IN_FLIGHT_TTL_MS: String((visibilityTimeoutSeconds - events.lambdaTimeoutSeconds - events.maximumBatchingWindowSeconds) * 1000),
        }, [
            allow("PublishNotifications", "sns:Publish", notificationsTopic.arn),
            via(["sns"], ["kms:GenerateDataKey", "kms:Decrypt"]),
        ]),
        crawlerTrigger: handler("crawler-trigger", queues.crawlerTrigger, {
            ...redis,
            GLUE_CRAWLER_PREFIX: crawlerNamePrefix(namePrefix),
            // Exactly the domains the analytics tier crawls: an object of another domain is ignored, not sent to the DLQ.
            CRAWLER_DOMAINS: config.analytics.crawlerDomains.join(","),
            CRAWLER_START_WINDOW_SECONDS: String(events.crawlerWindowSeconds),
        }, [
            allow("StartDomainCrawlers", "glue:StartCrawler", pulumi.interpolate`arn:${ctx.partition}:glue:${region}:${accountId}:crawler/${crawlerNamePrefix(namePrefix)}*`),
        ]),
        assetIndexer: handler("asset-indexer", queues.assetIndexer, { ASSET_INDEX_TABLE: databases.tables.assetIndex.name }, [
            allow("WriteAssetIndex", "dynamodb:PutItem", databases.tables.assetIndex.arn),
            allow("ReadImageTags", ["s3:GetObjectTagging", "s3:GetObjectVersionTagging"], pulumi.interpolate`${storage.assets.arn}/images/products/*`),
            via(["dynamodb"], ["kms:GenerateDataKey", "kms:Decrypt"]),
        ]),
    };

    return { bus, queues, oms, omsConsumer, notificationsTopic, functions };
}
