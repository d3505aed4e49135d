// S3 joins: a bucket and the side-by-side resources that configure it, and which buckets receive log deliveries.
import type { PolicyResource } from "@pulumi/policy";
import { StackGraph, identifiers, read } from "./graph";
import { UNKNOWN, asArray, type Inputs } from "./util";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const SSE_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
export const LOGGING_TYPES = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];
export const LB_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
export const DISTRIBUTION_TYPE = "aws:cloudfront/distribution:Distribution";

/** Buckets that `r`'s input `prop` (a bucket name, or for CloudFront `<name>.s3.amazonaws.com`) refers to. */
export function bucketsReferenced(graph: StackGraph, r: PolicyResource, prop: string, value: unknown): PolicyResource[] {
    const found = new Set(graph.referenced(r, prop, value, BUCKET_TYPES));
    if (typeof value === "string") {
        const name = value.replace(/\.s3(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/, "");
        if (name !== value) for (const b of graph.ofType(...BUCKET_TYPES)) if (identifiers(b).has(name)) found.add(b);
    }
    return [...found];
}

/** The default-encryption rules that apply to a bucket: inline, and from every SSE configuration resource for it. */
export function encryptionRulesOf(graph: StackGraph, bucket: PolicyResource): { source: PolicyResource; rules: unknown[] } {
    const inline = read(bucket, (p) => p.serverSideEncryptionConfiguration?.rule);
    const rules: unknown[] = [];
    if (inline === UNKNOWN) rules.push(UNKNOWN);
    else if (inline) rules.push(inline);
    let source = bucket;
    for (const sse of graph.ofType(...SSE_TYPES)) {
        const target = read(sse, (p) => p.bucket);
        if (!bucketsReferenced(graph, sse, "bucket", target).includes(bucket)) continue;
        source = sse;
        const rs = read(sse, (p) => p.rules);
        if (rs === UNKNOWN) rules.push(UNKNOWN);
        else rules.push(...asArray(rs as unknown[]));
    }
    return { source, rules };
}

/** The default SSE algorithm and key of a rule (UNKNOWN parts when not known yet). */
export function ruleAlgorithm(rule: unknown): { algorithm: unknown; key: unknown } {
    if (rule === UNKNOWN) return { algorithm: UNKNOWN, key: UNKNOWN };
    const r = rule as Inputs;
    const algorithm = read({ props: r }, (p) => p.applyServerSideEncryptionByDefault?.sseAlgorithm);
    const key = read({ props: r }, (p) => p.applyServerSideEncryptionByDefault?.kmsMasterKeyId);
    return { algorithm, key };
}

export type LogTargetKind = "sse-s3-only" | "cloudfront-legacy";

/**
 * Buckets the stack makes log-delivery targets: ALB/NLB access logs and ALB connection logs, S3 server access
 * logging (BucketLogging resources or a bucket's inline `logging`) — all of which AWS delivers only to SSE-S3
 * buckets — and CloudFront standard (legacy) logging, which may also use a KMS key whose policy admits delivery.
 */
export function logTargets(graph: StackGraph): Map<PolicyResource, { kind: LogTargetKind; by: string[] }> {
    const out = new Map<PolicyResource, { kind: LogTargetKind; by: string[] }>();
    const add = (b: PolicyResource, kind: LogTargetKind, by: string) => {
        const prev = out.get(b);
        if (prev) {
            if (kind === "sse-s3-only") prev.kind = kind;
            prev.by.push(by);
        } else out.set(b, { kind, by: [by] });
    };
    for (const lb of graph.ofType(...LB_TYPES)) {
        for (const prop of ["accessLogs", "connectionLogs"]) {
            const cfg = read(lb, (p) => p[prop]);
            if (!cfg || cfg === UNKNOWN) continue;
            const enabled = read({ props: cfg as Inputs }, (p) => p.enabled);
            if (enabled === false) continue;
            const bucket = read({ props: cfg as Inputs }, (p) => p.bucket);
            for (const b of bucketsReferenced(graph, lb, prop, bucket)) add(b, "sse-s3-only", `${lb.name} ${prop}`);
        }
    }
    for (const l of graph.ofType(...LOGGING_TYPES)) {
        const t = read(l, (p) => p.targetBucket);
        for (const b of bucketsReferenced(graph, l, "targetBucket", t)) add(b, "sse-s3-only", `${l.name} server access logging`);
    }
    for (const src of graph.ofType(...BUCKET_TYPES)) {
        const t = read(src, (p) => p.logging?.targetBucket);
        for (const b of bucketsReferenced(graph, src, "logging", t)) add(b, "sse-s3-only", `${src.name} server access logging`);
    }
    for (const d of graph.ofType(DISTRIBUTION_TYPE)) {
        const t = read(d, (p) => p.loggingConfig?.bucket);
        for (const b of bucketsReferenced(graph, d, "loggingConfig", t)) add(b, "cloudfront-legacy", `${d.name} standard logging`);
    }
    return out;
}
