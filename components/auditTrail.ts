import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { PolicyStatement } from "./iam";
import { SecureBucket } from "./secureBucket";
import { StackKeys } from "./stackKeys";

export interface AuditTrailArgs {
    /** Name of the trail; its ARN is built from it (referencing the trail's own ARN in its bucket policy is a cycle). */
    readonly trailName: string;
    /** Globally unique name of the trail's own bucket. */
    readonly bucketName: pulumi.Input<string>;
    /** Server access logs of the trail's bucket (the stack's logs bucket). */
    readonly accessLogs: { readonly bucket: pulumi.Input<string>; readonly prefix: string };
    /** Days log files are kept. */
    readonly retentionDays: number;
    /** The stack's keys: the home key encrypts the logs and gains CloudTrail's statements. */
    readonly keys: StackKeys;
    /** The home region (where the trail is created). */
    readonly homeRegion: string;
    readonly accountId: pulumi.Input<string>;
    readonly partition: pulumi.Input<string>;
}

/**
 * The account's multi-region CloudTrail trail: global service events, log-file validation, SSE-KMS under the home key,
 * its own bucket. CreateTrail checks the bucket policy and the key policy, both written only when the stack seals its
 * policies, so the trail depends on both explicitly (the key ARN alone orders it after the key, not its full policy).
 */
export class AuditTrail extends pulumi.ComponentResource {
    readonly bucket: SecureBucket;
    readonly trail: aws.cloudtrail.Trail;
    readonly trailArn: pulumi.Output<string>;

    constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:governance:AuditTrail", name, {}, opts);
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/.test(args.trailName))
            throw new pulumi.ResourceError(`trailName must be 3-128 letters, digits, . _ -, got ${JSON.stringify(args.trailName)}`, this);
        const { keys, homeRegion } = args;
        const homeKey = keys.forRegion(homeRegion);
        this.trailArn = pulumi.interpolate`arn:${args.partition}:cloudtrail:${homeRegion}:${args.accountId}:trail/${args.trailName}`;

        this.bucket = new SecureBucket(
            `${name}-store`,
            {
                bucketName: args.bucketName,
                encryption: { kmsKeyArn: homeKey.arn },
                accessLogs: args.accessLogs,
                lifecycleRules: [
                    {
                        id: "expire-trail-logs",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: args.retentionDays },
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            { parent: this },
        );
        this.bucket.addPolicyStatement(
            pulumi.all([this.bucket.arn, this.trailArn]).apply(([bucket, trail]): PolicyStatement => ({
                Sid: "CloudTrailAclCheck",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:GetBucketAcl",
                Resource: bucket,
                Condition: { StringEquals: { "aws:SourceArn": trail } },
            })),
        );
        this.bucket.addPolicyStatement(
            pulumi.all([this.bucket.arn, this.trailArn, args.accountId]).apply(([bucket, trail, account]): PolicyStatement => ({
                Sid: "CloudTrailWrite",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${bucket}/AWSLogs/${account}/*`,
                Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trail } },
            })),
        );
        keys.addStatement(
            homeRegion,
            pulumi.all([this.trailArn, args.accountId, args.partition]).apply(([trail, account, partition]): PolicyStatement => ({
                Sid: "CloudTrailEncryptLogs",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "kms:GenerateDataKey*",
                Resource: "*",
                Condition: {
                    StringEquals: { "aws:SourceArn": trail },
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${partition}:cloudtrail:*:${account}:trail/*` },
                },
            })),
        );
        keys.addStatement(
            homeRegion,
            this.trailArn.apply((trail): PolicyStatement => ({
                Sid: "CloudTrailDescribeKey",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "kms:DescribeKey",
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceArn": trail } },
            })),
        );

        this.trail = new aws.cloudtrail.Trail(
            `${name}-trail`,
            {
                name: args.trailName,
                s3BucketName: this.bucket.bucket.id,
                kmsKeyId: homeKey.arn,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
            },
            { parent: this, dependsOn: [this.bucket.policy, keys.policyFor(homeRegion)] },
        );
        this.registerOutputs({ trailArn: this.trailArn, bucketName: this.bucket.name });
    }
}
