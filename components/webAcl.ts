import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { throwArgumentErrors } from "./argumentErrors";

export interface WebAclArgs {
    /** Requests per 5 minutes from one IP above which the IP is blocked (AWS WAF allows 10 to 2,000,000,000). */
    readonly rateLimit: number;
    /**
     * Paths where bodies above the common rule set's 8 KB limit are legitimate (the API's cart and checkout, the
     * clickstream beacon batches): a prefix (`/api/`) or an exact path (`/collect`).
     */
    readonly oversizedBodyExemptPaths: readonly PathMatch[];
    /**
     * The beacon endpoint: excluded from the per-IP rate rule (beacons must not use up a shopper's page budget),
     * with a rate rule of its own and a body-size cap.
     */
    readonly collect?: { readonly path: string; readonly rateLimit: number; readonly maxBodyBytes: number };
    /** Name of the log group; AWS WAF only logs to groups whose name starts with "aws-waf-logs-". */
    readonly logGroupName: string;
    /** ARN of the stack's us-east-1 key, which encrypts the log group. */
    readonly logKeyArn: pulumi.Input<string>;
    /** Retention of the log group in days (a CloudWatch Logs retention value). */
    readonly logRetentionDays: number;
}

/** The AWS managed rule groups the ACL evaluates, in priority order (a match with a terminating action ends evaluation). */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

/** The label the common rule set puts on requests whose body exceeds 8 KB. */
export const SIZE_RESTRICTIONS_BODY_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

/** A URI path condition: a prefix ending in "/" or an exact path. */
export interface PathMatch {
    readonly path: string;
    readonly match: "STARTS_WITH" | "EXACTLY";
}

/** The largest body WAF inspects for CloudFront by default (16 KB); the size rule on the beacon path must not exceed it. */
export const CLOUDFRONT_BODY_INSPECTION_LIMIT = 16 * 1024;

function pathStatement(p: PathMatch) {
    return {
        byteMatchStatement: {
            searchString: p.path,
            positionalConstraint: p.match,
            fieldToMatch: { uriPath: {} },
            textTransformations: [{ priority: 0, type: "NONE" }],
        },
    };
}

const WAF_REGION = "us-east-1"; // CloudFront-scoped web ACLs live in us-east-1
const RATE_LIMIT_WINDOW_SECONDS = 300;

