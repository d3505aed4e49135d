import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { publicStatements, unpinnedServiceStatements } from "../lib/documents";

/** Notification targets: a service principal on them must be pinned to the sending resource or account. */
const NOTIFICATION_TARGETS = new Set([
    "aws:sns/topic:Topic",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sqs/queue:Queue",
    "aws:sqs/queuePolicy:QueuePolicy",
]);

/** Resource types with a resource-based policy, the input holding it, and the AWS control for that service. */
const DOCUMENTS: { type: string; input: string; what: string; control: string }[] = [
    {
        type: "aws:s3/bucketPolicy:BucketPolicy",
        input: "policy",
        what: "bucket policy",
        control: "AWS Config s3-bucket-public-read-prohibited / s3-bucket-public-write-prohibited",
    },
    {
        type: "aws:s3/bucket:Bucket",
        input: "policy",
        what: "bucket policy",
        control: "AWS Config s3-bucket-public-read-prohibited / s3-bucket-public-write-prohibited",
    },
    { type: "aws:kms/key:Key", input: "policy", what: "key policy", control: "AWS Config kms-key-policy-no-public-access" },
    { type: "aws:kms/replicaKey:ReplicaKey", input: "policy", what: "key policy", control: "AWS Config kms-key-policy-no-public-access" },
    { type: "aws:kms/keyPolicy:KeyPolicy", input: "policy", what: "key policy", control: "AWS Config kms-key-policy-no-public-access" },
    { type: "aws:sns/topic:Topic", input: "policy", what: "topic policy", control: "platform rule" },
    { type: "aws:sns/topicPolicy:TopicPolicy", input: "policy", what: "topic policy", control: "platform rule" },
    { type: "aws:sqs/queue:Queue", input: "policy", what: "queue policy", control: "platform rule" },
    { type: "aws:sqs/queuePolicy:QueuePolicy", input: "policy", what: "queue policy", control: "platform rule" },
    { type: "aws:secretsmanager/secret:Secret", input: "policy", what: "secret policy", control: "platform rule" },
    { type: "aws:secretsmanager/secretPolicy:SecretPolicy", input: "policy", what: "secret policy", control: "platform rule" },
    { type: "aws:ecr/repositoryPolicy:RepositoryPolicy", input: "policy", what: "repository policy", control: "platform rule" },
    { type: "aws:ecr/registryPolicy:RegistryPolicy", input: "policy", what: "registry policy", control: "platform rule" },
    { type: "aws:cloudwatch/eventBusPolicy:EventBusPolicy", input: "policy", what: "event bus policy", control: "platform rule" },
    {
        type: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
        input: "policyDocument",
        what: "log resource policy",
        control: "platform rule",
    },
    { type: "aws:opensearch/domain:Domain", input: "accessPolicies", what: "domain access policy", control: "platform rule" },
    { type: "aws:opensearch/domainPolicy:DomainPolicy", input: "accessPolicies", what: "domain access policy", control: "platform rule" },
    // Resource policies of the other data stores a team may add, and of S3 access points and Glacier vaults.
    { type: "aws:efs/fileSystemPolicy:FileSystemPolicy", input: "policy", what: "file system policy", control: "platform rule" },
    { type: "aws:backup/vaultPolicy:VaultPolicy", input: "policy", what: "backup vault policy", control: "platform rule" },
    { type: "aws:dynamodb/resourcePolicy:ResourcePolicy", input: "policy", what: "table resource policy", control: "platform rule" },
    { type: "aws:kinesis/resourcePolicy:ResourcePolicy", input: "policy", what: "stream resource policy", control: "platform rule" },
    { type: "aws:msk/clusterPolicy:ClusterPolicy", input: "policy", what: "cluster policy", control: "platform rule" },
    {
        type: "aws:redshiftserverless/resourcePolicy:ResourcePolicy",
        input: "policy",
        what: "snapshot resource policy",
        control: "platform rule",
    },
    { type: "aws:s3/accessPoint:AccessPoint", input: "policy", what: "access point policy", control: "platform rule" },
    { type: "aws:s3control/accessPointPolicy:AccessPointPolicy", input: "policy", what: "access point policy", control: "platform rule" },
    { type: "aws:glacier/vault:Vault", input: "accessPolicy", what: "vault access policy", control: "platform rule" },
];

function validation(d: (typeof DOCUMENTS)[number]): ResourceValidation {
    const fn: ResourceValidation = (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== d.type) return;
        // A document not known yet makes the read throw, and the analyzer reports that it could not judge it.
        const doc = (args.props as Record<string, unknown>)[d.input];
        if (doc === undefined || doc === null || doc === "") return;
        for (const f of publicStatements(doc)) report(`${d.what}: ${f} [${d.control}].`);
        if (NOTIFICATION_TARGETS.has(d.type)) for (const f of unpinnedServiceStatements(doc)) report(`${d.what}: ${f} [platform rule].`);
        // Secrets Manager refuses a public policy only when told to check (block_public_policy).
        if (
            d.type === "aws:secretsmanager/secretPolicy:SecretPolicy" &&
            (args.props as Record<string, unknown>).blockPublicPolicy === false
        ) {
            report("blockPublicPolicy is false: Secrets Manager will accept a policy that makes the secret public [platform rule].");
        }
    };
    (fn as { __pulumiType?: string }).__pulumiType = d.type;
    return fn;
}

/**
 * Resource-based policies (S3 buckets and access points, KMS, SNS, SQS, Secrets Manager, ECR, EventBridge, CloudWatch
 * Logs, OpenSearch, EFS, Backup, DynamoDB, Kinesis, MSK, Redshift Serverless, Glacier) must
 * not let anyone act on the resource: an Allow to `*` (or with NotPrincipal) needs a condition that pins the caller
 * to an account, organisation, source ARN, VPC or VPC endpoint with fixed values. On SNS topics and SQS queues, which
 * S3, EventBridge, CloudWatch and SNS deliver to for any customer, a service principal needs such a condition too.
 * Deny statements are not judged.
 * Lambda permissions are lambda-not-public's; role trust policies iam-role-trust-restricted's.
 */
export const resourcePolicyNotPublic: PackResourcePolicy = {
    kind: "resource",
    id: "resource-policy-not-public",
    description:
        "Resource-based policies (S3 and its access points, KMS, SNS, SQS, Secrets Manager, ECR, EventBridge, Logs, OpenSearch, EFS, Backup, DynamoDB, Kinesis, MSK, Redshift Serverless, Glacier) must not allow any principal without a condition pinning the caller.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited", "kms-key-policy-no-public-access"],
        pciDss: ["1.4.4", "7.2.1"],
        // S3.2/S3.3 read the bucket policy and the ACL: this policy judges the bucket policy, s3-bucket-acl-not-public the ACL.
        // Secrets Manager, ECR, EventBridge, CloudWatch Logs and OpenSearch resource policies have no FSBP control.
        securityHub: [
            "S3.2", // S3 general purpose buckets should block public read access
            "S3.3", // S3 general purpose buckets should block public write access
            "SNS.4", // SNS topic access policies should not allow public access
            "SQS.3", // SQS queue access policies should not allow public access
            "KMS.5", // KMS keys should not be publicly accessible
        ],
    },
    remediation:
        'Name the principals (account roots, roles or service principals), or keep Principal "*" only with a condition on aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID or aws:SourceVpce with fixed values.',
    validateResource: DOCUMENTS.map(validation),
};
