import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { setOrUnknown } from "../lib/util";

export const cloudwatchLogGroupEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "cloudwatch-log-group-encryption",
    description: "CloudWatch log groups must be encrypted with a KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["cloudwatch-log-group-encrypted"],
        pciDss: ["3.5.1", "10.3.2"],
        // No FSBP control checks log group encryption.
        securityHub: [],
    },
    remediation: "Set kmsKeyId to the stack's key (its policy must allow logs.<region>.amazonaws.com).",
    validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (g, _args, report) => {
        if (!setOrUnknown(() => g.kmsKeyId)) report("kmsKeyId is not set; log events are encrypted only with a service-owned key.");
    }),
};
