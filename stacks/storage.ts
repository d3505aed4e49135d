// Data tier, buckets: assets, invoices, compliance archive, data lake, logs, and the optional cross-region replica of
// the assets. Declared before the ingress tier, which serves the assets and writes its logs here.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/aws";
import { keyStatement, policyDocument, PolicyStatement, serviceTrustPolicy } from "../components/iam";
import { SecureBucket } from "../components/secureBucket";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { PlatformContext, sealedBucket } from "./context";

export interface Storage {
    logs: SecureBucket;
    assets: SecureBucket;
    invoices: SecureBucket;
    archive: SecureBucket;
    dataLake: SecureBucket;
    replica?: { region: string; bucket: SecureBucket; logs: SecureBucket };
    /** Every bucket of the tier (each registered on the context for sealing as it is declared). */
    all: SecureBucket[];
}

// Regions opened from August 2022 deliver ALB logs as a service principal; older ones as a regional ELB account.
const ELB_SERVICE_PRINCIPAL_REGIONS = new Set([
    "ap-south-2",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "mx-central-1",
    "ap-east-2",
    "ap-southeast-6",
]);

/** Lets S3 server access logging of this account's buckets write under `s3-access/` of a logs bucket. */
function acceptServerAccessLogs(logs: SecureBucket, accountId: pulumi.Input<string>): void {
    logs.addPolicyStatement(
        pulumi.all([logs.arn, accountId]).apply(([arn, account]): PolicyStatement => ({
            Sid: "S3ServerAccessLogs",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${arn}/s3-access/*`,
            Condition: { StringEquals: { "aws:SourceAccount": account } },
        })),
    );
}

const DAY = 1;
const ABORT_MULTIPART = { daysAfterInitiation: 7 * DAY };

/** Noncurrent versions expire after `noncurrentDays`; incomplete multipart uploads are aborted after a week. */
function expireNoncurrentVersions(id: string, noncurrentDays: number) {
    return {
        id,
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays },
        abortIncompleteMultipartUpload: ABORT_MULTIPART,
    };
}

/** A logs bucket's one rule: objects expire after the retention, noncurrent versions after a day. */
function expireLogs(retentionDays: number) {
    return {
        id: "expire-logs",
        status: "Enabled",
        filter: {},
        expiration: { days: retentionDays },
        noncurrentVersionExpiration: { noncurrentDays: 1 },
        abortIncompleteMultipartUpload: ABORT_MULTIPART,
    };
}

/** Live catalogue objects stay in Standard (CloudFront cannot serve Glacier); objects tagged for archive age out. */
function archiveTaggedObjects() {
    return {
        id: "archive-tagged-objects",
        status: "Enabled",
        filter: { tag: { key: "lifecycle", value: "archive" } },
        transitions: [
            { days: 180, storageClass: "STANDARD_IA" },
            { days: 730, storageClass: "GLACIER" },
        ],
        expiration: { days: 2555 },
    };
}

export function declareStorage(ctx: PlatformContext, tier: Tier, deps: { keys: StackKeys }): Storage {
    const { keys } = deps;
    const { config, accountId, namePrefix } = ctx;
    const name = (role: string) => pulumi.interpolate`${namePrefix}-${role}-${accountId}`;
    const parent = { parent: tier };
    const home = keys.home.arn;

    // AWS delivers S3 server access logs and ALB logs only to SSE-S3 buckets without Object Lock in the same region.
    const logs = sealedBucket(
        ctx,
        `${namePrefix}-logs`,
        {
            bucketName: name("logs"),
            encryption: "SSE-S3",
            lifecycleRules: [expireLogs(config.logRetentionDays)],
        },
        parent,
    );
    const accessLogs = (prefix: string) => ({ bucket: logs.bucket.id, prefix: `s3-access/${prefix}/` });
    acceptServerAccessLogs(logs, accountId);
    logs.addPolicyStatement(
        pulumi.all([logs.arn, accountId]).apply(([arn, account]): PolicyStatement => ({
            Sid: "AlbAccessLogsServicePrincipal",
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${arn}/alb/AWSLogs/${account}/*`,
        })),
    );
    if (!ELB_SERVICE_PRINCIPAL_REGIONS.has(config.region)) {
        const elbAccount = aws.elb.getServiceAccountOutput({}, parent);
        logs.addPolicyStatement(
            pulumi.all([logs.arn, accountId, elbAccount.arn]).apply(([arn, account, elb]): PolicyStatement => ({
                Sid: "AlbAccessLogsRegionalAccount",
                Effect: "Allow",
                Principal: { AWS: elb },
                Action: "s3:PutObject",
                Resource: `${arn}/alb/AWSLogs/${account}/*`,
            })),
        );
    }

    const assets = sealedBucket(
        ctx,
        `${namePrefix}-assets`,
        {
            bucketName: name("assets"),
            encryption: { kmsKeyArn: home },
            accessLogs: accessLogs("assets"),
            eventBridge: true, // the asset indexer reacts to new product images
            lifecycleRules: [archiveTaggedObjects(), expireNoncurrentVersions("expire-noncurrent-versions", 30)],
        },
        parent,
    );

    const invoices = sealedBucket(
        ctx,
        `${namePrefix}-invoices`,
        {
            bucketName: name("invoices"),
            encryption: { kmsKeyArn: home },
            accessLogs: accessLogs("invoices"),
            lifecycleRules: [expireNoncurrentVersions("expire-noncurrent-versions", 30)],
        },
        parent,
    );

    const { mode, retentionDays } = config.data.archive;
    const archive = sealedBucket(
        ctx,
        `${namePrefix}-archive`,
        {
            bucketName: name("compliance-archive"),
            encryption: { kmsKeyArn: home },
            accessLogs: accessLogs("compliance-archive"),
            objectLock: { mode, days: retentionDays },
            lifecycleRules: [
                {
                    id: "orders-to-glacier",
                    status: "Enabled",
                    filter: { prefix: "orders/" },
                    transitions: [{ days: 3 * 365, storageClass: "GLACIER" }],
                },
                expireNoncurrentVersions("expire-noncurrent-after-retention", retentionDays),
                { id: "remove-expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
            ],
        },
        parent,
    );

    const dataLake = sealedBucket(
        ctx,
        `${namePrefix}-data-lake`,
        {
            bucketName: name("data-lake"),
            encryption: { kmsKeyArn: home },
            accessLogs: accessLogs("data-lake"),
            eventBridge: true, // the crawler trigger reacts to new raw/ objects
            lifecycleRules: [
                {
                    id: "curated-intelligent-tiering",
                    status: "Enabled",
                    filter: { prefix: "curated/" },
                    transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
                },
                expireNoncurrentVersions("expire-noncurrent-versions", 30),
            ],
        },
        parent,
    );

    const all = [logs, assets, invoices, archive, dataLake];
    const replica = config.data.replicaRegion ? declareReplica(ctx, tier, keys, assets, config.data.replicaRegion) : undefined;
    if (replica) all.push(replica.bucket, replica.logs);
    return { logs, assets, invoices, archive, dataLake, replica, all };
}

/** Cross-region replication of the assets, re-encrypted with the replica region's key. */
function declareReplica(ctx: PlatformContext, tier: Tier, keys: StackKeys, source: SecureBucket, region: string) {
    const { accountId, namePrefix, config } = ctx;
    const parent = { parent: tier };
    const replicaKey = keys.forRegion(region);
    const replicaLogs = sealedBucket(
        ctx,
        `${namePrefix}-logs-${region}`,
        {
            region,
            bucketName: pulumi.interpolate`${namePrefix}-logs-${region}-${accountId}`,
            encryption: "SSE-S3",
            // The same rule as the home logs bucket's, incomplete multipart uploads aborted included.
            lifecycleRules: [expireLogs(config.logRetentionDays)],
        },
        parent,
    );
    acceptServerAccessLogs(replicaLogs, accountId);
    const bucket = sealedBucket(
        ctx,
        `${namePrefix}-assets-${region}`,
        {
            region,
            bucketName: pulumi.interpolate`${namePrefix}-assets-${region}-${accountId}`,
            encryption: { kmsKeyArn: replicaKey.arn },
            accessLogs: { bucket: replicaLogs.bucket.id, prefix: "s3-access/assets/" },
            lifecycleRules: [
                archiveTaggedObjects(),
                // The same rule as its source's, incomplete multipart uploads aborted included.
                expireNoncurrentVersions("expire-noncurrent-versions", 30),
            ],
        },
        parent,
    );

    const role = new aws.iam.Role(
        `${namePrefix}-assets-replication`,
        {
            description: "S3 replication of the assets bucket to its replica region",
            assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com", accountId),
        },
        parent,
    );
    new aws.iam.RolePolicy(
        `${namePrefix}-assets-replication`,
        {
            role: role.id,
            policy: policyDocument(
                pulumi.all([source.arn, bucket.arn]).apply(([src, dst]) =>
                    pulumi.all<PolicyStatement>([
                        {
                            Sid: "ReadReplicationConfig",
                            Effect: "Allow",
                            Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                            Resource: src,
                        },
                        {
                            Sid: "ReadSourceVersions",
                            Effect: "Allow",
                            Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                            Resource: `${src}/*`,
                        },
                        {
                            Sid: "WriteReplicas",
                            Effect: "Allow",
                            Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                            Resource: `${dst}/*`,
                        },
                        // With S3 Bucket Keys the encryption context is the bucket's ARN, without them the object's.
                        keyStatement(keys.home.grantRef, {
                            sid: "DecryptSourceThroughS3",
                            actions: "kms:Decrypt",
                            viaServices: ["s3"],
                            condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": [src, `${src}/*`] } },
                        }),
                        keyStatement(replicaKey.grantRef, {
                            sid: "EncryptReplicaThroughS3",
                            actions: ["kms:Encrypt", "kms:GenerateDataKey"],
                            viaServices: ["s3"],
                            condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": [dst, `${dst}/*`] } },
                        }),
                    ]),
                ),
            ),
        },
        parent,
    );
    new aws.s3.BucketReplicationConfig(
        `${namePrefix}-assets-replication`,
        {
            bucket: source.bucket.id,
            role: role.arn,
            rules: [
                {
                    id: "assets-to-replica",
                    status: "Enabled",
                    priority: 1,
                    filter: { prefix: "" },
                    deleteMarkerReplication: { status: "Enabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: {
                        bucket: bucket.arn,
                        storageClass: "STANDARD",
                        encryptionConfiguration: { replicaKmsKeyId: replicaKey.arn },
                    },
                },
            ],
        },
        { parent: tier, dependsOn: [source.versioning, bucket.versioning] },
    ); // both buckets versioned first
    return { region, bucket, logs: replicaLogs };
}
