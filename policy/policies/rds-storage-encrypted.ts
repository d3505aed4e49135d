import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

/** Aurora clusters, Multi-AZ DB clusters, global clusters and RDS instances must set storageEncrypted: true. */
export const rdsStorageEncrypted: PackResourcePolicy = {
    kind: "resource",
    id: "rds-storage-encrypted",
    description: "RDS instances and Aurora/Multi-AZ clusters must encrypt storage at rest (storageEncrypted explicitly true).",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["rds-storage-encrypted", "rds-cluster-encrypted-at-rest"],
        pciDss: ["3.5.1"],
        // The policy also requires storageEncrypted to be set explicitly.
        securityHub: [
            "RDS.3", // RDS DB instances should have encryption at-rest enabled
            "RDS.27", // RDS DB clusters should be encrypted at rest
        ],
    },
    remediation:
        "Set storageEncrypted: true (with kmsKeyId: the stack's key) on the aws.rds.Cluster or aws.rds.Instance. Encryption cannot be added to an existing database: restore an encrypted snapshot copy.",
    validateResource: [
        validateResourceOfType(aws.rds.Cluster, (c, _args, report) => {
            if (c.storageEncrypted === true) return;
            report(
                c.storageEncrypted === false
                    ? "storageEncrypted is false."
                    : "storageEncrypted is not set; provisioned Aurora and Multi-AZ DB clusters are unencrypted unless it is true.",
            );
        }),
        validateResourceOfType(aws.rds.Instance, (i, args, report) => {
            if (i.replicateSourceDb)
                args.notApplicable("a read replica inherits encryption from its source instance, which is judged itself");
            if (i.storageEncrypted === true) return;
            report(
                i.storageEncrypted === false
                    ? "storageEncrypted is false."
                    : "storageEncrypted is not set; RDS instances are unencrypted unless it is true.",
            );
        }),
        validateResourceOfType(aws.rds.GlobalCluster, (g, args, report) => {
            if (g.sourceDbClusterIdentifier)
                args.notApplicable("a global cluster created from an existing cluster takes that cluster's encryption");
            if (g.storageEncrypted === true) return;
            report(
                g.storageEncrypted === false
                    ? "storageEncrypted is false."
                    : "storageEncrypted is not set; global clusters are unencrypted unless it is true.",
            );
        }),
    ],
};
