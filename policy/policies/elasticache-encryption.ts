import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

/**
 * ElastiCache must be encrypted at rest and in transit. Replication groups need both flags (and a transit mode that
 * refuses plaintext); node-based clusters outside a replication group cannot encrypt at rest, so they fail;
 * serverless caches are always encrypted at rest and TLS-only, so the policy does not apply to them.
 */
export const elasticacheEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "elasticache-encryption",
    description: "ElastiCache caches must be encrypted at rest and in transit.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["elasticache-repl-grp-encrypted-at-rest", "elasticache-repl-grp-encrypted-in-transit"],
        pciDss: ["3.5.1", "4.2.1"],
        // The policy also refuses transitEncryptionMode "preferred".
        securityHub: [
            "ElastiCache.4", // ElastiCache replication groups should be encrypted at rest
            "ElastiCache.5", // ElastiCache replication groups should be encrypted in transit
        ],
    },
    remediation:
        'Use an aws.elasticache.ServerlessCache, or an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled: true, transitEncryptionEnabled: true (transitEncryptionMode absent or "required") and kmsKeyId: the stack\'s key.',
    validateResource: [
        validateResourceOfType(aws.elasticache.ReplicationGroup, (g, _args, report) => {
            if (g.atRestEncryptionEnabled !== true)
                report(
                    `atRestEncryptionEnabled is ${g.atRestEncryptionEnabled === false ? "false" : "not set"}; the replication group is not encrypted at rest.`,
                );
            if (g.transitEncryptionEnabled !== true)
                report(
                    `transitEncryptionEnabled is ${g.transitEncryptionEnabled === false ? "false" : "not set"}; clients can connect without TLS.`,
                );
            else if (g.transitEncryptionMode === "preferred")
                report('transitEncryptionMode is "preferred", which still accepts unencrypted connections; use "required".');
        }),
        validateResourceOfType(aws.elasticache.Cluster, (c, args, report) => {
            if (c.replicationGroupId) args.notApplicable("a member of a replication group is judged by its group");
            const engine = String(c.engine ?? "").toLowerCase();
            if (engine === "memcached") {
                report(
                    "node-based Memcached clusters cannot be encrypted at rest; use a ServerlessCache (engine memcached), which is encrypted at rest and in transit.",
                );
                if (c.transitEncryptionEnabled !== true) report("transitEncryptionEnabled is not true; clients can connect without TLS.");
                return;
            }
            report(
                `a standalone ${engine || "cache"} cluster cannot be encrypted at rest; declare an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled and transitEncryptionEnabled, or a ServerlessCache.`,
            );
        }),
    ],
};
