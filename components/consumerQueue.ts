import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { arnFromName, policyDocument, PolicyStatement } from "./iam";
import { throwArgumentErrors } from "./argumentErrors";

export interface ConsumerQueueArgs {
    /** The queue's region and account: with both, its policy names the queue by an ARN built from its name. */
    readonly location?: { readonly region: string; readonly accountId: pulumi.Input<string> };
    /** The stack's key: EventBridge and SNS may use it (see StackKeys), so delivery to the queue works. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Visibility timeout: at least six function timeouts plus the batching window. */
    readonly visibilityTimeoutSeconds: number;
    /** Receives before a message moves to the dead-letter queue (3-10). */
    readonly maxReceiveCount: number;
    /** Topic every alarm notifies. */
    readonly alarmTopicArn: pulumi.Input<string>;
    /** Alarm threshold for the age of the oldest source message (seconds). */
    readonly maxMessageAgeSeconds: number;
    /** FIFO queues (names end in .fifo; content-based deduplication stays off). */
    readonly fifo?: boolean;
    /** Fed by an EventBridge rule: add the rule target's own dead-letter queue for undeliverable events. */
    readonly deliveryDeadLetterQueue?: boolean;
}

const FOUR_DAYS = 4 * 24 * 3600;
const FOURTEEN_DAYS = 14 * 24 * 3600; // SQS's maximum; a DLQ's clock starts at the original send

/**
 * One consumer's queue with its redrive dead-letter queue, alarms on DLQ depth and on the oldest message's age
 * (a DLQ message is a lost order or reservation), and exactly one queue policy, admitting only
 * the sources named through {@link admit}.
 */
export class ConsumerQueue extends pulumi.ComponentResource {
    readonly queue: aws.sqs.Queue;
    readonly deadLetterQueue: aws.sqs.Queue;
    /** Where EventBridge puts events it could not deliver to {@link queue} (it drops them silently otherwise). */
    readonly deliveryDeadLetterQueue?: aws.sqs.Queue;

    private readonly location?: ConsumerQueueArgs["location"];

