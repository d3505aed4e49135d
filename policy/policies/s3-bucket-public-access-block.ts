import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";
import { BUCKET_TYPES, bucketsReferenced } from "../lib/s3";
import { UNKNOWN, type Inputs } from "../lib/util";

const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";
const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** Every bucket has a BucketPublicAccessBlock with all four flags true (or the stack blocks public access account-wide). */
export const s3BucketPublicAccessBlock: PackStackPolicy = {
    kind: "stack",
    id: "s3-bucket-public-access-block",
    description:
        "S3 buckets must block all public access (all four public-access-block settings true), and no bucket or account public-access block may turn a protection off.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["s3-bucket-level-public-access-prohibited", "s3-account-level-public-access-blocks-periodic"],
        pciDss: ["1.4.4", "7.2.1"],
        securityHub: [
            "S3.1", // S3 general purpose buckets should have block public access settings enabled
            "S3.8", // S3 general purpose buckets should block public access
        ],
    },
    remediation:
        "Declare an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const buckets = graph.ofType(...BUCKET_TYPES);
        const allTrue = (r: { props: Inputs }) => {
            const v = FLAGS.map((f) => read(r, (p) => p[f]));
            if (v.some((x) => x === UNKNOWN)) return UNKNOWN;
            return FLAGS.filter((_f, i) => v[i] !== true);
        };
        const accountBlocks = graph.ofType(ACCOUNT_PAB);
        const blocks = graph.ofType(PAB);
        if (buckets.length + accountBlocks.length + blocks.length === 0)
            args.notApplicable("the stack declares no S3 buckets or public-access blocks");
        // A block that turns a protection off is a finding on the block itself, whichever bucket it names (one
        // declared here or not) — and for the account-level block, on every bucket of the account.
        for (const a of accountBlocks) {
            const missing = allTrue(a);
            if (missing !== UNKNOWN && missing.length)
                report(
                    `account public-access block ${a.name} leaves ${missing.join(", ")} not true: buckets of the account may be made public.`,
                    a.urn,
                );
        }
        for (const pab of blocks) {
            const missing = allTrue(pab);
            if (missing !== UNKNOWN && missing.length) report(`${pab.name} leaves ${missing.join(", ")} not true.`, pab.urn);
        }
        if (
            accountBlocks.some((a) => {
                const m = allTrue(a);
                return m !== UNKNOWN && m.length === 0;
            })
        )
            return;
        for (const b of buckets) {
            if (
                !blocks.some((p) =>
                    bucketsReferenced(
                        graph,
                        p,
                        "bucket",
                        read(p, (x) => x.bucket),
                    ).includes(b),
                )
            )
                report(`bucket ${b.name} has no BucketPublicAccessBlock.`, b.urn);
        }
    },
};
