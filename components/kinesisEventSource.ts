import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { KeyGrantRef, keyStatement, policyDocument, PolicyStatement } from "./iam";
import { throwArgumentErrors } from "./argumentErrors";

export interface KinesisEventSourceArgs {
    /** The consuming function (its ARN) and its execution role (which Lambda uses to read and to write failures). */
    readonly functionArn: pulumi.Input<string>;
    readonly roleId: pulumi.Input<string>;
    /** The stream, and the key that encrypts it (decrypted through Kinesis only). */
    readonly streamArn: pulumi.Input<string>;
    readonly streamKey: KeyGrantRef;
    /** Enhanced fan-out: a stream consumer of its own (dedicated 2 MB/s per shard), read with SubscribeToShard. */
    readonly enhancedFanOut: boolean;
    /** Where a new mapping starts reading (LATEST or TRIM_HORIZON; AT_TIMESTAMP is not used). */
    readonly startingPosition: "LATEST" | "TRIM_HORIZON";
    /** Records per batch (1-10000). */
    readonly batchSize: number;
    /** Seconds to gather records (0-300). */
    readonly maximumBatchingWindowSeconds: number;
    /** Concurrent batches per shard (1-10); must be 1 with a tumbling window (Lambda's rule). */
    readonly parallelizationFactor: number;
    /** Tumbling window in seconds (1-900), for aggregating handlers; absent otherwise. */
    readonly tumblingWindowSeconds?: number;
    /** Retries of a failing batch (0-10000): bounded, so a poison batch never blocks its shard. */
    readonly maximumRetryAttempts: number;
    /** Records older than this are sent to the on-failure destination (60-604800 s): bounded. */
    readonly maximumRecordAgeSeconds: number;
    /** The quarantine bucket that receives failed batches with their payload, and its key (used through S3). */
    readonly onFailureBucketArn: pulumi.Input<string>;
    readonly onFailureKey: KeyGrantRef;
    /** Home region and account, for kms:ViaService and s3:ResourceAccount. */
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
}

/** Kinesis read actions on the stream for a standard (polling) consumer. */
export const KINESIS_READ_ACTIONS = [
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
    "kinesis:ListStreams",
];

/** Every problem with the mapping's settings against Lambda's limits for Kinesis sources (empty when valid). */
export function kinesisEventSourceProblems(
    args: Pick<
        KinesisEventSourceArgs,
        | "batchSize"
        | "maximumBatchingWindowSeconds"
        | "parallelizationFactor"
        | "maximumRetryAttempts"
        | "maximumRecordAgeSeconds"
        | "tumblingWindowSeconds"
    >,
): string[] {
    const problems: string[] = [];
    const between = (field: string, value: number, min: number, max: number) => {
        if (!Number.isInteger(value) || value < min || value > max)
            problems.push(`${field} must be an integer from ${min} to ${max}, got ${value}`);
    };
    between("batchSize", args.batchSize, 1, 10000);
    between("maximumBatchingWindowSeconds", args.maximumBatchingWindowSeconds, 0, 300);
    between("parallelizationFactor", args.parallelizationFactor, 1, 10);
    between("maximumRetryAttempts", args.maximumRetryAttempts, 0, 10000);
    between("maximumRecordAgeSeconds", args.maximumRecordAgeSeconds, 60, 604800);
    if (args.tumblingWindowSeconds !== undefined) {
        between("tumblingWindowSeconds", args.tumblingWindowSeconds, 1, 900);
        if (args.parallelizationFactor !== 1)
            problems.push(`parallelizationFactor must be 1 with a tumbling window, got ${args.parallelizationFactor}`);
    }
    return problems;
}

/**
 * A Lambda function reading a Kinesis stream: the event source mapping (no `scalingConfig`, which is SQS-only),
 * partial batch responses, bisection of failing batches, bounded retries and record age, and an S3 on-failure
 * destination that keeps the failed batch (SQS/SNS destinations carry only shard and sequence metadata). Also grants
 * the function's role what Lambda needs to read the stream (or its enhanced fan-out consumer) and to write failures.
 */
export class KinesisEventSource extends pulumi.ComponentResource {
    readonly mapping: aws.lambda.EventSourceMapping;
    readonly consumer?: aws.kinesis.StreamConsumer;

    constructor(name: string, args: KinesisEventSourceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:clickstream:KinesisEventSource", name, {}, opts);
        const problems = kinesisEventSourceProblems(args);
        throwArgumentErrors(this, problems);
        const parent = { parent: this };

        if (args.enhancedFanOut) {
            this.consumer = new aws.kinesis.StreamConsumer(`${name}-consumer`, { name, streamArn: args.streamArn }, parent);
        }
        const consumerArn = this.consumer?.arn;
        const consumerName = args.enhancedFanOut ? name : undefined;
        const statements = pulumi.all([args.streamArn, args.onFailureBucketArn, args.accountId]).apply(([stream, bucket, account]) =>
            pulumi.all<PolicyStatement>([
                { Sid: "ReadStream", Effect: "Allow", Action: KINESIS_READ_ACTIONS, Resource: stream },
                ...(consumerName
                    ? [
                          {
                              Sid: "ReadFanOutConsumer",
                              Effect: "Allow",
                              Action: ["kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"],
                              // A consumer's ARN ends with its creation timestamp, which AWS assigns: the rest is known.
                              Resource: `${stream}/consumer/${consumerName}:*`,
                          } satisfies PolicyStatement,
                      ]
                    : []),
                keyStatement(args.streamKey, { sid: "DecryptStream", actions: "kms:Decrypt", viaServices: ["kinesis"] }),
                // Lambda writes a failed batch as aws/lambda/<mapping uuid>/<shard>/<date>/… with the function's role.
                {
                    Sid: "QuarantineList",
                    Effect: "Allow",
                    Action: "s3:ListBucket",
                    Resource: bucket,
                    Condition: { StringEquals: { "s3:ResourceAccount": account } },
                },
                {
                    Sid: "QuarantinePut",
                    Effect: "Allow",
                    Action: "s3:PutObject",
                    Resource: `${bucket}/aws/lambda/*`,
                    Condition: { StringEquals: { "s3:ResourceAccount": account } },
                },
                keyStatement(args.onFailureKey, {
                    sid: "QuarantineKey",
                    actions: ["kms:GenerateDataKey", "kms:Decrypt"],
                    viaServices: ["s3"],
                }),
            ]),
        );
        const policy = new aws.iam.RolePolicy(`${name}-read`, { role: args.roleId, policy: policyDocument(statements) }, parent);

        this.mapping = new aws.lambda.EventSourceMapping(
            `${name}-mapping`,
            {
                eventSourceArn: consumerArn ?? args.streamArn,
                functionName: args.functionArn,
                startingPosition: args.startingPosition,
                batchSize: args.batchSize,
                maximumBatchingWindowInSeconds: args.maximumBatchingWindowSeconds,
                parallelizationFactor: args.parallelizationFactor,
                tumblingWindowInSeconds: args.tumblingWindowSeconds,
                functionResponseTypes: ["ReportBatchItemFailures"],
                bisectBatchOnFunctionError: true,
                maximumRetryAttempts: args.maximumRetryAttempts,
                maximumRecordAgeInSeconds: args.maximumRecordAgeSeconds,
                destinationConfig: { onFailure: { destinationArn: args.onFailureBucketArn } },
            },
            { parent: this, dependsOn: [policy] },
        ); // Lambda checks the role's access to the stream when the mapping is created
        this.registerOutputs({ mappingUuid: this.mapping.uuid });
    }
}