    constructor(
        private readonly name: string,
        args: ConsumerQueueArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        // Used by more than one tier, so the token names none; the alias on the old token keeps every URN deployed
        // under it (children inherit their parent's aliases), so nothing is replaced.
        super(
            "retail:shared:ConsumerQueue",
            name,
            {},
            {
                ...opts,
                aliases: [{ type: "retail:events:ConsumerQueue" }, ...(opts?.aliases ?? [])],
            },
        );
        this.location = args.location;
        const problems: string[] = [];
        if (!Number.isInteger(args.maxReceiveCount) || args.maxReceiveCount < 3 || args.maxReceiveCount > 10) {
            problems.push(`maxReceiveCount must be an integer from 3 to 10, got ${args.maxReceiveCount}`);
        }
        if (args.visibilityTimeoutSeconds < 0 || args.visibilityTimeoutSeconds > 43200) {
            problems.push(`visibilityTimeoutSeconds must be from 0 to 43200 (12 h), got ${args.visibilityTimeoutSeconds}`);
        }
        throwArgumentErrors(this, problems);
        const parent = { parent: this };
        const suffix = args.fifo ? ".fifo" : "";
        const fifo = args.fifo ? { fifoQueue: true, contentBasedDeduplication: false } : {};
        this.deadLetterQueue = new aws.sqs.Queue(
            `${name}-dlq`,
            {
                name: `${name}-dlq${suffix}`,
                ...fifo,
                messageRetentionSeconds: FOURTEEN_DAYS,
                kmsMasterKeyId: args.kmsKeyArn,
                kmsDataKeyReusePeriodSeconds: 300,
            },
            parent,
        );
        this.queue = new aws.sqs.Queue(
            `${name}-queue`,
            {
                name: `${name}${suffix}`,
                ...fifo,
                messageRetentionSeconds: FOUR_DAYS,
                visibilityTimeoutSeconds: args.visibilityTimeoutSeconds,
                receiveWaitTimeSeconds: 20,
                kmsMasterKeyId: args.kmsKeyArn,
                kmsDataKeyReusePeriodSeconds: 300,
                redrivePolicy: this.deadLetterQueue.arn.apply((arn) =>
                    JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: args.maxReceiveCount }),
                ),
            },
            parent,
        );

        if (args.deliveryDeadLetterQueue) {
            this.deliveryDeadLetterQueue = new aws.sqs.Queue(
                `${name}-delivery-dlq`,
                {
                    name: `${name}-delivery-dlq`,
                    messageRetentionSeconds: FOURTEEN_DAYS,
                    kmsMasterKeyId: args.kmsKeyArn,
                    kmsDataKeyReusePeriodSeconds: 300,
                },
                parent,
            );
        }
        const depthAlarm = (role: string, queue: aws.sqs.Queue, what: string) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-${role}-depth`,
                {
                    alarmDescription: `Messages in ${name}'s ${what}: each is a business event that was not processed`,
                    namespace: "AWS/SQS",
                    metricName: "ApproximateNumberOfMessagesVisible",
                    dimensions: { QueueName: queue.name },
                    statistic: "Maximum",
                    period: 60,
                    evaluationPeriods: 1,
                    threshold: 0,
                    comparisonOperator: "GreaterThanThreshold",
                    treatMissingData: "notBreaching",
                    alarmActions: [args.alarmTopicArn],
                    okActions: [args.alarmTopicArn],
                },
                parent,
            );
        depthAlarm("dlq", this.deadLetterQueue, `dead-letter queue (failed ${args.maxReceiveCount} times)`);
        if (this.deliveryDeadLetterQueue)
            depthAlarm("delivery-dlq", this.deliveryDeadLetterQueue, "delivery dead-letter queue (EventBridge could not deliver)");
        new aws.cloudwatch.MetricAlarm(
            `${name}-oldest-message`,
            {
                alarmDescription: `${name} is falling behind: its oldest message is older than ${args.maxMessageAgeSeconds} s`,
                namespace: "AWS/SQS",
                metricName: "ApproximateAgeOfOldestMessage",
                dimensions: { QueueName: this.queue.name },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 5,
                threshold: args.maxMessageAgeSeconds,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
                alarmActions: [args.alarmTopicArn],
                okActions: [args.alarmTopicArn],
            },
            parent,
        );
        this.registerOutputs({
            queueArn: this.queue.arn,
            queueUrl: this.queue.url,
            deadLetterQueueArn: this.deadLetterQueue.arn,
            deliveryDeadLetterQueueArn: this.deliveryDeadLetterQueue?.arn,
        });
    }

    /**
     * Writes the queue's one policy (and its delivery DLQ's): only these services, each only from its own source ARN,
     * may send.
     */
    admit(sources: { service: "events.amazonaws.com" | "sns.amazonaws.com"; sourceArn: pulumi.Input<string> }[]): void {
        this.writePolicy("policy", this.queue, sources);
        if (this.deliveryDeadLetterQueue)
            this.writePolicy(
                "delivery-dlq-policy",
                this.deliveryDeadLetterQueue,
                sources.filter((s) => s.service === "events.amazonaws.com"),
            );
    }

    private writePolicy(role: string, queue: aws.sqs.Queue, sources: { service: string; sourceArn: pulumi.Input<string> }[]): void {
        new aws.sqs.QueuePolicy(
            `${this.name}-${role}`,
            {
                queueUrl: queue.url,
                // Built from the queue's name when the location is given: known on a first preview, unlike queue.arn.
                policy: policyDocument(
                    pulumi
                        .all([
                            this.location ? arnFromName("sqs", this.location.region, this.location.accountId, queue.name) : queue.arn,
                            ...sources.map((s) => s.sourceArn),
                        ])
                        .apply(([queueArn, ...arns]) =>
                            sources.map((s, i): PolicyStatement => ({
                                Sid: `Allow${s.service.split(".")[0]}${i}`,
                                Effect: "Allow",
                                Principal: { Service: s.service },
                                Action: "sqs:SendMessage",
                                Resource: queueArn,
                                Condition: { ArnEquals: { "aws:SourceArn": arns[i] } },
                            })),
                        ),
                ),
            },
            { parent: this },
        );
    }
}
