import type { PolicyResource } from "@pulumi/policy";
import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";
import { BUCKET_TYPES, bucketsReferenced } from "../lib/s3";
import { UNKNOWN, asArray, policyDocument } from "../lib/util";

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/** A Deny of s3:* for every principal when aws:SecureTransport is false. */
export function deniesInsecureTransport(doc: unknown): boolean {
    const d = policyDocument(doc);
    if (!d) return false;
    return asArray(d.Statement).some((st) => {
        if (!st || st.Effect !== "Deny") return false;
        const principalAll = st.Principal === "*" || (typeof st.Principal === "object" && asArray(st.Principal?.AWS).includes("*"));
        if (!principalAll) return false;
        const actions = asArray(st.Action).map((a: unknown) => String(a).toLowerCase());
        if (!actions.includes("s3:*") && !actions.includes("*")) return false;
        const cond = st.Condition?.Bool ?? st.Condition?.bool;
        const v = cond?.["aws:SecureTransport"] ?? cond?.["aws:securetransport"];
        return asArray(v).map(String).includes("false");
    });
}

/** Every bucket's policy denies requests that do not use TLS. */
export const s3BucketTlsOnly: PackStackPolicy = {
    kind: "stack",
    id: "s3-bucket-tls-only",
    description: "S3 bucket policies must deny every request that does not use TLS (aws:SecureTransport false).",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["s3-bucket-ssl-requests-only"],
        pciDss: ["4.2.1"],
        securityHub: [
            "S3.5", // S3 general purpose buckets should require requests to use SSL
        ],
    },
    remediation:
        'Add to the bucket\'s aws.s3.BucketPolicy a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const buckets = graph.ofType(...BUCKET_TYPES);
        if (buckets.length === 0) args.notApplicable("the stack declares no S3 buckets");
        for (const b of buckets) {
            const docs: { from: PolicyResource; doc: unknown }[] = [];
            const inline = read(b, (p) => p.policy);
            if (inline) docs.push({ from: b, doc: inline });
            for (const bp of graph.ofType(BUCKET_POLICY)) {
                if (
                    bucketsReferenced(
                        graph,
                        bp,
                        "bucket",
                        read(bp, (p) => p.bucket),
                    ).includes(b)
                )
                    docs.push({ from: bp, doc: read(bp, (p) => p.policy) });
            }
            if (docs.some((d) => d.doc === UNKNOWN)) continue;
            if (docs.length === 0) {
                report(`bucket ${b.name} has no bucket policy denying non-TLS requests.`, b.urn);
                continue;
            }
            if (!docs.some((d) => deniesInsecureTransport(d.doc)))
                report(`bucket ${b.name}: no policy statement denies requests with aws:SecureTransport false.`, b.urn);
        }
    },
};
