import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { setOrUnknown } from "../lib/util";

/**
 * Direct-PUT Firehose streams must enable server-side encryption. A stream reading from a Kinesis stream or MSK
 * cannot enable its own SSE: it is protected by its source's encryption, which the source's policy judges.
 */
export const firehoseDeliveryStreamEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "firehose-delivery-stream-encryption",
    description: "Firehose delivery streams that accept direct PUTs must enable server-side encryption.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: [],
        pciDss: ["3.5.1"],
        // Streams fed by a Kinesis stream or MSK cannot enable SSE (their source holds the data); the policy leaves them to the
        // source, while DataFirehose.1 reports them too.
        securityHub: [
            "DataFirehose.1", // Firehose delivery streams should be encrypted at rest
        ],
    },
    remediation: 'Set serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: the stack\'s key }.',
    validateResource: validateResourceOfType(aws.kinesis.FirehoseDeliveryStream, (f, args, report) => {
        if (f.kinesisSourceConfiguration || f.mskSourceConfiguration) {
            args.notApplicable("a stream with a Kinesis or MSK source is encrypted by its source");
        }
        const sse = f.serverSideEncryption;
        if (!sse || sse.enabled !== true) {
            report("serverSideEncryption.enabled is not true; records are buffered unencrypted.");
            return;
        }
        // A key ARN not known yet (a key created in the same update) is set: judged like the update will.
        if (sse.keyType === "CUSTOMER_MANAGED_CMK" && !setOrUnknown(() => sse.keyArn))
            report("keyType is CUSTOMER_MANAGED_CMK but keyArn is not set.");
    }),
};
