// The pack's policy list and its translation to @pulumi/policy policies. Importing this module has no side effects
// beyond registering the catalogue for exemption checks: only index.ts constructs the PolicyPack (which starts the
// analyzer's gRPC server).
import type { Policies, ResourceValidation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PackPolicy } from "./lib/types";
import { EXEMPTIONS_POLICY_ID, setCatalog, wrapReport } from "./lib/exemptions";

import { policyExemptions } from "./policies/policy-exemptions";
import { s3BucketEncryption } from "./policies/s3-bucket-encryption";
import { rdsStorageEncrypted } from "./policies/rds-storage-encrypted";
import { elasticacheEncryption } from "./policies/elasticache-encryption";
import { sqsQueueEncryption } from "./policies/sqs-queue-encryption";
import { snsTopicEncryption } from "./policies/sns-topic-encryption";
import { kinesisStreamEncryption } from "./policies/kinesis-stream-encryption";
import { firehoseDeliveryStreamEncryption } from "./policies/firehose-delivery-stream-encryption";
import { dynamodbTableEncryption } from "./policies/dynamodb-table-encryption";
import { secretsmanagerSecretEncryption } from "./policies/secretsmanager-secret-encryption";
import { cloudwatchLogGroupEncryption } from "./policies/cloudwatch-log-group-encryption";
import { glueEncryption } from "./policies/glue-encryption";
import { athenaWorkgroupEncryption } from "./policies/athena-workgroup-encryption";
import { redshiftserverlessNamespaceEncryption } from "./policies/redshiftserverless-namespace-encryption";
import { ebsEncryption } from "./policies/ebs-encryption";
import { dataStoreCustomerManagedKey } from "./policies/data-store-customer-managed-key";
import { rdsNoPublicAccess } from "./policies/rds-no-public-access";
import { redshiftNotPublic } from "./policies/redshift-not-public";
import { dataStorePrivateSubnets } from "./policies/data-store-private-subnets";
import { ec2NoPublicAdminIngress } from "./policies/ec2-no-public-admin-ingress";
import { ec2Imdsv2Required } from "./policies/ec2-imdsv2-required";
import { s3BucketPublicAccessBlock } from "./policies/s3-bucket-public-access-block";
import { s3BucketTlsOnly } from "./policies/s3-bucket-tls-only";
import { cloudfrontViewerHttpsOnly } from "./policies/cloudfront-viewer-https-only";
import { cloudfrontViewerTls } from "./policies/cloudfront-viewer-tls";
import { cloudfrontOriginTls } from "./policies/cloudfront-origin-tls";
import { cloudfrontWafAttached } from "./policies/cloudfront-waf-attached";
import { albHttpsModernTls } from "./policies/alb-https-modern-tls";
import { albDropInvalidHeaders } from "./policies/alb-drop-invalid-headers";
import { ecsTaskNotPrivileged } from "./policies/ecs-task-not-privileged";
import { ecsTaskNoPlaintextSecrets } from "./policies/ecs-task-no-plaintext-secrets";
import { ecsServiceNoPublicIp } from "./policies/ecs-service-no-public-ip";
import { lambdaNotPublic } from "./policies/lambda-not-public";
import { kmsKeyRotation } from "./policies/kms-key-rotation";
import { iamNoWildcardAdmin } from "./policies/iam-no-wildcard-admin";
import { sqsQueueDeadLetter } from "./policies/sqs-queue-dead-letter";
import { messagingTargetCmk } from "./policies/messaging-target-cmk";
import { vpcFlowLogs } from "./policies/vpc-flow-logs";
import { cognitoUserPoolMfaPassword } from "./policies/cognito-user-pool-mfa-password";
import { cognitoThreatProtection } from "./policies/cognito-threat-protection";
import { requiredTags } from "./policies/required-tags";
import { monthlyBudget } from "./policies/monthly-budget";
import { resourcePolicyNotPublic } from "./policies/resource-policy-not-public";
import { s3BucketAclNotPublic } from "./policies/s3-bucket-acl-not-public";
import { snapshotNotPublic } from "./policies/snapshot-not-public";
import { iamRoleTrustRestricted } from "./policies/iam-role-trust-restricted";
import { dataStoreEncryption } from "./policies/data-store-encryption";
import { dataStoreNotPublic } from "./policies/data-store-not-public";
import { cloudtrailTrailSecure } from "./policies/cloudtrail-trail-secure";
import { apigatewayStageLoggingEncryption } from "./policies/apigateway-stage-logging-encryption";
import { apigatewayRestStageProtected } from "./policies/apigateway-rest-stage-protected";
import { apigatewayStageCacheEncrypted } from "./policies/apigateway-stage-cache-encrypted";
import { albListenerRuleHttpsOnly } from "./policies/alb-listener-rule-https-only";
import { lambdaNoPlaintextSecrets } from "./policies/lambda-no-plaintext-secrets";

export const PACK_NAME = "retail-platform";

