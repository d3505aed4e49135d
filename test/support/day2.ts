// Plans of day-2 config changes: the committed stack and the same stack after one ordinary change.
import { variantPlan } from "./ingress";
import { PROTECTED_TYPES } from "../../stacks/protection";
import { PlanJson } from "./plan";

/** The stateful types whose replacement loses data or traffic; a day-2 change must not replace any of them. */
export const STATEFUL_TYPES = [
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/networkAclRule:NetworkAclRule",
    "aws:backup/vault:Vault",
    "aws:cloudwatch/eventArchive:EventArchive",
    "aws:route53/zone:Zone",
    "aws:rds/cluster:Cluster",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:elasticache/serverlessCache:ServerlessCache",
    "aws:dynamodb/table:Table",
    "aws:s3/bucket:Bucket",
    "aws:sqs/queue:Queue",
    "aws:kms/key:Key",
    "aws:lb/targetGroup:TargetGroup",
    "aws:lb/listenerRule:ListenerRule",
];

/** A PBC a team adds on a normal week: routed, with a database role and a table. */
export function addReviewsPbc(config: Record<string, any>): void {
    const pbcs = config["retail-platform:pbcs"];
    pbcs.reviews = { ...pbcs.search, pathPatterns: ["/api/reviews/*"], dataAccess: { database: true, tables: { featureFlags: "read" } } };
}

export function raiseAzCount(config: Record<string, any>): void {
    config["retail-platform:network"] = { ...config["retail-platform:network"], azCount: 4 };
}

export function basePlan(stack: string): PlanJson {
    return variantPlan(`day2-base-${stack}`, stack, () => undefined);
}

export function changedPlan(key: string, stack: string, change: (config: Record<string, any>) => void): PlanJson {
    return variantPlan(`day2-${key}-${stack}`, stack, change);
}

/**
 * The resources whose URN is pinned by test/day2/stateful-urns.json: production's protected types plus the network
 * they sit in. A URN change (renamed logical name, new parent) is a delete and create to Pulumi unless the resource
 * carries an `aliases` entry for its old URN. The load balancer and target groups are not pinned (being renamed).
 */
export const PINNED_URN_TYPES = [
    ...Object.keys(PROTECTED_TYPES),
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:rds/subnetGroup:SubnetGroup",
].sort();

export function statefulUrns(plan: PlanJson): string[] {
    return plan.resources
        .filter((r) => PINNED_URN_TYPES.includes(r.type))
        .map((r) => r.urn)
        .sort();
}
