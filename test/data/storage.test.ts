import * as assert from "assert";
import { grantedKey, ofType, planOf, PlanJson, PlanResource, resolveRef } from "../support/plan";

const ROLES = ["logs", "assets", "invoices", "archive", "data-lake"] as const;

/** The bucket resource of a SecureBucket, by its role. */
function bucketOf(plan: PlanJson, role: string): PlanResource {
    const name = `retail-platform-${plan.stack}-${role}-bucket`;
    const found = ofType(plan, "aws:s3/bucket:Bucket").filter((b) => b.name === name);
    assert.strictEqual(found.length, 1, `bucket ${name}`);
    return found[0];
}

/** The one resource of `type` attached to `bucket` (by its `bucket` input). */
function attached(plan: PlanJson, type: string, bucket: PlanResource): PlanResource[] {
    return ofType(plan, type).filter((r) => resolveRef(plan, r.inputs.bucket).name === bucket.name);
}

function homeKeyName(plan: PlanJson): string {
    return ofType(plan, "aws:kms/key:Key").find((k) => k.tier === "security" && k.inputs.region === undefined)!.name;
}

for (const stack of ["staging", "production"]) {
    describe(`data tier buckets (${stack})`, function () {
        let plan: PlanJson;
        before(function () {
            this.timeout(60_000);
            plan = planOf(stack);
        });

        it("gives every bucket all four public-access blocks, owner-enforced objects, versioning and one TLS-only policy", () => {
            for (const bucket of ofType(plan, "aws:s3/bucket:Bucket")) {
                const [block] = attached(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket);
                assert.deepStrictEqual(
                    [
                        block.inputs.blockPublicAcls,
                        block.inputs.blockPublicPolicy,
                        block.inputs.ignorePublicAcls,
                        block.inputs.restrictPublicBuckets,
                    ],
                    [true, true, true, true],
                    bucket.name,
                );
                assert.strictEqual(
                    attached(plan, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucket)[0].inputs.rule.objectOwnership,
                    "BucketOwnerEnforced",
                );
                assert.strictEqual(
                    attached(plan, "aws:s3/bucketVersioning:BucketVersioning", bucket)[0].inputs.versioningConfiguration.status,
                    "Enabled",
                );
                const policies = attached(plan, "aws:s3/bucketPolicy:BucketPolicy", bucket);
                assert.strictEqual(policies.length, 1, `${bucket.name} has exactly one policy`);
                const deny = JSON.parse(policies[0].inputs.policy).Statement.find((s: any) => s.Sid === "DenyInsecureTransport");
                assert.deepStrictEqual(deny, {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [`arn:aws:s3:::${bucket.inputs.bucket}`, `arn:aws:s3:::${bucket.inputs.bucket}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                });
                assert.strictEqual(bucket.inputs.forceDestroy, false);
            }
        });

        it("encrypts the data buckets with the stack's key and bucket keys, the logs bucket with SSE-S3 only", () => {
            for (const role of ROLES) {
                const bucket = bucketOf(plan, role);
                const [sse] = attached(
                    plan,
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    bucket,
                );
                const rule = sse.inputs.rules[0];
                if (role === "logs") {
                    assert.deepStrictEqual(
                        rule,
                        { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                        "AWS log delivery needs SSE-S3",
                    );
                    assert.strictEqual(bucket.inputs.objectLockEnabled, undefined, "log delivery cannot target Object Lock buckets");
                } else {
                    assert.strictEqual(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
                    assert.strictEqual(resolveRef(plan, rule.applyServerSideEncryptionByDefault.kmsMasterKeyId).name, homeKeyName(plan));
                    assert.strictEqual(rule.bucketKeyEnabled, true);
                }
            }
        });

        it("logs every bucket's access to the logs bucket, except the logs bucket itself", () => {
            const logsBucket = bucketOf(plan, "logs");
            for (const role of ROLES) {
                const logging = attached(plan, "aws:s3/bucketLogging:BucketLogging", bucketOf(plan, role));
                if (role === "logs") assert.deepStrictEqual(logging, []);
                else {
                    assert.strictEqual(resolveRef(plan, logging[0].inputs.targetBucket).name, logsBucket.name);
                    assert.match(logging[0].inputs.targetPrefix, /^s3-access\//);
                }
            }
            const policy = JSON.parse(attached(plan, "aws:s3/bucketPolicy:BucketPolicy", logsBucket)[0].inputs.policy);
            const sids = policy.Statement.map((s: any) => s.Sid);
            assert.ok(
                sids.includes("S3ServerAccessLogs") &&
                    sids.includes("AlbAccessLogsServicePrincipal") &&
                    sids.includes("AlbAccessLogsRegionalAccount"),
                sids.join(","),
            );
            const s3Logs = policy.Statement.find((s: any) => s.Sid === "S3ServerAccessLogs");
            assert.deepStrictEqual(s3Logs.Principal, { Service: "logging.s3.amazonaws.com" });
            assert.deepStrictEqual(s3Logs.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
            // eu-west-1 predates August 2022: ALB logs come from the regional ELB account.
            assert.deepStrictEqual(policy.Statement.find((s: any) => s.Sid === "AlbAccessLogsRegionalAccount").Principal, {
                AWS: "arn:aws:iam::156460612806:root",
            });
        });

        it("applies the archive lifecycle to archive-tagged assets only, and expires noncurrent versions after 30 days", () => {
            const [lifecycle] = attached(
                plan,
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                bucketOf(plan, "assets"),
            );
            assert.deepStrictEqual(lifecycle.inputs.rules, [
                {
                    id: "archive-tagged-objects",
                    status: "Enabled",
                    filter: { tag: { key: "lifecycle", value: "archive" } },
                    transitions: [
                        { days: 180, storageClass: "STANDARD_IA" },
                        { days: 730, storageClass: "GLACIER" },
                    ],
                    expiration: { days: 2555 },
                },
                {
                    id: "expire-noncurrent-versions",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ]);
            const versioning = attached(plan, "aws:s3/bucketVersioning:BucketVersioning", bucketOf(plan, "assets"))[0];
            assert.ok(lifecycle.options!.dependsOn.includes(versioning.urn), "lifecycle waits for versioning");
            assert.strictEqual(
                attached(plan, "aws:s3/bucketNotification:BucketNotification", bucketOf(plan, "assets"))[0].inputs.eventbridge,
                true,
            );
        });

        it(`locks the compliance archive in ${stack === "production" ? "COMPLIANCE mode for 7 years" : "GOVERNANCE mode for 1 day"}`, () => {
            const archive = bucketOf(plan, "archive");
            assert.strictEqual(archive.inputs.objectLockEnabled, true);
            const [lock] = attached(plan, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", archive);
            const days = stack === "production" ? 2557 : 1;
            assert.deepStrictEqual(lock.inputs.rule, {
                defaultRetention: { mode: stack === "production" ? "COMPLIANCE" : "GOVERNANCE", days },
            });
            const [lifecycle] = attached(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", archive);
            assert.deepStrictEqual(
                lifecycle.inputs.rules.map((r: any) => [r.id, r.filter, r.transitions, r.noncurrentVersionExpiration, r.expiration]),
                [
                    ["orders-to-glacier", { prefix: "orders/" }, [{ days: 1095, storageClass: "GLACIER" }], undefined, undefined],
                    ["expire-noncurrent-after-retention", {}, undefined, { noncurrentDays: days }, undefined],
                    ["remove-expired-delete-markers", {}, undefined, undefined, { expiredObjectDeleteMarker: true }],
                ],
            );
        });

        it("tiers the data lake's curated/ prefix and notifies EventBridge of new objects", () => {
            const lake = bucketOf(plan, "data-lake");
            const [lifecycle] = attached(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", lake);
            assert.deepStrictEqual(lifecycle.inputs.rules[0], {
                id: "curated-intelligent-tiering",
                status: "Enabled",
                filter: { prefix: "curated/" },
                transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
            });
            assert.strictEqual(attached(plan, "aws:s3/bucketNotification:BucketNotification", lake)[0].inputs.eventbridge, true);
        });

        if (stack === "production") {
            it("replicates the assets to eu-central-1, re-encrypted with that region's key, after both buckets are versioned", () => {
                const [replication] = ofType(plan, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
                const source = bucketOf(plan, "assets");
                assert.strictEqual(resolveRef(plan, replication.inputs.bucket).name, source.name);
                const rule = replication.inputs.rules[0];
                assert.deepStrictEqual(
                    [rule.status, rule.filter, rule.deleteMarkerReplication, rule.sourceSelectionCriteria],
                    ["Enabled", { prefix: "" }, { status: "Enabled" }, { sseKmsEncryptedObjects: { status: "Enabled" } }],
                );
                const destination = resolveRef(plan, rule.destination.bucket);
                assert.strictEqual(destination.inputs.region, "eu-central-1");
                const replicaKey = resolveRef(plan, rule.destination.encryptionConfiguration.replicaKmsKeyId);
                assert.strictEqual(replicaKey.inputs.region, "eu-central-1");
                const [replicaSse] = attached(
                    plan,
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    destination,
                );
                assert.strictEqual(
                    resolveRef(plan, replicaSse.inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).name,
                    replicaKey.name,
                );
                assert.strictEqual(replicaSse.inputs.region, "eu-central-1");
                const versionings = [source, destination].map((b) => attached(plan, "aws:s3/bucketVersioning:BucketVersioning", b)[0].urn);
                for (const v of versionings)
                    assert.ok(replication.options!.dependsOn.includes(v), "replication waits for versioning on both buckets");
                // The replica has its own public-access block, TLS-only policy and logs bucket in its region.
                assert.strictEqual(attached(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", destination).length, 1);
                const replicaLogs = resolveRef(
                    plan,
                    attached(plan, "aws:s3/bucketLogging:BucketLogging", destination)[0].inputs.targetBucket,
                );
                assert.strictEqual(replicaLogs.inputs.region, "eu-central-1");

                const role = resolveRef(plan, replication.inputs.role);
                const [rolePolicy] = ofType(plan, "aws:iam/rolePolicy:RolePolicy").filter(
                    (p) => resolveRef(plan, p.inputs.role).name === role.name,
                );
                const statements = JSON.parse(rolePolicy.inputs.policy).Statement;
                const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
                assert.deepStrictEqual(bySid.ReadSourceVersions.Resource, `arn:aws:s3:::${source.inputs.bucket}/*`);
                assert.deepStrictEqual(bySid.WriteReplicas.Resource, `arn:aws:s3:::${destination.inputs.bucket}/*`);
                assert.deepStrictEqual(bySid.DecryptSourceThroughS3.Condition.StringEquals, {
                    "kms:ViaService": ["s3.eu-west-1.amazonaws.com"],
                });
                assert.deepStrictEqual(bySid.EncryptReplicaThroughS3.Condition.StringEquals, {
                    "kms:ViaService": ["s3.eu-central-1.amazonaws.com"],
                });
                // Each key by its alias: the home key decrypts the source, the replica region's key encrypts the copies.
                assert.strictEqual(grantedKey(plan, bySid.DecryptSourceThroughS3).inputs.region, undefined);
                assert.strictEqual(grantedKey(plan, bySid.EncryptReplicaThroughS3).inputs.region, "eu-central-1");
                // Bucket keys make the encryption context the bucket's ARN; objects without them carry their own ARN.
                const srcArn = `arn:aws:s3:::${source.inputs.bucket}`;
                assert.deepStrictEqual(bySid.DecryptSourceThroughS3.Condition.StringLike, {
                    "kms:EncryptionContext:aws:s3:arn": [srcArn, `${srcArn}/*`],
                });
                assert.ok(!statements.some((s: any) => s.Resource === "*"), "no wildcard resources");
            });
        } else {
            it("has no replication when no replica region is configured", () => {
                assert.deepStrictEqual(ofType(plan, "aws:s3/bucketReplicationConfig:BucketReplicationConfig"), []);
                assert.ok(ofType(plan, "aws:s3/bucket:Bucket").every((b) => b.inputs.region === undefined));
            });
        }
    });
}
