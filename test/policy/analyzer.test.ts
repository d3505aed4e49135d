import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startPolicyAnalyzer, AnalyzerSession, PolicyConfigError } from "../../engine/analyzer";
import type { PlannedResource } from "../../engine/types";

const PACK = path.join(__dirname, "..", "..", "policy");
const STACK = "dev";
const PROJECT = "retail-platform";
const urn = (type: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;

function res(type: string, name: string, inputs: Record<string, unknown>, deps: Record<string, string[]> = {}): PlannedResource {
    // `inputs` is what the engine prints ("[unknown]" for unknowns); rawInputs has undefined there.
    const raw = JSON.parse(JSON.stringify(inputs, (_k, v) => (v === "[unknown]" ? undefined : v)));
    return {
        urn: urn(type, name),
        type,
        name,
        tier: null,
        custom: true,
        inputs,
        rawInputs: raw,
        secretPaths: [],
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v])),
        options: {
            protect: false,
            ignoreChanges: [],
            deleteBeforeReplace: false,
            retainOnDelete: false,
            aliases: [],
            additionalSecretOutputs: [],
            replaceOnChanges: [],
            dependsOn: [],
            customTimeouts: { create: "30m" },
        },
    };
}

const alive = (pid: number) => {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
};

const config = {
    "aws:region": "eu-west-1",
    "aws:defaultTags": JSON.stringify({ tags: { environment: "dev", project: "retail", owner: "platform", "cost-centre": "cc-1" } }),
};

