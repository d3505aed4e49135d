import type { PolicyResource } from "@pulumi/policy";
import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";
import { UNKNOWN, parseJson, type Inputs } from "../lib/util";

const QUEUE = "aws:sqs/queue:Queue";
const REDRIVE = "aws:sqs/redrivePolicy:RedrivePolicy";
const REDRIVE_ALLOW = "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy";
/** Resources whose dead-letter settings point at a queue: [type, input, path to the queue ARN]. */
/** The `deadLetterTargetArn` of a redrive policy given as JSON text or an object. */
function deadLetterTarget(redrivePolicy: unknown): unknown {
    const parsed = parseJson(redrivePolicy);
    return parsed && typeof parsed === "object" ? (parsed as { deadLetterTargetArn?: unknown }).deadLetterTargetArn : undefined;
}

const DLQ_USERS: [string, string, (p: Inputs) => unknown][] = [
    ["aws:sns/topicSubscription:TopicSubscription", "redrivePolicy", (p) => deadLetterTarget(p.redrivePolicy)],
    ["aws:cloudwatch/eventTarget:EventTarget", "deadLetterConfig", (p) => p.deadLetterConfig?.arn],
    ["aws:lambda/function:Function", "deadLetterConfig", (p) => p.deadLetterConfig?.targetArn],
    [
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
        "destinationConfig",
        (p) => p.destinationConfig?.onFailure?.destination,
    ],
    ["aws:lambda/eventSourceMapping:EventSourceMapping", "destinationConfig", (p) => p.destinationConfig?.onFailure?.destinationArn],
    [
        "aws:pipes/pipe:Pipe",
        "sourceParameters",
        (p) =>
            p.sourceParameters?.dynamodbStreamParameters?.deadLetterConfig?.arn ??
            p.sourceParameters?.kinesisStreamParameters?.deadLetterConfig?.arn,
    ],
];

/**
 * Every queue has a dead-letter queue (inline redrivePolicy or an aws.sqs.RedrivePolicy resource), except queues
 * that are themselves dead-letter targets: of another queue, an SNS subscription, an EventBridge target, a Lambda
 * function or event source, or queues that declare a redrive-allow policy.
 */
export const sqsQueueDeadLetter: PackStackPolicy = {
    kind: "stack",
    id: "sqs-queue-dead-letter",
    description: "SQS queues must have a dead-letter queue, unless they are a dead-letter queue themselves.",
    severity: "medium",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: [],
        pciDss: ["10.7.2"],
        // No FSBP control checks dead-letter queues.
        securityHub: [],
    },
    remediation:
        "Set redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) on the queue (or declare an aws.sqs.RedrivePolicy).",
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const queues = graph.ofType(QUEUE);
        if (queues.length === 0) args.notApplicable("the stack declares no SQS queues");
        const dlqs = new Set<PolicyResource>();
        const hasRedrive = new Set<PolicyResource>();
        const mark = (r: PolicyResource, prop: string, arn: unknown) => graph.referenced(r, prop, arn, [QUEUE]).forEach((q) => dlqs.add(q));

        for (const q of queues) {
            const rp = read(q, (p) => p.redrivePolicy);
            if (rp === UNKNOWN) {
                hasRedrive.add(q);
                mark(q, "redrivePolicy", UNKNOWN);
            } else if (rp) {
                hasRedrive.add(q);
                mark(q, "redrivePolicy", deadLetterTarget(rp));
            }
            if (read(q, (p) => p.redriveAllowPolicy)) dlqs.add(q);
        }
        for (const r of graph.ofType(REDRIVE)) {
            const target = graph.referenced(
                r,
                "queueUrl",
                read(r, (p) => p.queueUrl),
                [QUEUE],
            );
            target.forEach((q) => hasRedrive.add(q));
            const rp = read(r, (p) => p.redrivePolicy);
            mark(r, "redrivePolicy", rp === UNKNOWN ? UNKNOWN : deadLetterTarget(rp));
        }
        for (const r of graph.ofType(REDRIVE_ALLOW))
            graph
                .referenced(
                    r,
                    "queueUrl",
                    read(r, (p) => p.queueUrl),
                    [QUEUE],
                )
                .forEach((q) => dlqs.add(q));
        for (const [type, prop, get] of DLQ_USERS) for (const r of graph.ofType(type)) mark(r, prop, read(r, get));

        for (const q of queues) {
            if (hasRedrive.has(q) || dlqs.has(q)) continue;
            report(`queue ${q.name} has no dead-letter queue (redrivePolicy); failed messages are retried until they expire.`, q.urn);
        }
    },
};