function visibility(metricName: string) {
    return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/**
 * CloudFront's web ACL (scope CLOUDFRONT, us-east-1): the IP reputation list, a per-IP rate limit, the common rule
 * set, known bad inputs and SQL injection. The common rule set's SizeRestrictions_BODY only counts (it labels the
 * request); a rule right after it blocks labelled requests outside the exempt paths, so cart, checkout and beacon
 * bodies above 8 KB pass while every other path keeps the managed protection. The beacon path has its own rate
 * rule and body cap, and is left out of the per-IP page rate rule. Logs go to an encrypted aws-waf-logs-* group.
 */
export class WebAcl extends pulumi.ComponentResource {
    readonly acl: aws.wafv2.WebAcl;
    /** The ACL's ARN (CloudFront's webAclId takes the ARN for WAFv2). */
    readonly arn: pulumi.Output<string>;
    readonly logGroup: aws.cloudwatch.LogGroup;

    constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:ingress:WebAcl", name, {}, opts);
        const problems: string[] = [];
        if (!Number.isInteger(args.rateLimit) || args.rateLimit < 10 || args.rateLimit > 2_000_000_000) {
            problems.push(`rateLimit must be an integer from 10 to 2000000000, got ${args.rateLimit}`);
        }
        if (!args.logGroupName.startsWith("aws-waf-logs-")) {
            problems.push(`logGroupName must start with "aws-waf-logs-", got ${JSON.stringify(args.logGroupName)}`);
        }
        if (args.oversizedBodyExemptPaths.length === 0) problems.push("oversizedBodyExemptPaths must name at least one path");
        for (const p of args.oversizedBodyExemptPaths) {
            const ok = p.match === "STARTS_WITH" ? /^\/[^*]*\/$/.test(p.path) : /^\/[^*]*[^/*]$/.test(p.path);
            if (!ok)
                problems.push(
                    `oversizedBodyExemptPaths: ${p.match} path must look like ${p.match === "STARTS_WITH" ? '"/api/"' : '"/collect"'}, got ${JSON.stringify(p.path)}`,
                );
        }
        if (args.collect) {
            const { path, rateLimit, maxBodyBytes } = args.collect;
            if (!/^\/[^*]*[^/*]$/.test(path))
                problems.push(`collect.path must be an exact path like "/collect", got ${JSON.stringify(path)}`);
            if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000)
                problems.push(`collect.rateLimit must be an integer from 10 to 2000000000, got ${rateLimit}`);
            if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1 || maxBodyBytes > CLOUDFRONT_BODY_INSPECTION_LIMIT)
                problems.push(
                    `collect.maxBodyBytes must be from 1 to ${CLOUDFRONT_BODY_INSPECTION_LIMIT} (WAF's CloudFront inspection limit), got ${maxBodyBytes}`,
                );
        }
        throwArgumentErrors(this, problems);
        const collect = args.collect;
        const collectPath: PathMatch | undefined = collect ? { path: collect.path, match: "EXACTLY" } : undefined;
        const exempt = args.oversizedBodyExemptPaths.map(pathStatement);
        const metric = (rule: string) => `${name}-${rule}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 128);
        const managed = (
            priority: number,
            group: string,
            ruleActionOverrides?: { name: string; actionToUse: { count: Record<string, never> } }[],
        ) => ({
            name: `AWS-${group}`,
            priority,
            overrideAction: { none: {} },
            statement: {
                managedRuleGroupStatement: { vendorName: "AWS", name: group, ...(ruleActionOverrides ? { ruleActionOverrides } : {}) },
            },
            visibilityConfig: visibility(metric(group)),
        });

        this.acl = new aws.wafv2.WebAcl(
            `${name}-acl`,
            {
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
                        statement: {
                            rateBasedStatement: {
                                limit: args.rateLimit,
                                aggregateKeyType: "IP",
                                evaluationWindowSec: RATE_LIMIT_WINDOW_SECONDS,
                                // Beacons have their own budget (next rule): they must not use up the page budget.
                                ...(collectPath ? { scopeDownStatement: { notStatement: { statement: pathStatement(collectPath) } } } : {}),
                            },
                        },
                        visibilityConfig: visibility(metric("RateLimitPerIp")),
                    },
                    ...(collect && collectPath
                        ? [
                              {
                                  name: "RateLimitCollectPerIp",
                                  priority: 2,
                                  action: { block: {} },
                                  statement: {
                                      rateBasedStatement: {
                                          limit: collect.rateLimit,
                                          aggregateKeyType: "IP",
                                          evaluationWindowSec: RATE_LIMIT_WINDOW_SECONDS,
                                          scopeDownStatement: pathStatement(collectPath),
                                      },
                                  },
                                  visibilityConfig: visibility(metric("RateLimitCollectPerIp")),
                              },
                              {
                                  // The API's request model cannot bound the body's size: this rule does. A body beyond WAF's
                                  // inspection limit is oversize and matches too (oversizeHandling MATCH).
                                  name: "CollectBodyTooLarge",
                                  priority: 3,
                                  action: { block: {} },
                                  statement: {
                                      andStatement: {
                                          statements: [
                                              pathStatement(collectPath),
                                              {
                                                  sizeConstraintStatement: {
                                                      comparisonOperator: "GT",
                                                      size: collect.maxBodyBytes,
                                                      fieldToMatch: { body: { oversizeHandling: "MATCH" } },
                                                      textTransformations: [{ priority: 0, type: "NONE" }],
                                                  },
                                              },
                                          ],
                                      },
                                  },
                                  visibilityConfig: visibility(metric("CollectBodyTooLarge")),
                              },
                          ]
                        : []),
                    managed(4, "AWSManagedRulesCommonRuleSet", [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]),
                    {
                        name: "OversizedBodyOutsideExemptPaths",
                        priority: 5,
                        action: { block: {} },
                        statement: {
                            andStatement: {
                                statements: [
                                    { labelMatchStatement: { scope: "LABEL", key: SIZE_RESTRICTIONS_BODY_LABEL } },
                                    // An OR statement needs at least two statements.
                                    {
                                        notStatement: {
                                            statement: exempt.length === 1 ? exempt[0] : { orStatement: { statements: exempt } },
                                        },
                                    },
                                ],
                            },
                        },
                        visibilityConfig: visibility(metric("OversizedBodyOutsideExemptPaths")),
                    },
                    managed(6, "AWSManagedRulesKnownBadInputsRuleSet"),
                    managed(7, "AWSManagedRulesSQLiRuleSet"),
                ],
                visibilityConfig: visibility(metric("acl")),
            },
            { parent: this },
        );
        this.arn = this.acl.arn;

        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                region: WAF_REGION,
                name: args.logGroupName,
                retentionInDays: args.logRetentionDays,
                kmsKeyId: args.logKeyArn,
            },
            { parent: this },
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-logging`,
            {
                region: WAF_REGION,
                resourceArn: this.acl.arn,
                logDestinationConfigs: [this.logGroup.arn],
                // Session cookies and bearer tokens stay out of the logs.
                redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
            },
            { parent: this },
        );

        this.registerOutputs({ webAclArn: this.arn, logGroupName: this.logGroup.name });
    }
}
