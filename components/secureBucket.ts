import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { bucketArnFromName, policyDocument, PolicyStatement } from "./iam";

type LifecycleRule = aws.types.input.s3.BucketLifecycleConfigurationRule;

export interface SecureBucketArgs {
    /** Globally unique physical name. */
    readonly bucketName: pulumi.Input<string>;
    /** SSE-KMS with bucket keys under this key, or SSE-S3 (log-delivery targets: AWS delivers logs only there). */
    readonly encryption: { readonly kmsKeyArn: pulumi.Input<string> } | "SSE-S3";
    /** Server access logs target (the logs bucket); omitted only by the logs bucket itself. */
    readonly accessLogs?: { readonly bucket: pulumi.Input<string>; readonly prefix: string };
    /** The bucket's own lifecycle rules; tiers add theirs with addLifecycleRule. Applied once versioning is in place. */
    readonly lifecycleRules?: pulumi.Input<LifecycleRule>[];
    /** Send object events to the account's default EventBridge bus. */
    readonly eventBridge?: boolean;
    /** S3 Object Lock default retention; can only be enabled when the bucket is created. */
    readonly objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly days: number };
    /** Region for a bucket outside the home region (v7 per-resource region). */
    readonly region?: string;
}

/**
 * A private, versioned, encrypted bucket with all four public-access blocks, bucket-owner-enforced ownership
 * (no ACLs), access logging, and exactly one bucket policy — a TLS-only deny plus the statements other tiers
 * contribute through {@link addPolicyStatement}, written by {@link seal} once every tier is declared.
 */
export class SecureBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly versioning: aws.s3.BucketVersioning;
    readonly arn: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;
    /**
     * The bucket's one policy, once {@link seal} has written it: a resource may depend on it before it exists (ELB
     * checks the logs bucket's policy when access logging is turned on).
     */
    readonly policy: Promise<aws.s3.BucketPolicy>;
    private resolvePolicy!: (policy: aws.s3.BucketPolicy) => void;
    private readonly statements: pulumi.Input<PolicyStatement>[] = [];
    private readonly lifecycleRules: pulumi.Input<LifecycleRule>[] = [];
    private sealed = false;

    constructor(
        private readonly resourceName: string,
        private readonly args: SecureBucketArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        // Used by more than one tier, so the token names none; the alias on the old token keeps every URN deployed
        // under it (children inherit their parent's aliases), so nothing is replaced.
        super(
            "retail:shared:SecureBucket",
            resourceName,
            {},
            {
                ...opts,
                aliases: [{ type: "retail:data:SecureBucket" }, ...(opts?.aliases ?? [])],
            },
        );
        this.policy = new Promise((resolve) => {
            this.resolvePolicy = resolve;
        });
        if (args.objectLock && (!Number.isInteger(args.objectLock.days) || args.objectLock.days < 1)) {
            throw new pulumi.ResourceError(`objectLock.days must be a positive whole number of days, got ${args.objectLock.days}`, this);
        }
        const parent = { parent: this };
        const region = args.region ? { region: args.region } : {};
        this.bucket = new aws.s3.Bucket(
            `${resourceName}-bucket`,
            {
                ...region,
                bucket: args.bucketName,
                objectLockEnabled: args.objectLock ? true : undefined,
                forceDestroy: false,
            },
            parent,
        );
        // From the name, not the `arn` output: known on a stack's first preview, so documents naming the bucket are too.
        this.arn = bucketArnFromName(this.bucket.bucket);
        this.name = this.bucket.bucket;
        const bucket = this.bucket.id;

        new aws.s3.BucketOwnershipControls(
            `${resourceName}-ownership`,
            { ...region, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
            parent,
        );
        new aws.s3.BucketPublicAccessBlock(
            `${resourceName}-public-access`,
            {
                ...region,
                bucket,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            parent,
        );
        this.versioning = new aws.s3.BucketVersioning(
            `${resourceName}-versioning`,
            { ...region, bucket, versioningConfiguration: { status: "Enabled" } },
            parent,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${resourceName}-encryption`,
            {
                ...region,
                bucket,
                rules: [
                    args.encryption === "SSE-S3"
                        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                        : {
                              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.encryption.kmsKeyArn },
                              bucketKeyEnabled: true,
                          },
                ],
            },
            parent,
        );
        if (args.accessLogs) {
            new aws.s3.BucketLogging(
                `${resourceName}-logging`,
                {
                    ...region,
                    bucket,
                    targetBucket: args.accessLogs.bucket,
                    targetPrefix: args.accessLogs.prefix,
                    targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
                },
                parent,
            );
        }
        if (args.objectLock) {
            new aws.s3.BucketObjectLockConfiguration(
                `${resourceName}-object-lock`,
                {
                    ...region,
                    bucket,
                    objectLockEnabled: "Enabled",
                    rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } },
                },
                { parent: this, dependsOn: [this.versioning] },
            );
        }
        this.lifecycleRules.push(...(args.lifecycleRules ?? []));
        if (args.eventBridge) {
            new aws.s3.BucketNotification(`${resourceName}-notifications`, { ...region, bucket, eventbridge: true }, parent);
        }
        this.statements.push(
            this.arn.apply((arn): PolicyStatement => ({
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            })),
        );
    }

    /** Adds a statement to the bucket's one policy (before {@link seal}). */
    addPolicyStatement(statement: pulumi.Input<PolicyStatement>): void {
        if (this.sealed) throw new pulumi.ResourceError("a bucket policy statement was added after the bucket policy was written", this);
        this.statements.push(statement);
    }

    /**
     * Adds a rule to the bucket's one lifecycle configuration (before {@link seal}): a bucket has exactly one, so a
     * second BucketLifecycleConfiguration would replace the first on every update.
     */
    addLifecycleRule(rule: LifecycleRule): void {
        if (this.sealed) throw new pulumi.ResourceError("a lifecycle rule was added after the lifecycle configuration was written", this);
        if (this.lifecycleRules.some((r) => (r as LifecycleRule).id === rule.id)) {
            throw new pulumi.ResourceError(`lifecycle rule id ${JSON.stringify(rule.id)} is already used on this bucket`, this);
        }
        this.lifecycleRules.push(rule);
    }

    /** Writes the bucket's single policy and single lifecycle configuration. Called once, after every tier has contributed. */
    seal(): void {
        if (this.sealed) return;
        this.sealed = true;
        const region = this.args.region ? { region: this.args.region } : {};
        if (this.lifecycleRules.length > 0) {
            // Rules on noncurrent versions mean nothing until versioning is on.
            new aws.s3.BucketLifecycleConfiguration(
                `${this.resourceName}-lifecycle`,
                { ...region, bucket: this.bucket.id, rules: this.lifecycleRules },
                { parent: this, dependsOn: [this.versioning] },
            );
        }
        this.resolvePolicy(
            new aws.s3.BucketPolicy(
                `${this.resourceName}-policy`,
                {
                    ...(this.args.region ? { region: this.args.region } : {}),
                    bucket: this.bucket.id,
                    policy: policyDocument(this.statements),
                },
                { parent: this },
            ),
        );
        this.registerOutputs({ bucketName: this.name, bucketArn: this.arn });
    }
}
