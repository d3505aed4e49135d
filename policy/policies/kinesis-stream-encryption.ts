import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { setOrUnknown } from "../lib/util";

export const kinesisStreamEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "kinesis-stream-encryption",
    description: "Kinesis data streams must use server-side encryption with a KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["kinesis-stream-encrypted"],
        pciDss: ["3.5.1"],
        securityHub: [
            "Kinesis.1", // Kinesis streams should be encrypted at rest
        ],
    },
    remediation: 'Set encryptionType: "KMS" and kmsKeyId to the stack\'s key.',
    validateResource: validateResourceOfType(aws.kinesis.Stream, (s, _args, report) => {
        if (s.encryptionType !== "KMS")
            report(`encryptionType is ${s.encryptionType ? `"${s.encryptionType}"` : "not set (defaults to NONE)"}; use "KMS".`);
        else if (!setOrUnknown(() => s.kmsKeyId)) report("encryptionType is KMS but kmsKeyId is not set.");
    }),
};
