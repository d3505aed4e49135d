import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { setOrUnknown } from "../lib/util";

export const snsTopicEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "sns-topic-encryption",
    description: "SNS topics must be encrypted at rest with a KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["sns-encrypted-kms"],
        pciDss: ["3.5.1"],
        // No FSBP control: SNS.1 (SNS topics encrypted at rest using AWS KMS) is not in the FSBP standard.
        securityHub: [],
    },
    remediation: "Set kmsMasterKeyId to the stack's key.",
    validateResource: validateResourceOfType(aws.sns.Topic, (t, _args, report) => {
        if (!setOrUnknown(() => t.kmsMasterKeyId)) report("kmsMasterKeyId is not set; the topic stores messages unencrypted.");
    }),
};
