import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

export interface WebAclArgs {
    /** Requests per 5 minutes from one IP above which the IP is blocked (AWS WAF allows 10 to 2,000,000,000). */
    readonly rateLimit: number;
    /** Path prefix of the API, where bodies above WAF's 8 KB inspection limit are legitimate (cart, checkout). */
    readonly apiPathPrefix: string;
    /** Name of the log group; AWS WAF only logs to groups whose name starts with "aws-waf-logs-". */
    readonly logGroupName: string;
    /** ARN of the stack's us-east-1 key, which encrypts the log group. */
    readonly logKeyArn: pulumi.Input<string>;
    /** Retention of the log group in days (a CloudWatch Logs retention value). */
    readonly logRetentionDays: number;
}

/** The AWS managed rule groups the ACL evaluates, in order (seed 002 step 2). */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

/** The label the common rule set puts on requests whose body exceeds 8 KB. */
export const SIZE_RESTRICTIONS_BODY_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

const WAF_REGION = "us-east-1"; // CloudFront-scoped web ACLs live in us-east-1
const RATE_LIMIT_WINDOW_SECONDS = 300;

function visibility(metricName: string) {
    return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/**
 * CloudFront's web ACL (scope CLOUDFRONT, us-east-1): the IP reputation list, a per-IP rate limit, the common rule
 * set, known bad inputs and SQL injection. The common rule set's SizeRestrictions_BODY only counts (it labels the
 * request); a rule right after it blocks labelled requests outside the API, so cart and checkout bodies above 8 KB
 * pass while every other path keeps the managed protection. Logs go to an encrypted aws-waf-logs-* group.
 */
export class WebAcl extends pulumi.ComponentResource {
    readonly acl: aws.wafv2.WebAcl;
    /** The ACL's ARN (CloudFront's webAclId takes the ARN for WAFv2). */
    readonly arn: pulumi.Output<string>;
    readonly logGroup: aws.cloudwatch.LogGroup;

    constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:ingress:WebAcl", name, {}, opts);
        if (!Number.isInteger(args.rateLimit) || args.rateLimit < 10 || args.rateLimit > 2_000_000_000) {
            throw new pulumi.ResourceError(`rateLimit must be an integer from 10 to 2000000000, got ${args.rateLimit}`, this);
        }
        if (!args.logGroupName.startsWith("aws-waf-logs-")) {
            throw new pulumi.ResourceError(`logGroupName must start with "aws-waf-logs-", got ${JSON.stringify(args.logGroupName)}`, this);
        }
        if (!/^\/[^*]*\/$/.test(args.apiPathPrefix)) throw new pulumi.ResourceError(`apiPathPrefix must look like "/api/", got ${JSON.stringify(args.apiPathPrefix)}`, this);
        const metric = (rule: string) => `${name}-${rule}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 128);
        const managed = (priority: number, group: string, ruleActionOverrides?: { name: string; actionToUse: { count: {} } }[]) => ({
            name: `AWS-${group}`,
            priority,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group, ...(ruleActionOverrides ? { ruleActionOverrides } : {}) } },
            visibilityConfig: visibility(metric(group)),
        });

        this.acl = new aws.wafv2.WebAcl(`${name}-acl`, {
            region: WAF_REGION,
            name,
            description: "CloudFront edge: IP reputation, rate limit, common rules, known bad inputs, SQL injection",
            scope: "CLOUDFRONT",
            defaultAction: { allow: {} },
            rules: [
                managed(0, "AWSManagedRulesAmazonIpReputationList"),
                {
                    name: "RateLimitPerIp",
                    priority: 1,
                    action: { block: {} },
                    statement: { rateBasedStatement: { limit: args.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: RATE_LIMIT_WINDOW_SECONDS } },
                    visibilityConfig: visibility(metric("RateLimitPerIp")),
                },
                managed(2, "AWSManagedRulesCommonRuleSet", [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]),
                {
                    name: "OversizedBodyOutsideApi",
                    priority: 3,
                    action: { block: {} },
                    statement: {
                        andStatement: {
                            statements: [
                                { labelMatchStatement: { scope: "LABEL", key: SIZE_RESTRICTIONS_BODY_LABEL } },
                                {
                                    notStatement: {
                                        statement: {
                                            byteMatchStatement: {
                                                searchString: args.apiPathPrefix,
                                                positionalConstraint: "STARTS_WITH",
                                                fieldToMatch: { uriPath: {} },
                                                textTransformations: [{ priority: 0, type: "NONE" }],
                                            },
                                        },
                                    },
                                },
                            ],
                        },
                    },
                    visibilityConfig: visibility(metric("OversizedBodyOutsideApi")),
                },
                managed(4, "AWSManagedRulesKnownBadInputsRuleSet"),
                managed(5, "AWSManagedRulesSQLiRuleSet"),
            ],
            visibilityConfig: visibility(metric("acl")),
        }, { parent: this });
        this.arn = this.acl.arn;

        this.logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            region: WAF_REGION,
            name: args.logGroupName,
            retentionInDays: args.logRetentionDays,
            kmsKeyId: args.logKeyArn,
        }, { parent: this });
        new aws.wafv2.WebAclLoggingConfiguration(`${name}-logging`, {
            region: WAF_REGION,
            resourceArn: this.acl.arn,
            logDestinationConfigs: [this.logGroup.arn],
            // Session cookies and bearer tokens stay out of the logs.
            redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
        }, { parent: this });

        this.registerOutputs({ webAclArn: this.arn, logGroupName: this.logGroup.name });
    }
}
