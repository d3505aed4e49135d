// The platform, composed tier by tier in seed 002's order. Pulumi deploys by dependency, so declaration order only
// has to respect references: the data tier's buckets are declared before ingress (CloudFront serves the assets, the
// ALB logs to the logs bucket), and its grants before the application tier (each PBC role gets its declared access).
import { SealedTopicPolicy } from "../components/topicPolicy";
import { Tier } from "../components/tier";
import { arnFromName, PolicyStatement } from "../components/iam";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config/schema";
import { declareLakeCatalog } from "./catalog";
import { declareClickstream } from "./clickstream";
import { platformContext } from "./context";
import { declareAnalytics } from "./analytics";
import { declareApplication } from "./application";
import { declareDatabases } from "./databases";
import { declareEventBus, declareEvents } from "./events";
import { declareGovernance } from "./governance";
import { declareIdentity } from "./identity";
import { bedrockAccess, mergeAccess } from "./access";
import { pbcAccess } from "./grants";
import { declareIngress, ResolvedCollectOrigin } from "./ingress";
import { declareNetworking } from "./networking";
import { protectStatefulResources } from "./protection";
import { declareKeys, declareSecurity } from "./security";
import { declareStorage } from "./storage";

export function buildPlatform(config: StackConfig) {
    const ctx = platformContext(config);
    if (config.environment === "production") protectStatefulResources();
    const { tier: securityTier, keys } = declareKeys(ctx);
    const { network } = declareNetworking(ctx, keys);
    const { securityGroups, originSecret } = declareSecurity(ctx, securityTier, keys, network);

    const dataTier = new Tier("data");
    const storage = declareStorage(ctx, dataTier, keys);
    const databases = declareDatabases(ctx, dataTier, keys, network, securityGroups);
    const catalog = declareLakeCatalog(ctx, dataTier);

    // CloudFront's /collect origin is the clickstream tier's API, declared later: a deferred output joins them.
    const [collectOrigin, resolveCollectOrigin] = pulumi.deferredOutput<ResolvedCollectOrigin>();
    const ingress = declareIngress(ctx, keys, network, securityGroups, originSecret, storage, collectOrigin);
    // The bus comes before the application tier: PBCs that publish domain events are granted it.
    const eventsTier = new Tier("events");
    const bus = declareEventBus(ctx, eventsTier);
    // Identity before the application tier: the PBCs that validate shopper tokens are told about the pool.
    const identity = declareIdentity(ctx, { ingress });
    const access = mergeAccess(pbcAccess(ctx, keys, storage, databases, bus), identity.accessByPbc, bedrockAccess(ctx));
    const application = declareApplication(ctx, keys, network, securityGroups, ingress, access);

    // The operations topic's one policy: tiers add statements (EventBridge rules, Budgets) to it before sealing.
    const operationsTopicPolicy = new SealedTopicPolicy(`${ctx.namePrefix}-operations-topic`, {
        topicArn: application.operationsTopic.arn,
        statementTopicArn: arnFromName("sns", ctx.config.region, ctx.accountId, application.operationsTopic.name),
    }, { parent: application.tier });
    ctx.registerSealable(operationsTopicPolicy);
    // A topic policy replaces the default one: keep the account's own access and CloudWatch alarms' publishing.
    for (const statement of ownerTopicStatements(operationsTopicPolicy.statementTopicArn, ctx.accountId, ctx.partition)) operationsTopicPolicy.addStatement(statement);

    const events = declareEvents(ctx, eventsTier, { bus, keys, network, securityGroups, storage, databases, alarmTopicArn: application.operationsTopic.arn });
    const clickstream = declareClickstream(ctx, {
        keys, network, securityGroups, storage, databases, catalog,
        operationsTopicArn: application.operationsTopic.arn,
        operationsTopicPolicy,
        resolveCollectOrigin,
    });

    // The last data tier: its dashboard and alarms read the clickstream tier's names.
    const analytics = declareAnalytics(ctx, {
        keys, network, securityGroups, storage, catalog, databases, application,
        edge: { loadBalancerArnSuffix: ingress.loadBalancer.arnSuffix, distributionId: ingress.cdn.distribution.id, webAclName: ingress.webAcl.acl.name },
        events: {
            queues: events.queues,
            functionNames: Object.values(events.functions).map((f) => f.function.name),
        },
        operationsTopicArn: application.operationsTopic.arn,
        operationsTopicPolicy,
        clickstream: {
            streamName: clickstream.stream.name,
            firehoseName: clickstream.firehose.name,
            firehoseBufferIntervalSeconds: ctx.config.clickstream.firehoseBufferingIntervalSeconds,
            apiName: clickstream.api.api.name,
            stageName: clickstream.api.stage.stageName,
            consumerFunctionNames: [clickstream.consumers.recentlyViewed.function.function.name, clickstream.consumers.trendingProducts.function.function.name],
            quarantineBucket: clickstream.quarantine.name,
        },
    });

    const governance = declareGovernance(ctx, { keys, storage, operationsTopicArn: application.operationsTopic.arn, operationsTopicPolicy });

    // Every tier has contributed its policy statements: write each registered holder's, each key's and each
    // bucket's single policy.
    ctx.sealAll();
    keys.seal();
    for (const bucket of storage.all) bucket.seal();
    securityTier.complete({ keyArns: keys.keyArns, originSecretArn: originSecret.secret.arn });
    eventsTier.complete({ busArn: events.bus.arn });
    dataTier.complete({ bucketNames: storage.all.map((b) => b.name), auroraWriter: databases.aurora.writerEndpoint });

    return {
        environment: config.environment,
        region: config.region,
        vpcId: network.vpc.id,
        availabilityZones: network.availabilityZones,
        subnetIds: network.subnetIds,
        natGatewayIds: network.natGateways.map((n) => n.id),
        kmsKeyArns: keys.keyArns,
        securityGroupIds: {
            alb: securityGroups.alb.id,
            application: securityGroups.application.id,
            payment: securityGroups.payment.id,
            data: securityGroups.data.id,
            lambda: securityGroups.lambda.id,
            endpoints: network.endpointSecurityGroup.id,
        },
        originVerifySecretArn: originSecret.secret.arn,
        buckets: {
            assets: storage.assets.name,
            invoices: storage.invoices.name,
            complianceArchive: storage.archive.name,
            dataLake: storage.dataLake.name,
            logs: storage.logs.name,
            ...(storage.replica ? { assetsReplica: storage.replica.bucket.name } : {}),
        },
        database: {
            writerEndpoint: databases.aurora.writerEndpoint,
            readerEndpoint: databases.aurora.readerEndpoint,
            name: "retail",
            migrationTaskDefinitionArn: databases.migrationRunner.taskDefinition.arn,
            migrationRepositoryUrl: databases.migrationRunner.repository.repositoryUrl,
        },
        cacheEndpoint: databases.cache.endpoints.apply((e) => e?.[0]?.address ?? ""),
        lakeDatabase: catalog.database.name,
        tables: {
            cart: databases.tables.cart.name,
            featureFlags: databases.tables.featureFlags.name,
            assetIndex: databases.tables.assetIndex.name,
        },
        events: {
            busName: events.bus.name,
            notificationsTopicArn: events.notificationsTopic.arn,
            omsQueueUrl: events.oms.queue.url,
            omsConsumerRoleArn: events.omsConsumer.arn,
            functions: Object.fromEntries(Object.entries(events.functions).map(([k, f]) => [k, f.function.name])),
        },
        edge: {
            domain: config.ingress.domain,
            hostedZoneId: ingress.zoneId,
            nameServers: ingress.nameServers,
            distributionId: ingress.cdn.distribution.id,
            distributionDomainName: ingress.cdn.domainName,
            webAclArn: ingress.webAcl.arn,
            loadBalancerDnsName: ingress.loadBalancer.dnsName,
        },
        governance: governance.outputs,
        identity: identity.outputs,
        clickstream: clickstream.outputs,
        application: {
            clusterName: application.platform.cluster.name,
            operationsTopicArn: application.operationsTopic.arn,
            repositoryUrls: Object.fromEntries(Object.entries(application.platform.repositories).map(([n, r]) => [n, r.repositoryUrl])),
            serviceAddresses: application.serviceAddresses,
        },
        analytics: analytics.outputs,
    };
}

/**
 * What a topic's default policy grants, kept when a topic policy is written: the account's own principals (through
 * their IAM policies), and CloudWatch alarms of this account publishing.
 */
function ownerTopicStatements(topicArn: pulumi.Output<string>, accountId: pulumi.Output<string>, partition: pulumi.Output<string>): pulumi.Output<PolicyStatement>[] {
    return [
        pulumi.all([topicArn, accountId, partition]).apply(([topic, account, part]): PolicyStatement => ({
            Sid: "AccountPrincipals",
            Effect: "Allow",
            Principal: { AWS: `arn:${part}:iam::${account}:root` },
            Action: ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:ListSubscriptionsByTopic"],
            Resource: topic,
        })),
        pulumi.all([topicArn, accountId]).apply(([topic, account]): PolicyStatement => ({
            Sid: "CloudWatchAlarms",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topic,
            Condition: { StringEquals: { "aws:SourceAccount": account } },
        })),
    ];
}
