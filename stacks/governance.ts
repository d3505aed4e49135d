// Governance tier (continuous compliance and cost control): the per-stack budget always;
// with `accountSingletons: managed` also the account's CloudTrail trail, AWS Config and GuardDuty in every region the
// stack uses, and the routing of NON_COMPLIANT changes and GuardDuty findings to the operations topic.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/aws";
import { AuditTrail } from "../components/auditTrail";
import { ConfigRecorder, ManagedRule } from "../components/configRecorder";
import { EventForwarder } from "../components/eventForwarder";
import { arnFromName, policyDocument, PolicyStatement, serviceTrustPolicy } from "../components/iam";
import { StackBudget } from "../components/stackBudget";
import { StackKeys } from "../components/stackKeys";
import { ThreatDetector } from "../components/threatDetector";
import { Tier } from "../components/tier";
import { SealedTopicPolicy } from "../components/topicPolicy";
import { PlatformContext, sealedBucket } from "./context";
import { Storage } from "./storage";

export interface GovernanceDeps {
    keys: StackKeys;
    storage: Storage;
    /** The operations topic (encrypted with the home key) notifications go to. */
    operationsTopicArn: pulumi.Input<string>;
    /** The operations topic's single policy, which gains EventBridge's and Budgets' sns:Publish. */
    operationsTopicPolicy: SealedTopicPolicy;
}

type Where = "all" | "home" | "us-east-1";

/**
 * The managed rules, by name and AWS identifier (they differ for several), and where each applies: IAM is global and
 * recorded in the home region only, CloudFront rules exist only in us-east-1, the VPC and the ALB live in the home
 * region. The first five are the baseline checks (encryption, public databases, VPC-only instances, root keys, SSH);
 * the rest watch after a deploy what the policy pack's mandatory policies check before it.
 */
export const CONFIG_RULES: readonly (ManagedRule & { where: Where })[] = [
    {
        name: "s3-bucket-server-side-encryption-enabled",
        identifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
        where: "all",
        description: "Every S3 bucket has default encryption",
    },
    {
        name: "rds-instance-public-access-check",
        identifier: "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
        where: "all",
        description: "No RDS instance is publicly accessible",
    },
    { name: "ec2-instances-in-vpc", identifier: "INSTANCES_IN_VPC", where: "all", description: "Every EC2 instance is in a VPC" },
    {
        name: "iam-root-access-key-check",
        identifier: "IAM_ROOT_ACCESS_KEY_CHECK",
        where: "home",
        description: "The root user has no access keys",
    },
    {
        name: "restricted-ssh",
        identifier: "INCOMING_SSH_DISABLED",
        where: "all",
        description: "No security group admits SSH from the internet",
    },
    {
        name: "restricted-common-ports",
        identifier: "RESTRICTED_INCOMING_TRAFFIC",
        where: "all",
        description: "No security group admits RDP or database ports from the internet",
        parameters: { blockedPort1: "3389", blockedPort2: "5432", blockedPort3: "3306", blockedPort4: "6379", blockedPort5: "1433" },
    },
    {
        name: "s3-bucket-level-public-access-prohibited",
        identifier: "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
        where: "all",
        description: "Every bucket blocks public access",
    },
    {
        name: "s3-bucket-ssl-requests-only",
        identifier: "S3_BUCKET_SSL_REQUESTS_ONLY",
        where: "all",
        description: "Every bucket policy denies requests without TLS",
    },
    { name: "rds-storage-encrypted", identifier: "RDS_STORAGE_ENCRYPTED", where: "all", description: "RDS storage is encrypted" },
    { name: "ec2-imdsv2-check", identifier: "EC2_IMDSV2_CHECK", where: "all", description: "EC2 instances require IMDSv2" },
    {
        name: "cmk-backing-key-rotation-enabled",
        identifier: "CMK_BACKING_KEY_ROTATION_ENABLED",
        where: "all",
        description: "Customer-managed keys rotate",
    },
    {
        name: "lambda-function-public-access-prohibited",
        identifier: "LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED",
        where: "all",
        description: "No Lambda function is invokable by the public",
    },
    { name: "vpc-flow-logs-enabled", identifier: "VPC_FLOW_LOGS_ENABLED", where: "home", description: "Every VPC has flow logs" },
    {
        name: "alb-http-drop-invalid-header-enabled",
        identifier: "ALB_HTTP_DROP_INVALID_HEADER_ENABLED",
        where: "home",
        description: "Load balancers drop invalid headers",
    },
    {
        name: "iam-policy-no-statements-with-admin-access",
        identifier: "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS",
        where: "home",
        description: "No customer-managed IAM policy allows * on *",
    },
    {
        name: "cloudfront-viewer-policy-https",
        identifier: "CLOUDFRONT_VIEWER_POLICY_HTTPS",
        where: "us-east-1",
        description: "CloudFront serves viewers over HTTPS only",
    },
    {
        name: "cloudfront-associated-with-waf",
        identifier: "CLOUDFRONT_ASSOCIATED_WITH_WAF",
        where: "us-east-1",
        description: "Every CloudFront distribution has a web ACL",
    },
];

