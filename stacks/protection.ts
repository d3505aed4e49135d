// Production's stateful resources carry `protect: true`: Pulumi refuses to delete or replace them (the update
// fails before touching AWS) until someone removes the protection deliberately. Staging stays destroyable.
import * as pulumi from "@pulumi/pulumi";

/** The resource types that hold data or identity a replacement would lose, and why each is on the list. */
export const PROTECTED_TYPES: Readonly<Record<string, string>> = {
    "aws:rds/cluster:Cluster": "Aurora: the orders, catalogue and customer data",
    "aws:rds/clusterInstance:ClusterInstance":
        "Aurora's writer and readers: replacing one drops connections and, for the writer, forces a failover",
    "aws:elasticache/serverlessCache:ServerlessCache": "the cache: sessions and warm entries; a new one also gets a new endpoint",
    "aws:dynamodb/table:Table": "carts, feature flags and the asset index",
    "aws:s3/bucket:Bucket": "assets, invoices, the compliance archive, the data lake and the access logs",
    "aws:kms/key:Key": "every encrypted resource above needs its key; a deleted key makes the data unreadable",
    "aws:sqs/queue:Queue": "queues and dead-letter queues hold orders not yet processed",
    "aws:backup/vault:Vault": "the recovery points of Aurora and the tables",
    "aws:cloudwatch/eventArchive:EventArchive": "90 days of domain events for replay",
    "aws:route53/zone:Zone": "a new zone gets new name servers, breaking the delegation at the parent",
    "aws:kinesis/stream:Stream": "the clickstream: up to the retention period of events not yet consumed or delivered",
    "aws:redshiftserverless/namespace:Namespace": "the warehouse's tables and users",
    "aws:cognito/userPool:UserPool": "every shopper's and staff member's account: users and passwords cannot be exported",
};

/** Marks every resource of a {@link PROTECTED_TYPES} type protected; call before declaring any resource. */
export function protectStatefulResources(): void {
    pulumi.runtime.registerStackTransformation((args) => {
        if (!(args.type in PROTECTED_TYPES)) return undefined;
        return { props: args.props, opts: pulumi.mergeOptions(args.opts, { protect: true }) };
    });
}