/** Every policy, in evaluation order: the exemptions policy first, so its config is loaded before the others run. */
export const policies: readonly PackPolicy[] = [
    policyExemptions,
    // Encryption at rest (never suppressible).
    s3BucketEncryption,
    rdsStorageEncrypted,
    elasticacheEncryption,
    sqsQueueEncryption,
    snsTopicEncryption,
    kinesisStreamEncryption,
    firehoseDeliveryStreamEncryption,
    dynamodbTableEncryption,
    secretsmanagerSecretEncryption,
    cloudwatchLogGroupEncryption,
    glueEncryption,
    athenaWorkgroupEncryption,
    redshiftserverlessNamespaceEncryption,
    ebsEncryption,
    dataStoreEncryption,
    // The platform's key rule.
    dataStoreCustomerManagedKey,
    // No public databases (never suppressible).
    rdsNoPublicAccess,
    redshiftNotPublic,
    dataStorePrivateSubnets,
    dataStoreNotPublic,
    // No public exposure through resource policies, ACLs, sharing or trust (never suppressible).
    resourcePolicyNotPublic,
    s3BucketAclNotPublic,
    snapshotNotPublic,
    iamRoleTrustRestricted,
    // Restricted admin ports and IMDSv2 (never suppressible).
    ec2NoPublicAdminIngress,
    ec2Imdsv2Required,
    // Storage, edge, compute, identity, messaging, network hygiene.
    s3BucketPublicAccessBlock,
    s3BucketTlsOnly,
    cloudfrontViewerHttpsOnly,
    cloudfrontViewerTls,
    cloudfrontOriginTls,
    cloudfrontWafAttached,
    albHttpsModernTls,
    albListenerRuleHttpsOnly,
    albDropInvalidHeaders,
    ecsTaskNotPrivileged,
    ecsTaskNoPlaintextSecrets,
    lambdaNoPlaintextSecrets,
    ecsServiceNoPublicIp,
    lambdaNotPublic,
    kmsKeyRotation,
    iamNoWildcardAdmin,
    sqsQueueDeadLetter,
    messagingTargetCmk,
    vpcFlowLogs,
    cognitoUserPoolMfaPassword,
    cognitoThreatProtection,
    cloudtrailTrailSecure,
    apigatewayStageLoggingEncryption,
    apigatewayStageCacheEncrypted,
    apigatewayRestStageProtected,
    requiredTags,
    // Cost.
    monthlyBudget,
];

setCatalog(policies);

export const NEVER_SUPPRESSIBLE_TAG = "never-suppressible";

function tagsOf(p: PackPolicy): string[] {
    return [
        ...(p.neverSuppressible ? [NEVER_SUPPRESSIBLE_TAG] : []),
        ...p.controls.awsConfig.map((r) => `aws-config:${r}`),
        ...p.controls.pciDss.map((r) => `pci-dss:${r}`),
        ...p.controls.securityHub.map((r) => `security-hub:${r}`),
    ];
}

function wrapResource(p: PackPolicy, v: ResourceValidation): ResourceValidation {
    const wrapped: ResourceValidation = (args, report) => v(args, wrapReport(p, report, args.urn));
    // Keep @pulumi/policy's fast type filter.
    const t = (v as { __pulumiType?: string }).__pulumiType;
    if (t) (wrapped as { __pulumiType?: string }).__pulumiType = t;
    return wrapped;
}

/**
 * One validation function for a policy's per-type validations. @pulumi/policy deserializes a resource's properties
 * once per validation function and calls every function of a list for every resource; dispatching on the type
 * here deserializes once and calls only the functions for that type. Each function still runs even when another
 * could not decide at preview; the first "unknown at preview" is reported after all have run.
 */
export function dispatch(vs: ResourceValidation[]): ResourceValidation {
    if (vs.length === 1) return vs[0];
    const byType = new Map<string, ResourceValidation[]>();
    const untyped: ResourceValidation[] = [];
    for (const v of vs) {
        const t = (v as { __pulumiType?: string }).__pulumiType;
        if (!t) untyped.push(v);
        else byType.set(t, [...(byType.get(t) ?? []), v]);
    }
    const types = [...byType.keys()];
    const fn: ResourceValidation = async (args, report) => {
        const list = [...(byType.get(args.type) ?? []), ...untyped];
        if (list.length === 0) args.notApplicable(`Policy only applies to resources of types ${types.join(", ")}`);
        let unknown: unknown;
        let notApplicable: unknown;
        let ran = 0;
        for (const v of list) {
            try {
                await v(args, report);
                ran++;
            } catch (e) {
                const name = (e as Error)?.constructor?.name;
                if (name === "UnknownValueError") unknown ??= e;
                else if (name === "NotApplicableError") notApplicable ??= e;
                else throw e;
            }
        }
        if (unknown) throw unknown;
        if (notApplicable && ran === 0) throw notApplicable;
    };
    if (untyped.length === 0 && types.length === 1) (fn as { __pulumiType?: string }).__pulumiType = types[0];
    return fn;
}

/** One pack policy as @pulumi/policy expects it, with exemptions applied to its violations. */
export function toPulumiPolicy(p: PackPolicy): ResourceValidationPolicy | StackValidationPolicy {
    const base = {
        name: p.id,
        description: p.description,
        enforcementLevel: p.enforcementLevel,
        severity: p.severity,
        configSchema: p.configSchema,
        remediationSteps: p.remediation,
        tags: tagsOf(p),
        ...(p.controls.pciDss.length
            ? {
                  framework: {
                      name: "pcidss",
                      version: "4.0",
                      reference: p.controls.pciDss.join(", "),
                      specification: p.controls.pciDss.map((r) => `PCI DSS v4.0 requirement ${r}`).join("; "),
                  },
              }
            : {}),
    };
    if (p.id === EXEMPTIONS_POLICY_ID) {
        // Reports its own findings with their own levels; nothing to exempt.
        return p.kind === "stack"
            ? ({ ...base, validateStack: p.validateStack, validateResource: p.validateResource } as StackValidationPolicy)
            : { ...base, validateResource: p.validateResource };
    }
    if (p.kind === "resource") {
        const vs = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
        const wrapped = vs.map((v) => wrapResource(p, v));
        return { ...base, validateResource: dispatch(wrapped) };
    }
    return { ...base, validateStack: (args, report) => p.validateStack(args, wrapReport(p, report, "")) };
}

export function pulumiPolicies(): Policies {
    return policies.map(toPulumiPolicy);
}