/** The regions the stack uses: home, us-east-1 (the edge), the replica region if any — each once. */
export function stackRegions(ctx: PlatformContext): string[] {
    return [...new Set([ctx.config.region, "us-east-1", ...(ctx.config.data.replicaRegion ? [ctx.config.data.replicaRegion] : [])])];
}

export function rulesFor(region: string, home: string): ManagedRule[] {
    return CONFIG_RULES.filter(
        (r) => r.where === "all" || (r.where === "home" && region === home) || (r.where === "us-east-1" && region === "us-east-1"),
    ).map(({ where: _where, ...rule }) => rule);
}

const COMPLIANCE_CHANGES = {
    source: ["aws.config"],
    "detail-type": ["Config Rules Compliance Change"],
    detail: { messageType: ["ComplianceChangeNotification"], newEvaluationResult: { complianceType: ["NON_COMPLIANT"] } },
};
const findingsAtLeast = (severity: number) => ({
    source: ["aws.guardduty"],
    "detail-type": ["GuardDuty Finding"],
    detail: { severity: [{ numeric: [">=", severity] }] },
});

export function declareGovernance(ctx: PlatformContext, deps: GovernanceDeps) {
    const { config, namePrefix, accountId, partition } = ctx;
    const { keys } = deps;
    const tier = new Tier("governance");
    const parent = { parent: tier };
    const home = config.region;
    const gov = config.governance;

    // Per stack: the budget over the stack's tagged costs, notifying the operations topic.
    const budget = new StackBudget(
        `${namePrefix}-budget`,
        {
            budgetName: `${namePrefix}-monthly`,
            limitUsd: gov.budget.limitUsd,
            tag: { key: "environment", value: config.stack },
            actualAlertPercent: gov.budget.actualAlertPercent,
            forecastAlertPercent: gov.budget.forecastAlertPercent,
            topicArn: deps.operationsTopicArn,
        },
        parent,
    );
    deps.operationsTopicPolicy.addStatement(
        pulumi
            .all([deps.operationsTopicPolicy.statementTopicArn, accountId, partition])
            .apply(([topic, account, part]): PolicyStatement => ({
                Sid: "BudgetsNotify",
                Effect: "Allow",
                Principal: { Service: "budgets.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topic,
                Condition: {
                    StringEquals: { "aws:SourceAccount": account },
                    ArnLike: { "aws:SourceArn": `arn:${part}:budgets::${account}:*` },
                },
            })),
    );
    // Budgets publishes to the encrypted topic with the home key (AWS Budgets' documented key policy has no conditions).
    keys.addStatement(home, {
        Sid: "BudgetsNotifications",
        Effect: "Allow",
        Principal: { Service: "budgets.amazonaws.com" },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
    });

    const outputs: Record<string, unknown> = { budgetName: budget.budget.name };
    let singletons: ReturnType<typeof declareSingletons> | undefined;
    if (config.accountSingletons === "managed") {
        singletons = declareSingletons(ctx, tier, deps);
        Object.assign(outputs, {
            trailArn: singletons.trail.trailArn,
            governanceBucket: singletons.governanceBucket.name,
            configRegions: Object.keys(singletons.recorders),
            guardDutyDetectorIds: Object.fromEntries(Object.entries(singletons.detectors).map(([r, d]) => [r, d.detector.id])),
        });
    }
    tier.complete(outputs);
    return { tier, outputs, budget, singletons };
}

function declareSingletons(ctx: PlatformContext, tier: Tier, deps: GovernanceDeps) {
    const { config, namePrefix, accountId, partition } = ctx;
    const { keys, storage } = deps;
    const parent = { parent: tier };
    const home = config.region;
    const regions = stackRegions(ctx);
    const homeKey = keys.forRegion(home);

    // CloudTrail: one multi-region trail for the account.
    const trail = new AuditTrail(
        `${namePrefix}-trail`,
        {
            trailName: `${namePrefix}-audit`,
            bucketName: pulumi.interpolate`${namePrefix}-trail-${accountId}`,
            accessLogs: { bucket: storage.logs.bucket.id, prefix: "s3-access/trail/" },
            retentionDays: Math.max(365, config.logRetentionDays),
            keys,
            homeRegion: home,
            accountId,
            partition,
        },
        parent,
    );
    ctx.registerSealable(trail.bucket);

    // AWS Config: the governance bucket (no Object Lock: Config refuses a delivery bucket with it), in the home region;
    // every region's channel delivers to it (PutDeliveryChannel supports cross-region buckets outside China).
    const governanceBucket = sealedBucket(
        ctx,
        `${namePrefix}-governance`,
        {
            bucketName: pulumi.interpolate`${namePrefix}-governance-${accountId}`,
            encryption: { kmsKeyArn: homeKey.arn },
            accessLogs: { bucket: storage.logs.bucket.id, prefix: "s3-access/governance/" },
            lifecycleRules: [
                {
                    id: "expire-noncurrent-versions",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        parent,
    );
    // Config delivers as its service principal (the service-linked role cannot write to S3).
    governanceBucket.addPolicyStatement(
        pulumi.all([governanceBucket.arn, accountId]).apply(([bucket, account]): PolicyStatement => ({
            Sid: "ConfigBucketChecks",
            Effect: "Allow",
            Principal: { Service: "config.amazonaws.com" },
            Action: ["s3:GetBucketAcl", "s3:ListBucket"],
            Resource: bucket,
            Condition: { StringEquals: { "aws:SourceAccount": account } },
        })),
    );
    governanceBucket.addPolicyStatement(
        pulumi.all([governanceBucket.arn, accountId]).apply(([bucket, account]): PolicyStatement => ({
            Sid: "ConfigDelivery",
            Effect: "Allow",
            Principal: { Service: "config.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${bucket}/AWSLogs/${account}/Config/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": account } },
        })),
    );
    keys.addStatement(
        home,
        pulumi.output(accountId).apply((account): PolicyStatement => ({
            Sid: "ConfigDelivery",
            Effect: "Allow",
            Principal: { Service: "config.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": account } },
        })),
    );

    // The account's AWSServiceRoleForConfig (import it if the account already has one).
    const configRole = new aws.iam.ServiceLinkedRole(
        `${namePrefix}-config-role`,
        {
            awsServiceName: "config.amazonaws.com",
            description: "AWS Config recorders of every region the platform uses",
        },
        parent,
    );

    // Events: every other region forwards to the home default bus; the home rules notify the operations topic.
    const homeBusArn = pulumi.interpolate`arn:${partition}:events:${home}:${accountId}:event-bus/default`;
    const forwarderRole = new aws.iam.Role(
        `${namePrefix}-event-forwarding`,
        {
            description: "EventBridge: forwards Config and GuardDuty events of other regions to the home region's default bus",
            assumeRolePolicy: serviceTrustPolicy("events.amazonaws.com", accountId),
        },
        parent,
    );
    new aws.iam.RolePolicy(
        `${namePrefix}-event-forwarding`,
        {
            role: forwarderRole.id,
            policy: policyDocument([
                homeBusArn.apply((bus): PolicyStatement => ({
                    Sid: "PutOnHomeDefaultBus",
                    Effect: "Allow",
                    Action: "events:PutEvents",
                    Resource: bus,
                })),
            ]),
        },
        parent,
    );

    const gd = config.governance.guardDuty;
    const patterns = {
        "config-noncompliant": { pattern: COMPLIANCE_CHANGES, what: "AWS Config rules turning NON_COMPLIANT" },
        "guardduty-findings": {
            pattern: findingsAtLeast(gd.minSeverity),
            what: `GuardDuty findings of severity ${gd.minSeverity} or more`,
        },
    };

    const recorders: Record<string, ConfigRecorder> = {};
    const detectors: Record<string, ThreatDetector> = {};
    const forwarders: EventForwarder[] = [];
    for (const region of regions) {
        const isHome = region === home;
        const suffix = isHome ? "" : `-${region}`;
        recorders[region] = new ConfigRecorder(
            `${namePrefix}-config${suffix}`,
            {
                region: isHome ? undefined : region,
                isHome,
                roleArn: configRole.arn,
                bucketName: governanceBucket.bucket.id,
                bucketPolicy: governanceBucket.policy,
                bucketKmsKeyArn: homeKey.arn,
                rules: rulesFor(region, home),
            },
            parent,
        );
        detectors[region] = new ThreatDetector(
            `${namePrefix}-guardduty${suffix}`,
            {
                region: isHome ? undefined : region,
                features: gd.features,
                findingPublishingFrequency: gd.findingPublishingFrequency,
            },
            parent,
        );
        if (!isHome) {
            for (const [kind, { pattern, what }] of Object.entries(patterns)) {
                forwarders.push(
                    new EventForwarder(
                        `${namePrefix}-${kind}-${region}`,
                        {
                            region,
                            ruleName: `${namePrefix}-${kind}-to-${home}`,
                            description: `${what} in ${region}, forwarded to ${home}`,
                            eventPattern: JSON.stringify(pattern),
                            homeBusArn,
                            roleArn: forwarderRole.arn,
                        },
                        parent,
                    ),
                );
            }
        }
    }

    const notifyRules: aws.cloudwatch.EventRule[] = [];
    const notifyRuleNames = Object.keys(patterns).map((kind) => `${namePrefix}-${kind}`);
    for (const [kind, { pattern, what }] of Object.entries(patterns)) {
        const rule = new aws.cloudwatch.EventRule(
            `${namePrefix}-${kind}`,
            {
                name: `${namePrefix}-${kind}`,
                description: `${what} in any region the platform uses, to the operations topic`,
                eventPattern: JSON.stringify(pattern),
            },
            parent,
        );
        new aws.cloudwatch.EventTarget(
            `${namePrefix}-${kind}`,
            {
                rule: rule.name,
                arn: deps.operationsTopicArn,
                retryPolicy: { maximumEventAgeInSeconds: 24 * 3600, maximumRetryAttempts: 185 },
            },
            parent,
        );
        notifyRules.push(rule);
    }
    deps.operationsTopicPolicy.addStatement(
        pulumi
            .all([
                deps.operationsTopicPolicy.statementTopicArn,
                ...notifyRuleNames.map((rule) => arnFromName("events", config.region, accountId, `rule/${rule}`)),
            ])
            .apply(([topic, ...rules]): PolicyStatement => ({
                Sid: "EventBridgeGovernanceRules",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topic,
                Condition: { ArnEquals: { "aws:SourceArn": rules } },
            })),
    );

    return { trail, governanceBucket, configRole, recorders, detectors, forwarders, notifyRules };
}
