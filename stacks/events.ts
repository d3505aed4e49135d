// Events tier: the retail domain event bus with its archive and three rules, the S3 rules on the default bus, one
// queue per consumer with its dead-letter queues and alarms, the order-notifications topic, the FIFO queue to the
// order management system, and the handlers as Lambda functions.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/aws";
import { ConsumerQueue } from "../components/consumerQueue";
import { subscriptionName } from "../components/ecsPlatform";
import { HandlerFunction } from "../components/handlerFunction";
import { arnFromName, knownArn, policyDocument, PolicyStatement } from "../components/iam";
import { Network } from "../components/network";
import { SecurityGroups } from "../components/securityGroups";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { visibilityTimeoutFor } from "../config/events";
import { HANDLER_DATABASE_ROLE } from "../handlers/migration-runner/roles";
import { bundleHandler, HandlerName } from "../components/handlerBundle";
import { PlatformContext } from "./context";
import { crawledDomains, crawlerNamePrefix } from "./analytics";
import { ASSET_INDEXER_ENV } from "../handlers/asset-indexer/env";
import { CRAWLER_TRIGGER_ENV } from "../handlers/crawler-trigger/env";
import { INVENTORY_ENV } from "../handlers/inventory/env";
import { DATABASE_ENV } from "../handlers/lib/env";
import { NOTIFICATION_ENV } from "../handlers/notification/env";
import { ORDER_PROCESSOR_ENV } from "../handlers/order-processor/env";
import { cacheEnvironment, Databases, DATABASE_NAME, PRODUCT_CACHE_KEY_TEMPLATE } from "./databases";
import { Storage } from "./storage";

export interface EventsDeps {
    readonly keys: StackKeys;
    readonly network: Network;
    readonly securityGroups: SecurityGroups;
    readonly storage: Storage;
    readonly databases: Databases;
    /**
     * The operations topic every alarm notifies. The application tier declares it after this tier (its PBCs are
     * granted this tier's bus), so it arrives as a deferred output.
     */
    readonly alarmTopicArn: pulumi.Input<string>;
}

/** Redelivery contract of every rule target: retry for a day, then the target's own dead-letter queue. */
const TARGET_RETRY = { maximumEventAgeInSeconds: 24 * 3600, maximumRetryAttempts: 185 };

export function handlerCode(name: HandlerName): pulumi.Output<pulumi.asset.Archive> {
    return pulumi
        .output(bundleHandler(name))
        .apply((b) => new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(b.outfile) }));
}

/**
 * Who may assume the OMS consumer role. An account root never stands alone (it would admit every principal of the
 * account allowed sts:AssumeRole on "*"): with a configured root the OMS must present the external id; without a
 * configured principal (staging) only this account's roles named "<prefix>-oms-*" may assume it.
 */
export function omsConsumerTrust(
    events: { omsConsumerPrincipal?: string; omsConsumerExternalId?: string },
    namePrefix: string,
    account: string,
    partition: string,
): PolicyStatement {
    const statement: PolicyStatement = {
        Sid: "OrderManagementSystem",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { AWS: events.omsConsumerPrincipal ?? `arn:${partition}:iam::${account}:root` },
    };
    if (!events.omsConsumerPrincipal)
        return {
            ...statement,
            Condition: { ArnLike: { "aws:PrincipalArn": `arn:${partition}:iam::${account}:role/${namePrefix}-oms-*` } },
        };
    if (events.omsConsumerExternalId)
        return { ...statement, Condition: { StringEquals: { "sts:ExternalId": events.omsConsumerExternalId } } };
    if (events.omsConsumerPrincipal.endsWith(":root"))
        throw new Error("an account-root omsConsumerPrincipal needs omsConsumerExternalId (config validation enforces it)");
    return statement;
}

