import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import {
    DiffPlan,
    DiffResource,
    diffPlans,
    formatDiffMarkdown,
    formatDiffText,
    GITHUB_COMMENT_LIMIT,
    localForcesReplacement,
    schemaForcesReplacement,
    truncate,
} from "../../engine/diff";
import { mockAssignedIds } from "../../engine/mocks";
import { autonameFor, NAME_RULES } from "../../engine/naming";
import { REPO_ROOT, runPlan } from "../support/plan";

const STACK = "urn:pulumi:production::shop::";
const urn = (chain: string, name: string) => `${STACK}${chain}::${name}`;
const res = (chain: string, name: string, inputs: Record<string, unknown>, extra: Partial<DiffResource> = {}): DiffResource => {
    const type = chain.split("$").pop()!;
    return { urn: urn(chain, name), type, name, parent: null, inputs, ...extra };
};
const plan = (resources: DiffResource[], extra: Partial<DiffPlan> = {}): DiffPlan => ({ stack: "production", resources, ...extra });

const CLUSTER = "retail:data:Tier$aws:rds/cluster:Cluster";
const BUCKET = "retail:data:Tier$aws:s3/bucket:Bucket";
const QUEUE = "retail:events:Tier$aws:sqs/queue:Queue";

describe("plan diff", () => {
    const db = res(CLUSTER, "db", {
        clusterIdentifier: "shop-db",
        engine: "aurora-postgresql",
        backupRetentionPeriod: 7,
        masterPassword: "[secret]",
    });

    it("matches by URN and lists changed fields, marking those that force replacement and secrets", () => {
        const after = res(CLUSTER, "db", {
            clusterIdentifier: "shop-db2",
            engine: "aurora-postgresql",
            backupRetentionPeriod: 14,
            masterPassword: "[secret]",
        });
        const d = diffPlans(plan([db]), plan([after]));
        assert.strictEqual(d.changed.length, 1);
        const c = d.changed[0];
        assert.strictEqual(c.kind, "replace");
        assert.deepStrictEqual(c.fields, [
            { field: "backupRetentionPeriod" },
            { field: "clusterIdentifier", mark: "replacement" },
            { field: "masterPassword", mark: "secret — not compared" },
        ]);
        assert.strictEqual(c.deleteBeforeReplace, true, "an explicit clusterIdentifier: the old cluster must go first");
    });

    it("an in-place update is not a replacement; unchanged resources are not listed", () => {
        const q = res(QUEUE, "q", { name: "orders", visibilityTimeoutSeconds: 30 });
        const d = diffPlans(plan([db, q]), plan([db, { ...q, inputs: { ...q.inputs, visibilityTimeoutSeconds: 60 } }]));
        assert.deepStrictEqual(
            d.changed.map((c) => [c.urn, c.kind, c.deleteBeforeReplace]),
            [[q.urn, "update", false]],
        );
    });

    it("a field the program ignores after creation is not a change", () => {
        const svc = res(
            "retail:application:Tier$aws:ecs/service:Service",
            "svc",
            { name: "cart", desiredCount: 2 },
            { options: { ignoreChanges: ["desiredCount"] } },
        );
        const d = diffPlans(plan([svc]), plan([{ ...svc, inputs: { name: "cart", desiredCount: 1 } }]));
        assert.deepStrictEqual(d.changed, []);
    });

    it("a URN on one side only with the same type and name is replaced (delete + create)", () => {
        const moved = res("retail:storage:Tier$aws:s3/bucket:Bucket", "assets", { bucket: "shop-assets" });
        const d = diffPlans(plan([res(BUCKET, "assets", { bucket: "shop-assets" })]), plan([moved]));
        assert.strictEqual(d.replacedByUrn.length, 1);
        assert.deepStrictEqual([d.created.length, d.deleted.length], [0, 0]);
        const text = formatDiffText(d);
        assert.match(text.split("\n")[0], /^!! STATEFUL PRODUCTION RESOURCE: .*assets is deleted and re-created/);
    });

    it("an alias links the two URNs: no replacement, fields compared", () => {
        const old = res(BUCKET, "assets", { bucket: "shop-assets", forceDestroy: false });
        const moved = res(
            "retail:storage:Tier$aws:s3/bucket:Bucket",
            "assets",
            { bucket: "shop-assets", forceDestroy: true },
            { aliases: [old.urn] },
        );
        const d = diffPlans(plan([old]), plan([moved]));
        assert.deepStrictEqual(d.replacedByUrn, []);
        assert.deepStrictEqual(d.aliased, [{ from: old.urn, to: moved.urn }]);
        assert.deepStrictEqual(
            d.changed.map((c) => [c.kind, c.aliasedFrom]),
            [["update", old.urn]],
        );
    });

    it("children inherit their parent component's alias (re-typing a component replaces nothing)", () => {
        const oldParent = res("retail:data:Bucket", "assets", {});
        const oldChild = res(
            "retail:data:Bucket$aws:s3/bucket:Bucket",
            "assets-bucket",
            { bucket: "shop-assets" },
            { parent: oldParent.urn },
        );
        const newParent = res("retail:data:SecureBucket", "assets", {}, { aliases: [oldParent.urn] });
        const newChild = res(
            "retail:data:SecureBucket$aws:s3/bucket:Bucket",
            "assets-bucket",
            { bucket: "shop-assets" },
            { parent: newParent.urn },
        );
        const d = diffPlans(plan([oldParent, oldChild]), plan([newParent, newChild]));
        assert.deepStrictEqual(d.replacedByUrn, []);
        assert.deepStrictEqual(d.aliased.map((a) => a.to).sort(), [newChild.urn, newParent.urn].sort());
        assert.deepStrictEqual([d.created, d.deleted, d.changed], [[], [], []]);
    });

    it("a child renamed with an alias keeps its autonamed name and assigned id (and every reference to them)", () => {
        const ROLE = "retail:application:PbcService$aws:iam/role:Role";
        const DEF = "retail:application:PbcService$aws:ecs/taskDefinition:TaskDefinition";
        const named = (chain: string, name: string) =>
            autonameFor("aws:iam/role:Role", urn(chain, name), name, NAME_RULES["aws:iam/role:Role"].autoname!, {}).name!;
        const arnOf = (n: string) => `arn:aws:iam::123456789012:role/${n}`;
        const oldRole = res(ROLE, "cart-task", { name: named(ROLE, "cart-task") });
        const oldDef = res(DEF, "cart-task", {
            family: "cart",
            taskRoleArn: arnOf(named(ROLE, "cart-task")),
            executionRoleArn: mockAssignedIds("aws:iam/role:Role", "cart-execution")[0],
        });
        const newRole = res(ROLE, "cart-task-role", { name: named(ROLE, "cart-task-role") }, { aliases: [oldRole.urn] });
        const newDef = res(DEF, "cart-task", {
            family: "cart",
            taskRoleArn: arnOf(named(ROLE, "cart-task-role")),
            executionRoleArn: mockAssignedIds("aws:iam/role:Role", "cart-execution")[0],
        });
        const d = diffPlans(plan([oldRole, oldDef]), plan([newRole, newDef]));
        assert.deepStrictEqual(d.aliased, [{ from: oldRole.urn, to: newRole.urn }]);
        assert.deepStrictEqual(d.changed, [], "the provider reuses the old autonamed name; the task definition is not replaced");
        // Without the alias the role is deleted and created under its new name, and the task definition follows.
        const unlinked = diffPlans(plan([oldRole, oldDef]), plan([{ ...newRole, aliases: [] }, newDef]));
        assert.deepStrictEqual(
            unlinked.changed.map((c) => [c.kind, c.fields.map((f) => f.field)]),
            [["replace", ["taskRoleArn"]]],
        );
    });

    it("a kept id replaces the longest match first (an id can start another one)", () => {
        const DEST = "retail:ingress:Cdn$aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination";
        const DELIVERY = "retail:ingress:Cdn$aws:cloudwatch/logDelivery:LogDelivery";
        const type = "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination";
        const idOf = (name: string) => mockAssignedIds(type, name)[0];
        const oldDest = res(DEST, "logs", { name: "cf-s3" });
        const newDest = res(DEST, "logs-destination", { name: "cf-s3" }, { aliases: [oldDest.urn] });
        const delivery = (id: string) =>
            res(DELIVERY, "logs", { deliveryDestinationArn: `arn:aws:logs:us-east-1:123456789012:delivery-destination/${id}` });
        const d = diffPlans(plan([oldDest, delivery(idOf("logs"))]), plan([newDest, delivery(idOf("logs-destination"))]));
        assert.deepStrictEqual(d.changed, []);
    });

    it("violations keyed by (policy, URN): new and resolved; the cost delta per tier", () => {
        const v = (policy: string, u: string) => ({ policy, urn: u, message: `${policy} on ${u}`, enforcement: "mandatory" });
        const before = plan([db], {
            policies: { violations: [v("a", db.urn), v("b", db.urn)] },
            cost: { monthlyUsd: 100, byTier: { data: 60, networking: 40 } },
        });
        const after = plan([db], {
            policies: { violations: [v("b", db.urn), v("a", "urn:other")] },
            cost: { monthlyUsd: 135.5, byTier: { data: 95.5, networking: 40 } },
        });
        const d = diffPlans(before, after);
        assert.deepStrictEqual(
            d.newViolations.map((x) => [x.policy, x.urn]),
            [["a", "urn:other"]],
        );
        assert.deepStrictEqual(
            d.resolvedViolations.map((x) => [x.policy, x.urn]),
            [["a", db.urn]],
        );
        assert.deepStrictEqual(d.cost, { before: 100, after: 135.5, delta: 35.5, byTier: { data: 35.5 } });
        assert.match(formatDiffText(d), /Monthly cost: \$100\.00 → \$135\.50 \(\+\$35\.50\); data \+\$35\.50/);
    });

    it("Markdown: summary first, the stateful production warning above it, created/deleted listed", () => {
        const after = res(CLUSTER, "db", { ...db.inputs, engine: "aurora-mysql" });
        const md = formatDiffMarkdown(diffPlans(plan([db]), plan([after, res(QUEUE, "new", { name: "n" })])));
        const lines = md.split("\n");
        assert.match(lines[0], /^### Plan diff: `production`/);
        assert.match(lines[2], /^> \[!CAUTION\]/);
        assert.ok(md.indexOf("**1 to create, 0 to update, 1 to replace, 0 to delete**") < md.indexOf("#### "));
        assert.match(
            md,
            /#### Replaced \(fields that force replacement\)\n\n- `.*::db` — delete-before-replace \(explicit name\): engine \(replacement\)/,
        );
    });

    it("staging does not raise the production warning", () => {
        const after = res(CLUSTER, "db", { ...db.inputs, engine: "aurora-mysql" });
        const md = formatDiffMarkdown(diffPlans({ ...plan([db]), stack: "staging" }, { ...plan([after]), stack: "staging" }));
        assert.ok(!md.includes("[!CAUTION]"));
    });

    it("truncates under GitHub's comment limit with a note", () => {
        const many = Array.from({ length: 3000 }, (_, i) => res(QUEUE, `queue-with-a-long-name-${i}`, { name: `q${i}` }));
        const md = formatDiffMarkdown(diffPlans(plan([]), plan(many)));
        assert.ok(md.length <= GITHUB_COMMENT_LIMIT, `${md.length}`);
        assert.match(md, /_… truncated: \d+ more line\(s\) of the diff are not shown/);
        assert.match(md, /\*\*3000 to create/);
        assert.strictEqual(truncate("h\n", ["a", "b"], 1000), "h\na\nb\n");
    });

    it("by default replaces on the provider schema's ForceNew data, the local floor, and any change of an unread type", () => {
        // From engine/forceNew.json only (aws_flow_log.traffic_type is ForceNew; the local table has no flow logs).
        assert.strictEqual(schemaForcesReplacement("aws:ec2/flowLog:FlowLog", "trafficType"), true);
        assert.strictEqual(localForcesReplacement("aws:ec2/flowLog:FlowLog", "trafficType"), false);
        // Read, and nothing replaces: an internet gateway moves VPC in place.
        assert.strictEqual(schemaForcesReplacement("aws:ec2/internetGateway:InternetGateway", "vpcId"), false);
        // The local floor where a stored schema snapshot predates the field.
        assert.strictEqual(schemaForcesReplacement("aws:s3/bucket:Bucket", "objectLockEnabled"), true);
        // Conditional replacement: a security-group rule replaces only when its source kind changes.
        const rule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
        assert.strictEqual(schemaForcesReplacement(rule, "cidrIpv4", "10.0.0.0/16", "10.1.0.0/16"), false);
        assert.strictEqual(schemaForcesReplacement(rule, "cidrIpv4", "10.0.0.0/16", undefined), true);
        assert.strictEqual(schemaForcesReplacement(rule, "referencedSecurityGroupId", undefined, "sg-1"), true);
        // A load balancer's subnets replace a network load balancer only.
        const lb = "aws:lb/loadBalancer:LoadBalancer";
        assert.strictEqual(schemaForcesReplacement(lb, "subnets", ["a", "b"], ["a", "b", "c"], { loadBalancerType: "application" }), false);
        assert.strictEqual(schemaForcesReplacement(lb, "subnets", ["a", "b"], ["a"], { loadBalancerType: "network" }), true);
        // Other conditions the data notes but the diff cannot evaluate count as replacing; so does a region change.
        assert.strictEqual(schemaForcesReplacement("aws:ssm/parameter:Parameter", "tier", "Advanced", "Standard"), true);
        assert.strictEqual(schemaForcesReplacement("aws:sqs/queue:Queue", "region", undefined, "eu-central-1"), true);
        // A type in neither: any change may replace.
        assert.strictEqual(schemaForcesReplacement("aws:foo/bar:Bar", "anything"), true);
        const flow = res("aws:ec2/flowLog:FlowLog", "flow", { trafficType: "REJECT", tags: { a: "1" } });
        const d = diffPlans(plan([flow]), plan([{ ...flow, inputs: { trafficType: "ALL", tags: { a: "2" } } }]));
        assert.deepStrictEqual(d.changed[0].fields, [{ field: "tags" }, { field: "trafficType", mark: "replacement" }]);
        assert.strictEqual(d.changed[0].kind, "replace");
    });

    it("the local ForceNew table can be swapped for another forcesReplacement", () => {
        assert.strictEqual(localForcesReplacement("aws:sqs/queue:Queue", "fifoQueue"), true);
        const q = res(QUEUE, "q", { name: "orders", delaySeconds: 0 });
        const d = diffPlans(plan([q]), plan([{ ...q, inputs: { name: "orders", delaySeconds: 5 } }]), {
            forcesReplacement: (_t, f) => f === "delaySeconds",
        });
        assert.strictEqual(d.changed[0].kind, "replace");
        const nested = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { blockDeviceMappings: [{ ebs: { volumeSize: 8 } }] });
        const d2 = diffPlans(plan([nested]), plan([{ ...nested, inputs: { blockDeviceMappings: [{ ebs: { volumeSize: 16 } }] } }]), {
            forcesReplacement: (_t, f) => f === "blockDeviceMappings.ebs.volumeSize",
        });
        assert.deepStrictEqual(d2.changed[0].fields, [{ field: "blockDeviceMappings", mark: "replacement" }]);
    });

    it("runs standalone on two plan files and writes Markdown", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diff-"));
        fs.writeFileSync(path.join(dir, "a.json"), JSON.stringify(plan([db])));
        fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify(plan([])));
        const r = spawnSync(
            process.execPath,
            [
                "-r",
                path.join(REPO_ROOT, "engine", "register.js"),
                path.join(REPO_ROOT, "engine", "diff.ts"),
                path.join(dir, "a.json"),
                path.join(dir, "b.json"),
                "--markdown",
                path.join(dir, "d.md"),
            ],
            { encoding: "utf8" },
        );
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /!! STATEFUL PRODUCTION RESOURCE: .*::db is deleted/);
        assert.match(fs.readFileSync(path.join(dir, "d.md"), "utf8"), /#### Deleted/);
    });

    it("npm run plan -- --base compares the new plan with an earlier JSON", function () {
        this.timeout(120_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diff-plan-"));
        const base = {
            stack: "dev",
            resources: [
                {
                    urn: "urn:pulumi:dev::insecure-shop::aws:s3/bucket:Bucket::gone",
                    type: "aws:s3/bucket:Bucket",
                    name: "gone",
                    inputs: {},
                },
            ],
            cost: { monthlyUsd: 1, byTier: {} },
        };
        fs.writeFileSync(path.join(dir, "base.json"), JSON.stringify(base));
        const run = runPlan([
            "--stack",
            "dev",
            "--program",
            path.join(REPO_ROOT, "test", "fixtures", "insecure-program"),
            "--base",
            path.join(dir, "base.json"),
            "--diff-markdown",
            path.join(dir, "diff.md"),
        ]);
        assert.match(run.stdout, /Plan diff for dev: \d+ to create, 0 to update, 0 to replace, 1 to delete/);
        assert.match(run.stdout, /Monthly cost: \$1\.00 → \$\d/);
        const md = fs.readFileSync(path.join(dir, "diff.md"), "utf8");
        assert.match(md, /#### Deleted\n\n- `urn:pulumi:dev::insecure-shop::aws:s3\/bucket:Bucket::gone`/);
    });
});
