// Application tier: the ECS platform, one PbcService per PBC, and the operations topic's one policy.
import * as pulumi from "@pulumi/pulumi";
import { EcsPlatform } from "../components/ecsPlatform";
import { arnFromName, PolicyStatement } from "../components/iam";
import { planListenerRules, PlannedRule } from "../components/loadBalancer";
import { Network } from "../components/network";
import { PbcService } from "../components/pbcService";
import { SealedTopicPolicy } from "../components/topicPolicy";
import { SecurityGroups } from "../components/securityGroups";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { PlatformContext } from "./context";
import { PbcAccess } from "./grants";
import { Ingress } from "./ingress";

export interface Application {
    tier: Tier;
    platform: EcsPlatform;
    services: Record<string, PbcService>;
    /** The ALB listener rules as planned (PBC, priority, patterns). */
    listenerRules: PlannedRule[];
    /** Every alarm of the platform notifies this topic (encrypted with the home key). */
    operationsTopic: EcsPlatform["operationsTopic"];
    /**
     * The operations topic's one policy: later tiers add statements (EventBridge rules, Budgets) to it; it is sealed
     * with every other sealable after the last tier.
     */
    operationsTopicPolicy: SealedTopicPolicy;
    /** Cloud Map names of the PBCs, e.g. "payment.staging.retail.internal". */
    serviceAddresses: Record<string, string>;
    outputs: {
        application: {
            clusterName: pulumi.Output<string>;
            operationsTopicArn: pulumi.Output<string>;
            repositoryUrls: Record<string, pulumi.Output<string>>;
            serviceAddresses: Record<string, string>;
        };
    };
}

export interface ApplicationDeps {
    readonly keys: StackKeys;
    readonly network: Network;
    readonly securityGroups: SecurityGroups;
    /** The load balancer's listener the PBCs' rules attach to, and the origin-verify values they require. */
    readonly ingress: Ingress;
    /** Each PBC's grants from the other tiers (statements and environment), by PBC name. */
    readonly accessByPbc?: Record<string, PbcAccess>;
}

