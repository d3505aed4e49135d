import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { setOrUnknown } from "../lib/util";

export const secretsmanagerSecretEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "secretsmanager-secret-encryption",
    description: "Secrets Manager secrets (and their replicas) must name the KMS key that encrypts them.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["secretsmanager-using-cmk"],
        pciDss: ["3.5.1", "8.3.2"],
        // No FSBP control checks which key encrypts a secret.
        securityHub: [],
    },
    remediation: "Set kmsKeyId to the stack's key, and kmsKeyId on every replica to the stack's key in that region.",
    validateResource: validateResourceOfType(aws.secretsmanager.Secret, (s, _args, report) => {
        if (!setOrUnknown(() => s.kmsKeyId))
            report("kmsKeyId is not set; the secret falls back to the AWS-managed key aws/secretsmanager.");
        for (const r of s.replicas ?? []) {
            if (!setOrUnknown(() => r.kmsKeyId)) report(`the replica in ${r.region} has no kmsKeyId.`);
        }
    }),
};
