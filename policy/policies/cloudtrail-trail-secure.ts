import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { known, setOrUnknown } from "../lib/util";

/**
 * A trail must record every region, sign its log files and encrypt them with a KMS key. Whether its bucket is public
 * is judged on the bucket (s3-bucket-public-access-block, resource-policy-not-public, s3-bucket-acl-not-public).
 */
export const cloudtrailTrailSecure: PackResourcePolicy = {
    kind: "resource",
    id: "cloudtrail-trail-secure",
    description: "CloudTrail trails must be multi-region, validate log files and encrypt logs with a KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["multi-region-cloudtrail-enabled", "cloud-trail-log-file-validation-enabled", "cloud-trail-encryption-enabled"],
        pciDss: ["10.2.1", "10.3.2", "10.3.4"],
        // Not CloudTrail.1: it also requires read and write management events, which this policy does not check.
        securityHub: [
            "CloudTrail.2", // CloudTrail should have encryption at-rest enabled
            "CloudTrail.4", // CloudTrail log file validation should be enabled
        ],
    },
    remediation:
        "Set isMultiRegionTrail: true, enableLogFileValidation: true and kmsKeyId: the stack's key (its policy must allow cloudtrail.amazonaws.com).",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (t, _args, report) => {
        if (known(() => t.isMultiRegionTrail) === false || known(() => t.isMultiRegionTrail) === undefined)
            report(
                "isMultiRegionTrail is not true: API activity in other regions is not recorded [AWS Config multi-region-cloudtrail-enabled].",
            );
        if (known(() => t.enableLogFileValidation) === false || known(() => t.enableLogFileValidation) === undefined)
            report(
                "enableLogFileValidation is not true: tampering with delivered logs goes undetected [AWS Config cloud-trail-log-file-validation-enabled].",
            );
        if (!setOrUnknown(() => t.kmsKeyId))
            report("kmsKeyId is not set: logs are encrypted only with SSE-S3 [AWS Config cloud-trail-encryption-enabled].");
    }),
};
