import type { PackStackPolicy } from "../lib/types";
import { StackGraph } from "../lib/graph";
import { BUCKET_TYPES, SSE_TYPES, bucketsReferenced, encryptionRulesOf, ruleAlgorithm } from "../lib/s3";
import { UNKNOWN, known, asArray } from "../lib/util";

const VALID = ["AES256", "aws:kms", "aws:kms:dsse"];

/**
 * Every bucket declares its default encryption, inline (`serverSideEncryptionConfiguration`) or with a separate
 * aws.s3.BucketServerSideEncryptionConfiguration (v7 token and the deprecated V2 alias). Stack policy because the
 * two resources must be joined.
 */
export const s3BucketEncryption: PackStackPolicy = {
    kind: "stack",
    id: "s3-bucket-encryption",
    description: "S3 buckets must declare default server-side encryption, inline or with a BucketServerSideEncryptionConfiguration.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["s3-bucket-server-side-encryption-enabled", "s3-default-encryption-kms"],
        pciDss: ["3.5.1"],
        // No FSBP control: S3.4 (server-side encryption) is retired and S3.17 (SSE-KMS) is not in the FSBP standard.
        securityHub: [],
    },
    remediation:
        'Declare an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm "aws:kms" and the stack\'s key ("AES256" for log-delivery buckets).',
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const buckets = graph.ofType(...BUCKET_TYPES);
        const sses = graph.ofType(...SSE_TYPES);
        if (buckets.length === 0 && sses.length === 0) args.notApplicable("the stack declares no S3 buckets");
        for (const bucket of buckets) {
            const { rules } = encryptionRulesOf(graph, bucket);
            if (rules.length === 0) {
                report(`bucket ${bucket.name} declares no default encryption: add a BucketServerSideEncryptionConfiguration.`, bucket.urn);
                continue;
            }
            const algs = rules.map((r) => ruleAlgorithm(r).algorithm);
            if (algs.some((a) => a === UNKNOWN)) continue; // judged at update
            if (!algs.some((a) => typeof a === "string" && VALID.includes(a))) {
                report(
                    `bucket ${bucket.name}: default encryption algorithm ${algs.map((a) => JSON.stringify(a)).join(", ")} is not one of ${VALID.join(", ")}.`,
                    bucket.urn,
                );
            }
        }
        // A configuration resource for a bucket outside the program is still judged on its own rule.
        for (const sse of sses) {
            const target = known(() => sse.props.bucket);
            if (bucketsReferenced(graph, sse, "bucket", target).length > 0) continue;
            const rules = known(() => sse.props.rules);
            if (rules === UNKNOWN) continue;
            const algs = asArray(rules as unknown[]).map((r) => ruleAlgorithm(r).algorithm);
            if (algs.some((a) => a === UNKNOWN)) continue;
            if (!algs.some((a) => typeof a === "string" && VALID.includes(a))) {
                report(`sseAlgorithm ${algs.map((a) => JSON.stringify(a)).join(", ")} is not one of ${VALID.join(", ")}.`, sse.urn);
            }
        }
    },
};
