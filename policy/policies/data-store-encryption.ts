import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { known, UNKNOWN } from "../lib/util";

/** OpenSearch TLS security policies whose minimum is TLS 1.2 (the provider's valid values plus newer 1.2+ names). */
const OPENSEARCH_TLS12 = /^Policy-Min-TLS-1-[23]-/;

/** Reads a value that may be unknown at preview; an unknown value is judged at the update. */
const v = (read: () => unknown) => known(read);

/**
 * Encryption at rest and in transit for the data stores a team may add beside the platform's own (those have their
 * own policies): OpenSearch, MSK, EFS, DAX, DocumentDB, Neptune, provisioned Redshift and MemoryDB. Each check names
 * the AWS Config rule that performs it, or the platform rule where AWS has none. Which key encrypts a store is
 * data-store-customer-managed-key's question; Timestream, Kinesis Video, Backup vaults and ECR are always encrypted
 * at rest, so only that policy judges them.
 */
export const dataStoreEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "data-store-encryption",
    description: "OpenSearch, MSK, EFS, DAX, DocumentDB, Neptune, Redshift and MemoryDB must encrypt data at rest and in transit.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: [
            "opensearch-encrypted-at-rest",
            "opensearch-node-to-node-encryption-check",
            "opensearch-https-required",
            "msk-in-cluster-node-require-tls",
            "efs-encrypted-check",
            "dax-encryption-enabled",
            "dax-tls-endpoint-encryption",
            "docdb-cluster-encrypted",
            "neptune-cluster-encrypted",
            "redshift-cluster-configuration-check",
        ],
        pciDss: ["3.5.1", "4.2.1"],
        // Not Opensearch.8 (it accepts only Policy-Min-TLS-1-2-PFS-2023-10; the policy accepts any TLS 1.2 minimum) nor DocumentDB.6
        // (TLS parameter group, not checked here).
        // The policy also checks MSK client-broker TLS and MemoryDB TLS, which no FSBP control does.
        securityHub: [
            "Opensearch.1", // OpenSearch domains should have encryption at rest enabled
            "Opensearch.3", // OpenSearch domains should encrypt data sent between nodes
            "MSK.1", // MSK clusters should be encrypted in transit among broker nodes
            "EFS.1", // Elastic File System should be configured to encrypt file data at-rest using AWS KMS
            "EFS.8", // EFS file systems should be encrypted at rest
            "DynamoDB.3", // DynamoDB Accelerator (DAX) clusters should be encrypted at rest
            "DynamoDB.7", // DynamoDB Accelerator clusters should be encrypted in transit
            "DocumentDB.1", // Amazon DocumentDB clusters should be encrypted at rest
            "Neptune.1", // Neptune DB clusters should be encrypted at rest
            "Redshift.10", // Redshift clusters should be encrypted at rest
        ],
    },
    remediation:
        'Turn on the store\'s at-rest encryption with the stack\'s key (storageEncrypted / encrypted / encryptAtRest) and its TLS settings (OpenSearch enforceHttps with Policy-Min-TLS-1-2-2019-07 and node-to-node encryption; MSK clientBroker "TLS" and inCluster; DAX clusterEndpointEncryptionType "TLS"; MemoryDB tlsEnabled).',
    validateResource: [
        validateResourceOfType(aws.opensearch.Domain, (d, _args, report) => {
            if (v(() => d.encryptAtRest?.enabled) !== true && v(() => d.encryptAtRest?.enabled) !== UNKNOWN)
                report(
                    "encryptAtRest.enabled is not true: indices and snapshots are stored unencrypted [AWS Config opensearch-encrypted-at-rest].",
                );
            if (v(() => d.nodeToNodeEncryption?.enabled) !== true && v(() => d.nodeToNodeEncryption?.enabled) !== UNKNOWN)
                report(
                    "nodeToNodeEncryption.enabled is not true: traffic between nodes is plaintext [AWS Config opensearch-node-to-node-encryption-check].",
                );
            if (v(() => d.domainEndpointOptions?.enforceHttps) === false)
                report("domainEndpointOptions.enforceHttps is false: the endpoint accepts HTTP [AWS Config opensearch-https-required].");
            const tls = v(() => d.domainEndpointOptions?.tlsSecurityPolicy);
            if (tls !== UNKNOWN && !(typeof tls === "string" && OPENSEARCH_TLS12.test(tls))) {
                report(
                    `domainEndpointOptions.tlsSecurityPolicy is ${tls ? `"${tls}"` : "not set"}; use Policy-Min-TLS-1-2-2019-07 or Policy-Min-TLS-1-2-PFS-2023-10 [AWS Config opensearch-https-required].`,
                );
            }
        }),
        validateResourceOfType(aws.msk.Cluster, (c, _args, report) => {
            const clientBroker = v(() => c.encryptionInfo?.encryptionInTransit?.clientBroker);
            if (clientBroker === "PLAINTEXT" || clientBroker === "TLS_PLAINTEXT")
                report(
                    `encryptionInfo.encryptionInTransit.clientBroker is "${clientBroker}": clients may connect in plaintext; use "TLS" [platform rule].`,
                );
            if (v(() => c.encryptionInfo?.encryptionInTransit?.inCluster) === false)
                report(
                    "encryptionInfo.encryptionInTransit.inCluster is false: brokers replicate in plaintext [AWS Config msk-in-cluster-node-require-tls].",
                );
        }),
        validateResourceOfType(aws.efs.FileSystem, (f, _args, report) => {
            const enc = v(() => f.encrypted);
            if (enc !== true && enc !== UNKNOWN)
                report(
                    `encrypted is ${enc === false ? "false" : "not set (EFS defaults to unencrypted)"} [AWS Config efs-encrypted-check].`,
                );
        }),
        validateResourceOfType(aws.dax.Cluster, (c, _args, report) => {
            const sse = v(() => c.serverSideEncryption?.enabled);
            if (sse !== true && sse !== UNKNOWN)
                report("serverSideEncryption.enabled is not true: the cache is stored unencrypted [AWS Config dax-encryption-enabled].");
            const tls = v(() => c.clusterEndpointEncryptionType);
            if (tls !== "TLS" && tls !== UNKNOWN)
                report(
                    `clusterEndpointEncryptionType is ${tls ? `"${tls}"` : "not set (defaults to NONE)"}; use "TLS" [AWS Config dax-tls-endpoint-encryption].`,
                );
        }),
        validateResourceOfType(aws.docdb.Cluster, (c, _args, report) => {
            const enc = v(() => c.storageEncrypted);
            if (enc !== true && enc !== UNKNOWN)
                report(
                    `storageEncrypted is ${enc === false ? "false" : "not set (defaults to false)"} [AWS Config docdb-cluster-encrypted].`,
                );
        }),
        validateResourceOfType(aws.neptune.Cluster, (c, _args, report) => {
            const enc = v(() => c.storageEncrypted);
            if (enc !== true && enc !== UNKNOWN)
                report(
                    `storageEncrypted is ${enc === false ? "false" : "not set (defaults to false)"} [AWS Config neptune-cluster-encrypted].`,
                );
        }),
        validateResourceOfType(aws.redshift.Cluster, (c, _args, report) => {
            // encrypted is a string input in provider v7 and defaults to "true".
            const enc = v(() => c.encrypted as unknown);
            if (enc === false || enc === "false")
                report("encrypted is false: the warehouse is stored unencrypted [AWS Config redshift-cluster-configuration-check].");
        }),
        validateResourceOfType(aws.memorydb.Cluster, (c, _args, report) => {
            if (v(() => c.tlsEnabled) === false) report("tlsEnabled is false: clients connect in plaintext [platform rule].");
        }),
    ],
};
