// The platform, composed tier by tier. Every tier is `declareX(ctx, deps) → { tier, outputs, … }`: it builds and
// completes its own `retail:<tier>:Tier`, takes what it uses from earlier tiers through its typed deps, and returns the
// stack outputs it contributes, exported here as they are. Whatever must be finished after the last tier (key, bucket
// and topic policies) registers itself with `ctx.registerSealable` and is sealed by `ctx.sealAll()`.
//
// Pulumi deploys by dependency, so declaration order only has to respect references: the keys before the network
// (flow logs are encrypted), the data tier's buckets before ingress (CloudFront serves the assets, the ALB logs to the
// logs bucket), the events tier's bus before the application tier (PBCs that publish events are granted it). Where a
// tier needs something declared later, a deferred output joins them.
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config/schema";
import { bedrockAccess, mergeAccess } from "./access";
import { declareAnalytics } from "./analytics";
import { declareApplication } from "./application";
import { declareClickstream } from "./clickstream";
import { platformContext } from "./context";
import { declareData } from "./data";
import { declareEvents } from "./events";
import { declareGovernance } from "./governance";
import { pbcAccess } from "./grants";
import { knownArn } from "../components/iam";
import { declareIdentity } from "./identity";
import { declareIngress, ResolvedCollectOrigin } from "./ingress";
import { declareNetworking } from "./networking";
import { protectStatefulResources } from "./protection";
import { declareSecurity } from "./security";

export function buildPlatform(config: StackConfig) {
    const ctx = platformContext(config);
    if (config.environment === "production") protectStatefulResources();

    // The security groups live in the VPC, whose flow logs are encrypted with the security tier's keys.
    const [vpcId, resolveVpcId] = pulumi.deferredOutput<string>();
    const [endpointSecurityGroupId, resolveEndpointSecurityGroupId] = pulumi.deferredOutput<string>();
    const security = declareSecurity(ctx, { vpcId, endpointSecurityGroupId });
    const { keys, securityGroups, originSecret } = security;
    const networking = declareNetworking(ctx, { keys });
    const { network } = networking;
    resolveVpcId(network.vpc.id);
    resolveEndpointSecurityGroupId(network.endpointSecurityGroup.id);

    const data = declareData(ctx, { keys, network, securityGroups });
    const { storage, databases, catalog } = data;

    // CloudFront's /collect origin is the clickstream tier's API, declared later.
    const [collectOrigin, resolveCollectOrigin] = pulumi.deferredOutput<ResolvedCollectOrigin>();
    const ingress = declareIngress(ctx, { keys, network, securityGroups, originSecret, storage, collectOrigin });

    // The events tier's alarms notify the application tier's operations topic, declared after it.
    const [operationsTopicArn, resolveOperationsTopicArn] = pulumi.deferredOutput<string>();
    const events = declareEvents(ctx, { keys, network, securityGroups, storage, databases, alarmTopicArn: operationsTopicArn });
    // Identity before the application tier: the PBCs that validate shopper tokens are told about the pool.
    const identity = declareIdentity(ctx, { ingress });
    const access = mergeAccess(
        pbcAccess(ctx, {
            keys,
            databases,
            grantables: data.grantables,
            bus: { arn: knownArn(events.bus, ctx.config.region, ctx.accountId), name: events.bus.name },
        }),
        identity.accessByPbc,
        bedrockAccess(ctx),
    );
    const application = declareApplication(ctx, { keys, network, securityGroups, ingress, accessByPbc: access });
    const { operationsTopicPolicy } = application;
    resolveOperationsTopicArn(application.operationsTopic.arn);

    const clickstream = declareClickstream(ctx, {
        keys,
        network,
        securityGroups,
        storage,
        databases,
        catalog,
        operationsTopicArn: application.operationsTopic.arn,
        operationsTopicPolicy,
        resolveCollectOrigin,
    });

    // The last data tier: its dashboard and alarms read the clickstream tier's names.
    const analytics = declareAnalytics(ctx, {
        keys,
        network,
        securityGroups,
        storage,
        catalog,
        databases,
        application,
        edge: {
            loadBalancerArnSuffix: ingress.loadBalancer.arnSuffix,
            distributionId: ingress.cdn.distribution.id,
            webAclName: ingress.webAcl.acl.name,
        },
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
            consumerFunctionNames: [
                clickstream.consumers.recentlyViewed.function.function.name,
                clickstream.consumers.trendingProducts.function.function.name,
            ],
            quarantineBucket: clickstream.quarantine.name,
        },
    });

    const governance = declareGovernance(ctx, {
        keys,
        storage,
        operationsTopicArn: application.operationsTopic.arn,
        operationsTopicPolicy,
    });

    // Every tier has contributed its policy statements: write each registered holder's single policy.
    ctx.sealAll();

    return {
        environment: config.environment,
        region: config.region,
        ...networking.outputs,
        ...security.outputs,
        ...data.outputs,
        ...events.outputs,
        ...ingress.outputs,
        governance: governance.outputs,
        identity: identity.outputs,
        clickstream: clickstream.outputs,
        ...application.outputs,
        analytics: analytics.outputs,
    };
}
