import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { asArray, type Inputs } from "../lib/util";

/** Canned ACLs that grant the AllUsers or AuthenticatedUsers groups (any AWS account) access. */
const PUBLIC_CANNED = new Set(["public-read", "public-read-write", "authenticated-read"]);
const PUBLIC_GROUPS = /^https?:\/\/acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;

function cannedFinding(acl: unknown): string[] {
    return typeof acl === "string" && PUBLIC_CANNED.has(acl)
        ? [`acl is "${acl}", which grants ${acl === "authenticated-read" ? "every AWS account" : "everyone"} access`]
        : [];
}

function grantFindings(grants: unknown, at: string): string[] {
    return asArray(grants as Inputs[]).flatMap((g, i) => {
        const uri = g?.grantee?.uri ?? g?.uri;
        return typeof uri === "string" && PUBLIC_GROUPS.test(uri)
            ? [`${at}[${i}] grants ${g?.permission ?? "access"} to ${uri.split("/").pop()}`]
            : [];
    });
}

/**
 * S3 ACLs must not grant the AllUsers or AuthenticatedUsers groups: canned public-read, public-read-write and
 * authenticated-read, or explicit grants to those groups — on a bucket (BucketAcl, or the Bucket's own acl/grants)
 * or an object. A bucket with ObjectOwnership BucketOwnerEnforced refuses such ACLs; this catches them before AWS does.
 */
export const s3BucketAclNotPublic: PackResourcePolicy = {
    kind: "resource",
    id: "s3-bucket-acl-not-public",
    description: "S3 bucket and object ACLs must not grant access to AllUsers or AuthenticatedUsers.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited"],
        pciDss: ["1.4.4", "7.2.1"],
        // S3.2/S3.3 read the bucket policy and the ACL: this policy judges the ACL, resource-policy-not-public the bucket policy.
        // Not S3.12: it fails any ACL that grants access, public or not.
        securityHub: [
            "S3.2", // S3 general purpose buckets should block public read access
            "S3.3", // S3 general purpose buckets should block public write access
        ],
    },
    remediation:
        "Drop the ACL (use ObjectOwnership BucketOwnerEnforced and a bucket policy naming principals); serve public content through CloudFront with origin access control.",
    validateResource: [
        validateResourceOfType(aws.s3.BucketAcl, (a, _args, report) => {
            for (const f of [...cannedFinding(a.acl), ...grantFindings(a.accessControlPolicy?.grants, "accessControlPolicy.grants")])
                report(`${f}.`);
        }),
        validateResourceOfType(aws.s3.Bucket, (b, _args, report) => {
            for (const f of [...cannedFinding(b.acl), ...grantFindings(b.grants, "grants")]) report(`${f}.`);
        }),
        validateResourceOfType(aws.s3.BucketObject, (o, _args, report) => cannedFinding(o.acl).forEach((f) => report(`object ${f}.`))),
        validateResourceOfType(aws.s3.BucketObjectv2, (o, _args, report) => cannedFinding(o.acl).forEach((f) => report(`object ${f}.`))),
    ],
};