describe("engine/analyzer: the pack as its own analyzer process over gRPC", function () {
    this.timeout(60000);
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reports violations per policy and resource, applies exemptions, and stops its child by PID", async () => {
        const cfg = path.join(dir, "config.json");
        fs.writeFileSync(
            cfg,
            JSON.stringify({
                "policy-exemptions": {
                    exemptions: [
                        {
                            policy: "alb-drop-invalid-headers",
                            resource: urn("aws:lb/loadBalancer:LoadBalancer", "legacy-*"),
                            reason: "Legacy partner sends malformed headers (RET-1234)",
                            expires: "2099-12-31",
                        },
                        {
                            policy: "alb-drop-invalid-headers",
                            resource: "*",
                            reason: "Expired long ago, must be refused",
                            expires: "2020-01-01",
                        },
                        {
                            policy: "ec2-no-public-admin-ingress",
                            resource: "*",
                            reason: "Trying to open SSH to the world",
                            expires: "2099-12-31",
                        },
                    ],
                },
            }),
        );
        const key = res("aws:kms/key:Key", "data-key", { enableKeyRotation: true, keyUsage: "ENCRYPT_DECRYPT" });
        const resources = [
            key,
            res("aws:rds/clusterInstance:ClusterInstance", "orders-db-1", {
                clusterIdentifier: "[unknown]",
                instanceClass: "db.serverless",
                engine: "aurora-postgresql",
                publiclyAccessible: true,
            }),
            res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "wide-open", {
                securityGroupId: "[unknown]",
                ipProtocol: "tcp",
                fromPort: 0,
                toPort: 65535,
                cidrIpv4: "0.0.0.0/0",
            }),
            res(
                "aws:ec2/launchTemplate:LaunchTemplate",
                "workers",
                {
                    imageId: "ami-123",
                    blockDeviceMappings: [
                        {
                            deviceName: "/dev/xvda",
                            ebs: {
                                encrypted: "true",
                                kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/5c1b2d9e-0000-4000-8000-000000000001",
                            },
                        },
                    ],
                },
                { blockDeviceMappings: [key.urn] },
            ),
            res("aws:s3/bucket:Bucket", "assets", { bucket: "assets" }),
            res(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "assets-sse",
                {
                    bucket: "[unknown]",
                    rules: [
                        {
                            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "[unknown]" },
                            bucketKeyEnabled: true,
                        },
                    ],
                },
                { bucket: [urn("aws:s3/bucket:Bucket", "assets")], rules: [key.urn] },
            ),
            res(
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "assets-pab",
                {
                    bucket: "[unknown]",
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                },
                { bucket: [urn("aws:s3/bucket:Bucket", "assets")] },
            ),
            res(
                "aws:s3/bucketPolicy:BucketPolicy",
                "assets-policy",
                {
                    bucket: "[unknown]",
                    policy: JSON.stringify({
                        Statement: [
                            {
                                Effect: "Deny",
                                Principal: "*",
                                Action: "s3:*",
                                Resource: "*",
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ],
                    }),
                },
                { bucket: [urn("aws:s3/bucket:Bucket", "assets")] },
            ),
            res("aws:lb/loadBalancer:LoadBalancer", "legacy-alb", { loadBalancerType: "application" }),
        ];
        const t0 = Date.now();
        const session: AnalyzerSession = await startPolicyAnalyzer(PACK, { policyConfigFile: cfg });
        assert.ok(Date.now() - t0 < 500, "startPolicyAnalyzer returns at once; the child starts in the background");
        assert.ok(alive(session.pid));
        try {
            const report = await session.analyze(resources, { project: PROJECT, stack: STACK, config, dryRun: true });
            const find = (policy: string, name: string) =>
                report.violations.filter((v) => v.policy === policy && v.urn.endsWith(`::${name}`));
            assert.strictEqual(find("rds-no-public-access", "orders-db-1")[0]?.enforcement, "mandatory");
            assert.strictEqual(find("rds-no-public-access", "orders-db-1")[0]?.severity, "critical");
            assert.match(find("ec2-no-public-admin-ingress", "wide-open")[0]?.message ?? "", /22 \(SSH\)/);
            assert.match(find("ec2-imdsv2-required", "workers")[0]?.message ?? "", /httpTokens is not set/);
            assert.deepStrictEqual(
                report.violations.filter((v) => v.urn.includes("::assets")),
                [],
                "the compliant bucket has no violations",
            );
            assert.deepStrictEqual(
                report.violations.filter((v) => v.policy === "alb-drop-invalid-headers"),
                [],
            );
            assert.deepStrictEqual(report.exempted, [
                {
                    policy: "alb-drop-invalid-headers",
                    urn: urn("aws:lb/loadBalancer:LoadBalancer", "legacy-alb"),
                    reason: "Legacy partner sends malformed headers (RET-1234)",
                    expires: "2099-12-31",
                },
            ]);
            const problems = report.violations
                .filter((v) => v.policy === "policy-exemptions" && v.enforcement === "mandatory")
                .map((v) => v.message);
            assert.ok(
                problems.some((m) => /expired on 2020-01-01/.test(m)),
                problems.join("\n"),
            );
            assert.ok(
                problems.some((m) => /refused: ec2-no-public-admin-ingress is never-suppressible/.test(m)),
                problems.join("\n"),
            );
        } finally {
            await session.stop();
            await session.stop();
        }
        assert.ok(!alive(session.pid), "the analyzer process is gone after stop()");
    });

    it("rejects a config that downgrades a never-suppressible policy, and still stops cleanly", async () => {
        const cfg = path.join(dir, "bad.json");
        fs.writeFileSync(cfg, JSON.stringify({ "rds-no-public-access": "advisory" }));
        const session = await startPolicyAnalyzer(PACK, { policyConfigFile: cfg });
        try {
            await assert.rejects(
                session.analyze([], { project: PROJECT, stack: STACK, config, dryRun: true }),
                (e: unknown) => e instanceof PolicyConfigError && /never-suppressible/.test((e as Error).message),
            );
        } finally {
            await session.stop();
        }
        assert.ok(!alive(session.pid));
    });

    it("rejects an unreadable config before spawning anything", async () => {
        const cfg = path.join(dir, "broken.json");
        fs.writeFileSync(cfg, "{ not json");
        await assert.rejects(startPolicyAnalyzer(PACK, { policyConfigFile: cfg }), PolicyConfigError);
    });
});