export function declareEvents(ctx: PlatformContext, deps: EventsDeps) {
    const { config, namePrefix, accountId } = ctx;
    const { keys, network, securityGroups, storage, databases } = deps;
    const events = config.events;
    const region = config.region;
    const tier = new Tier("events");
    const parent = { parent: tier };
    const key = keys.home.arn;
    const visibilityTimeoutSeconds = visibilityTimeoutFor(events);

    // The retail domain event bus (suffixed with the stack: bus names are unique per account and region) and its
    // 90-day archive.
    const bus = new aws.cloudwatch.EventBus(
        `${namePrefix}-bus`,
        { name: `RetailEventBus-${config.stack}`, description: "Retail domain events" },
        parent,
    );
    new aws.cloudwatch.EventArchive(
        `${namePrefix}-bus-archive`,
        {
            name: `${namePrefix}-retail-events`,
            description: "Every retail domain event, 90 days, for replay after an outage or a bug",
            eventSourceArn: bus.arn,
            retentionDays: 90,
        },
        parent,
    );

    const queue = (consumer: string) =>
        new ConsumerQueue(
            `${namePrefix}-${consumer}`,
            {
                location: { region, accountId },
                kmsKeyArn: key,
                visibilityTimeoutSeconds,
                maxReceiveCount: events.maxReceiveCount,
                alarmTopicArn: deps.alarmTopicArn,
                maxMessageAgeSeconds: events.maxMessageAgeSeconds,
                deliveryDeadLetterQueue: true,
            },
            parent,
        );

    /** A rule routing matching events to one consumer's queue, which admits that rule alone. */
    const route = (
        consumer: string,
        target: ConsumerQueue,
        eventPattern: pulumi.Input<string>,
        busName?: pulumi.Input<string>,
        description?: string,
    ) => {
        const rule = new aws.cloudwatch.EventRule(
            `${namePrefix}-${consumer}`,
            {
                name: `${namePrefix}-${consumer}`,
                description,
                eventBusName: busName,
                eventPattern,
            },
            parent,
        );
        new aws.cloudwatch.EventTarget(
            `${namePrefix}-${consumer}`,
            {
                rule: rule.name,
                eventBusName: busName,
                targetId: consumer,
                arn: target.queue.arn,
                retryPolicy: TARGET_RETRY,
                deadLetterConfig: { arn: target.deliveryDeadLetterQueue!.arn },
            },
            parent,
        );
        // The rule's ARN from its name (rule/<bus>/<name> on a custom bus): known on a first preview, unlike rule.arn.
        const ruleArn = arnFromName(
            "events",
            region,
            accountId,
            busName ? pulumi.interpolate`rule/${busName}/${rule.name}` : pulumi.interpolate`rule/${rule.name}`,
        );
        target.admit([{ service: "events.amazonaws.com", sourceArn: ruleArn }]);
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
    route(
        "order-processor",
        queues.orderProcessor,
        detailTypes("OrderPlaced", "PaymentProcessed"),
        bus.name,
        "Order processing: write orders and payments to Aurora",
    );
    route(
        "inventory",
        queues.inventory,
        detailTypes("InventoryReserved"),
        bus.name,
        "Inventory update: decrement stock, invalidate the cache",
    );
    route("notification", queues.notification, detailTypes("OrderPlaced", "OrderShipped"), bus.name, "Customer notification");
    // S3 sends its events only to the account's default bus.
    // Values in one pattern array are ORed: one prefix entry per key prefix the rule admits.
    const objectCreated = (bucket: pulumi.Input<string>, prefixes: string[]) =>
        pulumi.output(bucket).apply((name) =>
            JSON.stringify({
                source: ["aws.s3"],
                "detail-type": ["Object Created"],
                detail: { bucket: { name: [name] }, object: { key: prefixes.map((prefix) => ({ prefix })) } },
            }),
        );
    // Only the crawled domains' prefixes: other raw/ writers (the clickstream's Firehose) never reach the trigger.
    const crawledPrefixes = crawledDomains(ctx).map((domain) => `raw/${domain}/`);
    route(
        "crawler-trigger",
        queues.crawlerTrigger,
        objectCreated(storage.dataLake.name, crawledPrefixes),
        undefined,
        "New raw data-lake objects of a crawled domain start its crawler",
    );
    route(
        "asset-indexer",
        queues.assetIndexer,
        objectCreated(storage.assets.name, ["images/products/"]),
        undefined,
        "New product images enter the asset index",
    );

    const notificationsTopic = new aws.sns.Topic(
        `${namePrefix}-order-notifications`,
        {
            name: `${namePrefix}-order-notifications`,
            kmsMasterKeyId: key,
        },
        parent,
    );
    for (const s of events.notificationSubscriptions) {
        new aws.sns.TopicSubscription(
            subscriptionName(`${namePrefix}-order-notifications`, s),
            {
                topic: notificationsTopic.arn,
                protocol: s.protocol,
                endpoint: s.endpoint,
            },
            parent,
        );
    }

    // Orders to the order management system, in order per customer (FIFO, grouped by customer).
    const oms = new ConsumerQueue(
        `${namePrefix}-oms`,
        {
            kmsKeyArn: key,
            fifo: true,
            visibilityTimeoutSeconds: 300,
            maxReceiveCount: events.maxReceiveCount,
            alarmTopicArn: deps.alarmTopicArn,
            maxMessageAgeSeconds: events.maxMessageAgeSeconds,
        },
        parent,
    );
    const omsConsumer = new aws.iam.Role(
        `${namePrefix}-oms-consumer`,
        {
            description: "The order management system's consumer of the orders FIFO queue",
            assumeRolePolicy: policyDocument([
                pulumi
                    .all([accountId, ctx.partition])
                    .apply(([account, partition]) => omsConsumerTrust(events, namePrefix, account, partition)),
            ]),
        },
        parent,
    );
    new aws.iam.RolePolicy(
        `${namePrefix}-oms-consumer`,
        {
            role: omsConsumer.id,
            policy: policyDocument(
                pulumi
                    .all([knownArn(oms.queue, region, accountId), keys.useThroughServices(region, ["sqs"], ["kms:Decrypt"])])
                    .apply(([arn, decrypt]): PolicyStatement[] => [
                        {
                            Sid: "ConsumeOrders",
                            Effect: "Allow",
                            Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
                            Resource: arn,
                        },
                        { Sid: "DecryptOrders", ...decrypt },
                    ]),
            ),
        },
        parent,
    );

    const aurora = databases.aurora;
    const database = (user: string) => ({
        [DATABASE_ENV.host]: aurora.writerEndpoint,
        [DATABASE_ENV.port]: "5432",
        [DATABASE_ENV.name]: DATABASE_NAME,
        [DATABASE_ENV.user]: user,
        [DATABASE_ENV.auth]: "iam",
        [DATABASE_ENV.ssl]: "verify-full",
        // Powertools processes a batch's records in parallel: one connection per record, no queueing behind a pool.
        [DATABASE_ENV.poolMax]: String(events.batchSize),
        // Lambda's Node.js runtimes trust the RDS CA bundle only through this file.
        NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
    });
    const redis = cacheEnvironment(databases);
    const via = (services: string[], actions?: string[]) => keys.useThroughServices(region, services, actions);
    const allow = (sid: string, action: string | string[], resource: pulumi.Input<string>) =>
        pulumi.output(resource).apply((r): PolicyStatement => ({ Sid: sid, Effect: "Allow", Action: action, Resource: r }));

    const handler = (
        name: HandlerName,
        source: ConsumerQueue,
        environment: Record<string, pulumi.Input<string>>,
        statements: pulumi.Input<PolicyStatement>[],
        assignedIdStatements?: pulumi.Input<PolicyStatement>[],
    ) =>
        new HandlerFunction(
            `${namePrefix}-${name}`,
            {
                code: handlerCode(name),
                environment: { POWERTOOLS_SERVICE_NAME: name, POWERTOOLS_LOG_LEVEL: "INFO", ...environment },
                statements,
                assignedIdStatements,
                source: { queueArn: knownArn(source.queue, region, accountId), kmsKey: keys.home.grantRef },
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
            },
            parent,
        );

    const functions = {
        orderProcessor: handler(
            "order-processor",
            queues.orderProcessor,
            {
                ...database(HANDLER_DATABASE_ROLE["order-processor"]),
                [ORDER_PROCESSOR_ENV.dataLakeBucket]: storage.dataLake.name,
                [ORDER_PROCESSOR_ENV.omsQueueUrl]: oms.queue.url,
            },
            [
                allow("ArchiveRawOrders", "s3:PutObject", pulumi.interpolate`${storage.dataLake.arn}/raw/orders/*`),
                allow("ForwardToOms", "sqs:SendMessage", knownArn(oms.queue, region, accountId)),
                via(["s3", "sqs"], ["kms:GenerateDataKey", "kms:Decrypt"]),
            ],
            [aurora.connectStatement(region, accountId, ctx.partition, HANDLER_DATABASE_ROLE["order-processor"])],
        ),
        inventory: handler(
            "inventory",
            queues.inventory,
            { ...database(HANDLER_DATABASE_ROLE.inventory), ...redis, [INVENTORY_ENV.productCacheKeyTemplate]: PRODUCT_CACHE_KEY_TEMPLATE },
            [],
            [aurora.connectStatement(region, accountId, ctx.partition, HANDLER_DATABASE_ROLE.inventory)],
        ),
        notification: handler(
            "notification",
            queues.notification,
            {
                ...redis,
                [NOTIFICATION_ENV.topicArn]: notificationsTopic.arn,
                // The in-flight claim must lapse before SQS redelivers: the claim is taken up to one invocation (timeout
                // plus batching window) after receipt, so it lives that much less than the visibility timeout.
                [NOTIFICATION_ENV.inFlightTtlMs]: String(
                    (visibilityTimeoutSeconds - events.lambdaTimeoutSeconds - events.maximumBatchingWindowSeconds) * 1000,
                ),
            },
            [
                allow("PublishNotifications", "sns:Publish", knownArn(notificationsTopic, region, accountId)),
                via(["sns"], ["kms:GenerateDataKey", "kms:Decrypt"]),
            ],
        ),
        crawlerTrigger: handler(
            "crawler-trigger",
            queues.crawlerTrigger,
            {
                ...redis,
                [CRAWLER_TRIGGER_ENV.crawlerNamePrefix]: crawlerNamePrefix(namePrefix),
                // Exactly the domains the analytics tier crawls: an object of another domain is ignored, not sent to the DLQ.
                [CRAWLER_TRIGGER_ENV.domains]: crawledDomains(ctx).join(","),
                [CRAWLER_TRIGGER_ENV.startWindowSeconds]: String(events.crawlerWindowSeconds),
            },
            [
                allow(
                    "StartDomainCrawlers",
                    "glue:StartCrawler",
                    pulumi.interpolate`arn:${ctx.partition}:glue:${region}:${accountId}:crawler/${crawlerNamePrefix(namePrefix)}*`,
                ),
            ],
        ),
        assetIndexer: handler("asset-indexer", queues.assetIndexer, { [ASSET_INDEXER_ENV.tableName]: databases.tables.assetIndex.name }, [
            allow("WriteAssetIndex", "dynamodb:PutItem", knownArn(databases.tables.assetIndex, region, accountId)),
            allow(
                "ReadImageTags",
                ["s3:GetObjectTagging", "s3:GetObjectVersionTagging"],
                pulumi.interpolate`${storage.assets.arn}/images/products/*`,
            ),
            via(["dynamodb"], ["kms:GenerateDataKey", "kms:Decrypt"]),
        ]),
    };

    tier.complete({ busArn: bus.arn });
    return {
        tier,
        bus,
        queues,
        oms,
        omsConsumer,
        notificationsTopic,
        functions,
        outputs: {
            events: {
                busName: bus.name,
                notificationsTopicArn: notificationsTopic.arn,
                omsQueueUrl: oms.queue.url,
                omsConsumerRoleArn: omsConsumer.arn,
                functions: Object.fromEntries(Object.entries(functions).map(([k, f]) => [k, f.function.name])),
            },
        },
    };
}
