import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT, runPlan } from "../support/plan";

const OTHER = path.join(REPO_ROOT, "test", "fixtures", "other-program");
const INSECURE = path.join(REPO_ROOT, "test", "fixtures", "insecure-program");

describe("offline engine", function () {
    this.timeout(60_000);

    it("evaluates an unrelated program with --program and keeps its project, stack, config and tiers", () => {
        const run = runPlan(["--program", OTHER, "--stack", "dev", "--no-policy"]);
        assert.strictEqual(run.status, 0, run.stderr);
        const plan = run.json!;
        assert.strictEqual(plan.project, "photo-gallery");
        assert.strictEqual(plan.stack, "dev");
        assert.deepStrictEqual(plan.resources.map((r) => r.type).sort(), [
            "aws:s3/bucket:Bucket",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aws:ssm/parameter:Parameter",
            "gallery:storage:Gallery",
            "pulumi:pulumi:Stack",
        ]);
        const bucket = plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        // Project defaults and structured stack values both reach the program.
        assert.deepStrictEqual(bucket.inputs, { bucket: "gallery-photos", tags: { owner: "gallery-team" } });
        assert.strictEqual(bucket.tier, "storage");
        assert.strictEqual(bucket.urn, "urn:pulumi:dev::photo-gallery::gallery:storage:Gallery$aws:s3/bucket:Bucket::gallery-photos");
        assert.strictEqual(bucket.parent, "urn:pulumi:dev::photo-gallery::gallery:storage:Gallery::gallery");
        assert.deepStrictEqual(Object.keys(plan.resources[0]), ["urn", "type", "name", "parent", "tier", "custom", "inputs"]);
        assert.match(run.stdout, /photo-gallery \/ dev: 3 resources and 1 components/);
    });

    it("writes only the secret leaf as [secret], keeping its keys and siblings visible", () => {
        const run = runPlan(["--program", OTHER, "--stack", "dev", "--no-policy"]);
        const plan = run.json!;
        const parameter = plan.resources.find((r) => r.type === "aws:ssm/parameter:Parameter")!;
        // The name is the provider's autoname (`<resource name>-<7 hex>`), shown as an input like a real preview shows it.
        assert.deepStrictEqual(parameter.inputs, { name: parameter.inputs.name, type: "SecureString", value: "[secret]" });
        assert.match(parameter.inputs.name, /^api-token-[0-9a-f]{7}$/);
        assert.deepStrictEqual(plan.outputs.connection, {
            endpoint: "https://gallery-photos.s3.us-west-2.amazonaws.com",
            token: "[secret]",
        });
        const text = fs.readFileSync(run.jsonFile, "utf8") + run.stdout;
        assert.ok(!text.includes("c2VjcmV0LWNpcGhlcnRleHQ"), "the encrypted config value never appears");
    });

    it("never prints the generated origin secret of the project's stacks", () => {
        const run = runPlan(["--stack", "staging", "--no-policy"]);
        assert.strictEqual(run.status, 0, run.stderr);
        const text = fs.readFileSync(run.jsonFile, "utf8") + run.stdout;
        assert.ok(!/mock[0-9a-f]{40}/.test(text), "the mocked password value does not appear anywhere");
        assert.ok(text.includes('"secretString": "[secret]"'));
    });

    it("is deterministic: two runs write byte-identical JSON", () => {
        const a = runPlan(["--stack", "production", "--no-policy"]);
        const b = runPlan(["--stack", "production", "--no-policy"]);
        assert.strictEqual(a.status, 0, a.stderr);
        assert.strictEqual(fs.readFileSync(a.jsonFile, "utf8"), fs.readFileSync(b.jsonFile, "utf8"));
    });

    it("prints the usage on --help and exits 0", () => {
        for (const flag of ["--help", "-h"]) {
            const run = runPlan([flag]);
            assert.strictEqual(run.status, 0, run.stderr);
            assert.match(run.stdout, /^usage: npm run plan -- --stack <name>/);
            assert.strictEqual(run.stderr, "");
        }
    });

    it("explains bad arguments and unknown stacks with exit status 2", () => {
        const noStack = runPlan([]);
        assert.strictEqual(noStack.status, 2);
        assert.match(noStack.stderr, /--stack is required/);
        const unknown = runPlan(["--stack", "qa", "--no-policy"]);
        assert.strictEqual(unknown.status, 2);
        assert.match(unknown.stderr, /no stack file .*Pulumi\.qa\.yaml/);
        assert.strictEqual(unknown.json, undefined);
    });

    it("runs the policy pack like `pulumi preview --policy-pack`: writes the JSON, names resource and policy, exits 1", () => {
        const run = runPlan(["--program", INSECURE, "--stack", "dev"]);
        assert.strictEqual(run.status, 1, run.stderr);
        const violations = run.json!.policies!.violations;
        const found = (policy: string, name: string) => violations.find((v) => v.policy === policy && v.urn.endsWith(`::${name}`));
        for (const [policy, name] of [
            ["rds-no-public-access", "orders-writer"],
            ["ec2-no-public-admin-ingress", "all-tcp-from-internet"],
            ["ec2-imdsv2-required", "workers"],
        ]) {
            const v = found(policy, name);
            assert.ok(v, `expected ${policy} on ${name}; got ${violations.map((x) => `${x.policy}:${x.urn}`).join(", ")}`);
            assert.strictEqual(v.enforcement, "mandatory");
            assert.match(run.stdout, new RegExp(`${policy} \\(mandatory`));
        }
        assert.deepStrictEqual(run.json!.policies!.exempted, []);
        // The RDS-managed master secret is a data store of its own: without masterUserSecretKmsKeyId it is on aws/secretsmanager.
        assert.ok(violations.some((v) => v.policy === "data-store-customer-managed-key" && /masterUserSecretKmsKeyId/.test(v.message)));
        assert.match(run.stdout, /7 mandatory, 6 advisory violation\(s\)/);
    });

    it("stops the analyzer process when the plan ends", () => {
        // Every process this plan starts inherits a unique marker; none may be left once it exits.
        const marker = `plan-test-${process.pid}-${Date.now()}`;
        const run = runPlan(["--program", INSECURE, "--stack", "dev"], { RETAIL_PLAN_TEST_MARKER: marker });
        assert.ok(run.json?.policies, "the analyzer ran");
        assert.deepStrictEqual(processesWithMarker(marker), []);
    });

    it("stops the analyzer process when the plan is interrupted", async () => {
        const marker = `plan-interrupt-${process.pid}-${Date.now()}`;
        const plan = spawn(process.execPath, [path.join(REPO_ROOT, "engine", "cli.js"), "--stack", "production"], {
            cwd: REPO_ROOT,
            env: { ...process.env, RETAIL_PLAN_TEST_MARKER: marker },
            stdio: "ignore",
        });
        const exited = new Promise<number | null>((resolve) => plan.on("exit", (code) => resolve(code)));
        // Wait until the analyzer child is running (two processes carry the marker), then interrupt the plan.
        const deadline = Date.now() + 20_000;
        while (processesWithMarker(marker).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.strictEqual(processesWithMarker(marker).length, 2, "the plan and its analyzer were running");
        plan.kill("SIGINT");
        assert.strictEqual(await exited, 130);
        // A killed child can take a moment to be reaped once its parent is gone; a leak would stay.
        const reaped = Date.now() + 3_000;
        while (processesWithMarker(marker).length > 0 && Date.now() < reaped) await new Promise((r) => setTimeout(r, 50));
        assert.deepStrictEqual(processesWithMarker(marker), []);
    });
});

/** PIDs of live processes whose environment carries `marker`. */
function processesWithMarker(marker: string): number[] {
    const pids: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            if (fs.readFileSync(`/proc/${entry}/environ`, "latin1").includes(`RETAIL_PLAN_TEST_MARKER=${marker}`)) pids.push(Number(entry));
        } catch {
            // The process ended while we looked, or is not ours to read.
        }
    }
    return pids;
}
