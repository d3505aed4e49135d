import type { PolicyResource } from "@pulumi/policy";
import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";
import { StackKeys, keyPolicyAllowsService } from "../lib/keys";
import { UNKNOWN, asArray, type Inputs } from "../lib/util";

const QUEUE = "aws:sqs/queue:Queue";
const TOPIC = "aws:sns/topic:Topic";

interface Delivery {
    from: PolicyResource;
    service: string;
    label: string;
}

/**
 * Queues and topics that AWS services deliver to must be encrypted with a customer-managed key whose key policy lets
 * that service use it: with an AWS-managed key (alias/aws/sqs, alias/aws/sns) or a key policy that omits the service,
 * delivery fails silently. Sources: SNS subscriptions (sqs protocol) → sns.amazonaws.com; EventBridge targets →
 * events.amazonaws.com; CloudWatch metric and composite alarm actions → cloudwatch.amazonaws.com; S3 event
 * notifications → s3.amazonaws.com. Unencrypted queues/topics are the encryption policies' concern.
 */
export const messagingTargetCmk: PackStackPolicy = {
    kind: "stack",
    id: "messaging-target-cmk",
    description:
        "Queues and topics that receive from SNS, EventBridge, CloudWatch alarms or S3 must use a stack key whose policy admits that service.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: [],
        pciDss: ["3.6.1"],
        // No FSBP control checks key policies for delivering services.
        securityHub: [],
    },
    remediation:
        "Encrypt the queue/topic with the stack's key and add a key-policy statement allowing the delivering service principal kms:GenerateDataKey* and kms:Decrypt (with an aws:SourceAccount condition).",
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const keys = new StackKeys(graph);
        const deliveries = new Map<PolicyResource, Delivery[]>();
        const add = (targets: PolicyResource[], d: Delivery) =>
            targets.forEach((t) => deliveries.set(t, [...(deliveries.get(t) ?? []), d]));

        for (const s of graph.ofType("aws:sns/topicSubscription:TopicSubscription")) {
            if (read(s, (p) => p.protocol) !== "sqs") continue;
            add(
                graph.referenced(
                    s,
                    "endpoint",
                    read(s, (p) => p.endpoint),
                    [QUEUE],
                ),
                { from: s, service: "sns.amazonaws.com", label: `SNS subscription ${s.name}` },
            );
        }
        for (const t of graph.ofType("aws:cloudwatch/eventTarget:EventTarget")) {
            add(
                graph.referenced(
                    t,
                    "arn",
                    read(t, (p) => p.arn),
                    [QUEUE, TOPIC],
                ),
                { from: t, service: "events.amazonaws.com", label: `EventBridge target ${t.name}` },
            );
        }
        for (const a of graph.ofType("aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm")) {
            for (const prop of ["alarmActions", "okActions", "insufficientDataActions"]) {
                add(
                    graph.referenced(
                        a,
                        prop,
                        read(a, (p) => p[prop]),
                        [TOPIC],
                    ),
                    { from: a, service: "cloudwatch.amazonaws.com", label: `CloudWatch alarm ${a.name}` },
                );
            }
        }
        for (const n of graph.ofType("aws:s3/bucketNotification:BucketNotification")) {
            const queues = read(n, (p) => p.queues);
            const topics = read(n, (p) => p.topics);
            const qArns = queues === UNKNOWN ? UNKNOWN : asArray(queues as Inputs[]).map((q) => read({ props: q }, (p) => p.queueArn));
            const tArns = topics === UNKNOWN ? UNKNOWN : asArray(topics as Inputs[]).map((t) => read({ props: t }, (p) => p.topicArn));
            add(graph.referenced(n, "queues", qArns, [QUEUE]), {
                from: n,
                service: "s3.amazonaws.com",
                label: `S3 notification ${n.name}`,
            });
            add(graph.referenced(n, "topics", tArns, [TOPIC]), {
                from: n,
                service: "s3.amazonaws.com",
                label: `S3 notification ${n.name}`,
            });
        }
        if (deliveries.size === 0) args.notApplicable("no service in the stack delivers to a queue or topic of the stack");

        for (const [target, ds] of deliveries) {
            const m = keys.match(target, "kmsMasterKeyId", (p) => p.kmsMasterKeyId);
            if (m.kind === "deferred") continue;
            const kind = target.type === QUEUE ? "queue" : "topic";
            const sources = [...new Set(ds.map((d) => d.label))].join(", ");
            if (m.kind !== "declared") {
                const what =
                    m.kind === "absent"
                        ? read(target, (p) => p.sqsManagedSseEnabled) === true
                            ? "uses SQS-managed SSE, not a customer key"
                            : "has no customer-managed key"
                        : m.kind === "aws-managed"
                          ? `uses the AWS-managed key ${m.value}, whose policy no service can be added to`
                          : `uses key ${m.value}, which is not one of the stack's keys`;
                report(
                    `${kind} ${target.name} receives from ${sources} but ${what}; delivery fails without a customer key that admits the service.`,
                    target.urn,
                );
                continue;
            }
            const doc = keys.policyOf(m.key);
            if (doc === UNKNOWN) continue;
            const missing = [...new Set(ds.map((d) => d.service))].filter((svc) => !keyPolicyAllowsService(doc, svc));
            if (missing.length)
                report(
                    `${kind} ${target.name} is encrypted with ${m.key.name}, whose key policy does not let ${missing.join(", ")} use it (kms:GenerateDataKey* and kms:Decrypt); deliveries from ${sources} would fail silently.`,
                    target.urn,
                );
        }
    },
};
