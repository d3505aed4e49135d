import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

/**
 * DynamoDB always encrypts, but without serverSideEncryption it uses an AWS-owned key that no account controls or
 * audits; the platform requires KMS encryption (serverSideEncryption.enabled), which the key rule narrows to the
 * stack's key.
 */
export const dynamodbTableEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "dynamodb-table-encryption",
    description: "DynamoDB tables must be encrypted with a KMS key (serverSideEncryption enabled), not the AWS-owned default key.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["dynamodb-table-encrypted-kms"],
        pciDss: ["3.5.1"],
        // No FSBP control checks a DynamoDB table's KMS encryption (DynamoDB.3 is DAX).
        securityHub: [],
    },
    remediation: "Set serverSideEncryption: { enabled: true, kmsKeyArn: the stack's key } (and kmsKeyArn on every replica).",
    validateResource: validateResourceOfType(aws.dynamodb.Table, (t, _args, report) => {
        if (t.serverSideEncryption?.enabled !== true) {
            report(
                "serverSideEncryption.enabled is not true; the table uses the AWS-owned key, which the account cannot control or audit.",
            );
        }
    }),
};
