import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

/** One IAM or resource-policy statement (the subset of the grammar this program writes). */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | { AWS?: string | string[]; Service?: string | string[] };
    Action: string | string[];
    /** Absent only in trust policies. */
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

const partitions = new WeakMap<object, pulumi.Output<string>>();

/**
 * The AWS partition ("aws", "aws-cn", …), asked of the provider once per program run: every ARN built from a name
 * needs it, and each ask is a provider call.
 */
export function currentPartition(): pulumi.Output<string> {
    const stack = pulumi.runtime.getStackResource();
    if (!stack) return aws.getPartitionOutput().partition;
    let partition = partitions.get(stack);
    if (!partition) partitions.set(stack, (partition = aws.getPartitionOutput().partition));
    return partition;
}

/** Serialises statements (which may hold outputs) into one policy document. */
export function policyDocument(statements: pulumi.Input<pulumi.Input<PolicyStatement>[]>): pulumi.Output<string> {
    return pulumi.output(statements).apply((s) => JSON.stringify({ Version: "2012-10-17", Statement: s }));
}

/** A trust policy letting one AWS service assume a role, only on behalf of this account (confused-deputy guard). */
export function serviceTrustPolicy(service: string, accountId: pulumi.Input<string>): pulumi.Output<string> {
    return policyDocument([
        pulumi.output(accountId).apply((account): PolicyStatement => ({
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": account } },
        })),
    ]);
}

/**
 * The ARN of a resource from its explicit name (`resource` is the ARN's resource part, e.g. `log-group:/ecs/x`), not
 * from its `arn` output: the name is known on a stack's first preview, the output is not, and a policy document
 * holding an unknown value is wholly unknown to the policy pack at preview.
 */
export function arnFromName(
    service: string,
    region: pulumi.Input<string>,
    accountId: pulumi.Input<string>,
    resource: pulumi.Input<string>,
): pulumi.Output<string> {
    return pulumi.interpolate`arn:${currentPartition()}:${service}:${region}:${accountId}:${resource}`;
}

/** The ARN of a bucket from its name (bucket ARNs carry no region or account). */
export function bucketArnFromName(bucket: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`arn:${currentPartition()}:s3:::${bucket}`;
}

/**
 * A KMS key as IAM statements name it: by one of its aliases. A key's ARN holds an id AWS assigns when the key is
 * created, so a document naming it is unknown on a stack's first preview; the alias name is chosen by the program.
 */
export interface KeyGrantRef {
    /**
     * The alias, e.g. `alias/retail-platform-staging`: the Alias resource's `name` output, so every grant naming it
     * waits for the alias (the name is an input, known at a first preview).
     */
    readonly alias: pulumi.Input<string>;
    /** The key's region. */
    readonly region: string;
    /** The key's account. */
    readonly accountId: pulumi.Input<string>;
}

/**
 * An IAM statement allowing `actions` on the key `key` names, identified through `kms:ResourceAliases` (AWS KMS
 * ABAC: "Use aliases to control access to KMS keys") over the account's keys in the key's region. `viaServices`
 * adds kms:ViaService, so the grant works only through those services; `condition` adds further conditions.
 * AWS notes an alias change can take up to five minutes to affect authorization.
 */
export function keyStatement(
    key: KeyGrantRef,
    grant: {
        sid?: string;
        actions: string | string[];
        viaServices?: string[];
        condition?: PolicyStatement["Condition"];
    },
): pulumi.Output<PolicyStatement> {
    return pulumi.all([currentPartition(), key.accountId, key.alias]).apply(([partition, account, alias]): PolicyStatement => ({
        ...(grant.sid ? { Sid: grant.sid } : {}),
        Effect: "Allow",
        Action: grant.actions,
        Resource: `arn:${partition}:kms:${key.region}:${account}:key/*`,
        Condition: {
            ...grant.condition,
            "ForAnyValue:StringEquals": { ...grant.condition?.["ForAnyValue:StringEquals"], "kms:ResourceAliases": alias },
            ...(grant.viaServices
                ? {
                      StringEquals: {
                          ...grant.condition?.StringEquals,
                          "kms:ViaService": grant.viaServices.map((s) => `${s}.${key.region}.amazonaws.com`),
                      },
                  }
                : {}),
        },
    }));
}

/** A resource whose ARN is its type's fixed pattern around its name (which the program or the provider's Check sets). */
export type NamedResource =
    | aws.dynamodb.Table
    | aws.sqs.Queue
    | aws.kinesis.Stream
    | aws.cloudwatch.EventBus
    | aws.sns.Topic
    | aws.cloudwatch.LogGroup
    | aws.s3.Bucket;

/**
 * The ARN a resource will have, built from its name rather than read from its `arn` output: on a stack's first
 * preview the name is known (set by the program, or generated by the provider's Check), the ARN is not, and a policy
 * document holding one unknown value is wholly unknown to the policy pack. `region` and `accountId` are the
 * resource's own (the stack's unless it was declared with `region`). Still a reference to the resource, so a
 * document built from it waits for the resource as before.
 */
export function knownArn(resource: NamedResource, region: pulumi.Input<string>, accountId: pulumi.Input<string>): pulumi.Output<string> {
    if (aws.s3.Bucket.isInstance(resource)) return bucketArnFromName(resource.bucket);
    if (aws.dynamodb.Table.isInstance(resource))
        return arnFromName("dynamodb", region, accountId, pulumi.interpolate`table/${resource.name}`);
    if (aws.sqs.Queue.isInstance(resource)) return arnFromName("sqs", region, accountId, resource.name);
    if (aws.kinesis.Stream.isInstance(resource))
        return arnFromName("kinesis", region, accountId, pulumi.interpolate`stream/${resource.name}`);
    if (aws.cloudwatch.EventBus.isInstance(resource))
        return arnFromName("events", region, accountId, pulumi.interpolate`event-bus/${resource.name}`);
    if (aws.sns.Topic.isInstance(resource)) return arnFromName("sns", region, accountId, resource.name);
    return arnFromName("logs", region, accountId, pulumi.interpolate`log-group:${resource.name}`);
}
