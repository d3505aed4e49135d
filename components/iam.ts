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
    return pulumi.interpolate`arn:${aws.getPartitionOutput().partition}:${service}:${region}:${accountId}:${resource}`;
}
