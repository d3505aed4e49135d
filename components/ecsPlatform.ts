import { createHash } from "crypto";
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

/** An SNS subscription as config declares it. */
export interface TopicSubscriptionSpec {
    readonly protocol: string;
    readonly endpoint: string;
}

/**
 * Logical name of a topic's subscription, from what it subscribes: removing or reordering other subscriptions must
 * not replace this one (a replaced e-mail subscription waits for its recipient to confirm again).
 */
export function subscriptionName(topicName: string, s: TopicSubscriptionSpec): string {
    return `${topicName}-${createHash("sha256").update(`${s.protocol}\0${s.endpoint}`).digest("hex").slice(0, 8)}`;
}

export interface EcsPlatformArgs {
    /** Cluster name; Container Insights writes to /aws/ecs/containerinsights/<name>/performance. */
    readonly clusterName: string;
    /** Cloud Map private DNS namespace for PBC-to-PBC calls, e.g. "staging.retail.internal". */
    readonly namespaceName: string;
    /** The VPC the namespace resolves in. */
    readonly vpcId: pulumi.Input<string>;
    /** Names of the PBCs, one ECR repository each. */
    readonly repositoryNames: readonly string[];
    /** Prefix of repository and topic names, e.g. "retail-platform-staging". */
    readonly namePrefix: string;
    /** ARN of the stack's home key: Container Insights logs, repositories and the operations topic. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Retention of the Container Insights log group in days. */
    readonly logRetentionDays: number;
    /** Who hears the alarms: the operations topic's subscriptions (e-mail, https chat/pager webhook, sms). */
    readonly operationsSubscriptions: readonly TopicSubscriptionSpec[];
}

/**
 * What every PBC service shares: the ECS cluster with Container Insights — its performance log
 * group declared here first, encrypted and with retention, instead of the unencrypted never-expiring one ECS would
 * create — the Cloud Map namespace, one ECR repository per PBC (immutable tags, scan on push, KMS) and the
 * operations topic every alarm notifies.
 */
export class EcsPlatform extends pulumi.ComponentResource {
    readonly cluster: aws.ecs.Cluster;
    readonly clusterName: string;
    readonly namespace: aws.servicediscovery.PrivateDnsNamespace;
    readonly repositories: Record<string, aws.ecr.Repository>;
    readonly operationsTopic: aws.sns.Topic;

    constructor(name: string, args: EcsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:application:EcsPlatform", name, {}, opts);
        if (!/^[A-Za-z0-9_-]{1,255}$/.test(args.clusterName))
            throw new pulumi.ResourceError(
                `clusterName must be 1-255 letters, digits, - or _, got ${JSON.stringify(args.clusterName)}`,
                this,
            );
        const parent = { parent: this };
        this.clusterName = args.clusterName;

        const insights = new aws.cloudwatch.LogGroup(
            `${name}-container-insights`,
            {
                name: `/aws/ecs/containerinsights/${args.clusterName}/performance`,
                retentionInDays: args.logRetentionDays,
                kmsKeyId: args.kmsKeyArn,
            },
            parent,
        );
        this.cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            {
                name: args.clusterName,
                settings: [{ name: "containerInsights", value: "enabled" }],
            },
            { parent: this, dependsOn: [insights] },
        );
        new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity`,
            {
                clusterName: this.cluster.name,
                capacityProviders: ["FARGATE"],
                defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
            },
            parent,
        );

        this.namespace = new aws.servicediscovery.PrivateDnsNamespace(
            `${name}-namespace`,
            {
                name: args.namespaceName,
                description: "PBC-to-PBC service discovery",
                vpc: args.vpcId,
            },
            parent,
        );

        this.repositories = {};
        for (const repo of args.repositoryNames) {
            this.repositories[repo] = new aws.ecr.Repository(
                `${name}-${repo}`,
                {
                    name: `${args.namePrefix}/${repo}`,
                    imageTagMutability: "IMMUTABLE",
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                    forceDelete: false,
                },
                parent,
            );
        }

        this.operationsTopic = new aws.sns.Topic(
            `${name}-operations`,
            {
                name: `${args.namePrefix}-operations`,
                displayName: "retail-platform operations",
                kmsMasterKeyId: args.kmsKeyArn,
            },
            parent,
        );
        const seen = new Set<string>();
        for (const subscription of args.operationsSubscriptions) {
            const child = subscriptionName(`${name}-operations`, subscription);
            if (seen.has(child))
                throw new pulumi.ResourceError(
                    `operations subscription ${subscription.protocol} ${subscription.endpoint} is listed twice`,
                    this,
                );
            seen.add(child);
            new aws.sns.TopicSubscription(
                child,
                {
                    topic: this.operationsTopic.arn,
                    protocol: subscription.protocol,
                    endpoint: subscription.endpoint,
                },
                parent,
            );
        }

        this.registerOutputs({
            clusterArn: this.cluster.arn,
            namespaceId: this.namespace.id,
            repositoryUrls: Object.fromEntries(Object.entries(this.repositories).map(([k, r]) => [k, r.repositoryUrl])),
            operationsTopicArn: this.operationsTopic.arn,
        });
    }
}
