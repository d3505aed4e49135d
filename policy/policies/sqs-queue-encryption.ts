import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { setOrUnknown } from "../lib/util";

export const sqsQueueEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "sqs-queue-encryption",
    description: "SQS queues must be encrypted at rest (a KMS key, or SQS-managed SSE explicitly enabled).",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: [],
        pciDss: ["3.5.1"],
        // SQS.1 passes SSE-SQS or SSE-KMS, as the policy does; the policy also requires the setting to be explicit.
        securityHub: [
            "SQS.1", // Amazon SQS queues should be encrypted at rest
        ],
    },
    remediation: "Set kmsMasterKeyId to the stack's key (required for queues that receive from SNS or EventBridge).",
    validateResource: validateResourceOfType(aws.sqs.Queue, (q, _args, report) => {
        if (setOrUnknown(() => q.kmsMasterKeyId)) return;
        if (q.sqsManagedSseEnabled === true) return;
        report(
            q.sqsManagedSseEnabled === false
                ? "sqsManagedSseEnabled is false and no kmsMasterKeyId is set: the queue is unencrypted."
                : "neither kmsMasterKeyId nor sqsManagedSseEnabled is set.",
        );
    }),
};