export function declareApplication(ctx: PlatformContext, deps: ApplicationDeps): Application {
    const { config, namePrefix } = ctx;
    const { keys, network, securityGroups, ingress, accessByPbc } = deps;
    const tier = new Tier("application");
    const pbcs = Object.entries(config.pbcs).sort(([a], [b]) => a.localeCompare(b));
    for (const [name, access] of Object.entries(accessByPbc ?? {})) {
        if (!(name in config.pbcs))
            throw new pulumi.ResourceError(`grants were given for PBC ${JSON.stringify(name)}, which the config does not declare`, tier);
        // A PBC's own environment may not shadow what the platform tells it about its grants.
        for (const key of Object.keys(config.pbcs[name].environment)) {
            if (key in access.environment || key in access.parameters)
                throw new pulumi.ResourceError(
                    `pbcs.${name}.environment.${key} is set by the platform from dataAccess; remove it from the PBC's environment`,
                    tier,
                );
        }
    }
    const namespaceName = `${config.stack}.retail.internal`;
    const platform = new EcsPlatform(
        `${namePrefix}-ecs`,
        {
            clusterName: namePrefix,
            namespaceName,
            vpcId: network.vpc.id,
            repositoryNames: pbcs.map(([name]) => name),
            namePrefix,
            kmsKeyArn: keys.home.arn,
            logRetentionDays: config.logRetentionDays,
            operationsSubscriptions: config.operations.subscriptions,
        },
        { parent: tier },
    );

    const listenerRules = planListenerRules(
        pbcs
            .filter(([, p]) => p.network === "application" && p.pathPatterns.length > 0)
            .map(([name, p]) => ({ name, pathPatterns: p.pathPatterns, listenerPriority: p.listenerPriority })),
    );
    const serviceAddresses = Object.fromEntries(pbcs.map(([name]) => [name, `${name}.${namespaceName}`]));

    const services: Record<string, PbcService> = {};
    for (const [name, p] of pbcs) {
        const rules = listenerRules.filter((r) => r.pbc === name);
        const isPayment = p.network === "payment";
        services[name] = new PbcService(
            `${namePrefix}-${name}`,
            {
                pbcName: name,
                image: p.image,
                cpu: p.cpu,
                memory: p.memory,
                desiredCount: p.desiredCount,
                minCount: p.minCount,
                maxCount: p.maxCount,
                containerPort: p.containerPort,
                healthCheckPath: p.healthCheckPath,
                user: p.user,
                writablePaths: p.writablePaths,
                environment: {
                    PBC_NAME: name,
                    SERVICE_DISCOVERY_NAMESPACE: namespaceName,
                    // Internal PBCs (payment, internal: true) are reached through Cloud Map on their container port.
                    ...Object.fromEntries(
                        pbcs
                            .filter(([, q]) => q.network === "payment" || q.internal)
                            .map(([q, c]) => [
                                `${q.toUpperCase().replace(/-/g, "_")}_SERVICE_ADDRESS`,
                                `${serviceAddresses[q]}:${c.containerPort}`,
                            ]),
                    ),
                    ...accessByPbc?.[name]?.environment,
                    ...p.environment,
                },
                secrets: p.secrets,
                parameters: accessByPbc?.[name]?.parameters,
                permissions: p.permissions,
                extraTaskRoleStatements: accessByPbc?.[name]?.statements,
                assignedIdTaskRoleStatements: accessByPbc?.[name]?.assignedIdStatements,
                clusterArn: platform.cluster.arn,
                clusterName: platform.clusterName,
                subnetIds: isPayment ? network.subnetIds.payment : network.subnetIds.application,
                securityGroupId: isPayment ? securityGroups.payment.id : securityGroups.application.id,
                namespaceId: platform.namespace.id,
                repositoryArn: arnFromName(
                    "ecr",
                    config.region,
                    ctx.accountId,
                    pulumi.interpolate`repository/${platform.repositories[name].name}`,
                ),
                region: config.region,
                accountId: ctx.accountId,
                kmsKeyArn: keys.home.arn,
                kmsKey: keys.home.grantRef,
                logRetentionDays: config.logRetentionDays,
                alarmTopicArn: platform.operationsTopic.arn,
                routing:
                    rules.length > 0
                        ? {
                              listenerArn: ingress.loadBalancer.listener.arn,
                              loadBalancerArnSuffix: ingress.loadBalancer.arnSuffix,
                              rules,
                              originVerifyValues: ingress.originVerifyValues,
                              vpcId: network.vpc.id,
                          }
                        : undefined,
            },
            { parent: tier },
        );
    }

    tier.complete({
        clusterArn: platform.cluster.arn,
        operationsTopicArn: platform.operationsTopic.arn,
        serviceNames: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.service.name])),
    });

    const operationsTopic = platform.operationsTopic;
    // The topic's one policy; its statements name the topic by an ARN built from its explicit name, so the document is
    // known at a stack's first preview.
    const operationsTopicPolicy = new SealedTopicPolicy(
        `${namePrefix}-operations-topic`,
        {
            topicArn: operationsTopic.arn,
            statementTopicArn: arnFromName("sns", ctx.config.region, ctx.accountId, operationsTopic.name),
        },
        { parent: tier },
    );
    ctx.registerSealable(operationsTopicPolicy);
    // A topic policy replaces the default one: keep the account's own access and CloudWatch alarms' publishing.
    for (const statement of ownerTopicStatements(operationsTopicPolicy.statementTopicArn, ctx.accountId, ctx.partition))
        operationsTopicPolicy.addStatement(statement);

    return {
        tier,
        platform,
        services,
        listenerRules,
        operationsTopic,
        operationsTopicPolicy,
        serviceAddresses,
        outputs: {
            application: {
                clusterName: platform.cluster.name,
                operationsTopicArn: operationsTopic.arn,
                repositoryUrls: Object.fromEntries(Object.entries(platform.repositories).map(([n, r]) => [n, r.repositoryUrl])),
                serviceAddresses,
            },
        },
    };
}

/**
 * What a topic's default policy grants, kept when a topic policy is written: the account's own principals (through
 * their IAM policies), and CloudWatch alarms of this account publishing.
 */
function ownerTopicStatements(
    topicArn: pulumi.Output<string>,
    accountId: pulumi.Output<string>,
    partition: pulumi.Output<string>,
): pulumi.Output<PolicyStatement>[] {
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
