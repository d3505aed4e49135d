import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

/** Automatic rotation exists for symmetric encryption keys with KMS key material in the default key store. */
export const kmsKeyRotation: PackResourcePolicy = {
    kind: "resource",
    id: "kms-key-rotation",
    description: "Symmetric customer-managed KMS keys must have automatic rotation enabled.",
    severity: "medium",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["cmk-backing-key-rotation-enabled"],
        pciDss: ["3.7.4"],
        // No FSBP control: KMS.4 (key rotation) is not in the FSBP standard.
        securityHub: [],
    },
    remediation: "Set enableKeyRotation: true (rotationPeriodInDays 90-2560, default 365).",
    validateResource: validateResourceOfType(aws.kms.Key, (k, args, report) => {
        const spec = k.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
        const usage = k.keyUsage ?? "ENCRYPT_DECRYPT";
        if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT")
            args.notApplicable("automatic rotation exists only for symmetric encryption keys");
        if (k.customKeyStoreId || k.xksKeyId) args.notApplicable("keys in custom key stores cannot rotate automatically");
        if (k.enableKeyRotation !== true)
            report(`enableKeyRotation is ${k.enableKeyRotation === false ? "false" : "not set (defaults to false)"}.`);
    }),
};
