import * as assert from "assert";
import * as path from "path";
import { AliasResolver, createUrn } from "../../engine/aliases";
import { autonameFor, decideName, NAME_RULES, randomPart, UNNAMED_TYPES, uniqueIdSuffix } from "../../engine/naming";
import { ofType, planOf, REPO_ROOT, runPlan } from "../support/plan";

const BAD_NAMES = path.join(REPO_ROOT, "test", "fixtures", "bad-names-program");
const ALIASES = path.join(REPO_ROOT, "test", "fixtures", "alias-program");
const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;

describe("physical names as the provider makes and checks them", function () {
    this.timeout(60_000);

    describe("the autonamer", () => {
        const TG = "aws:lb/targetGroup:TargetGroup";

        it("appends the separator and 7 lowercase hex characters derived from the URN", () => {
            const d = decideName(TG, urn(TG, "api"), "api", {})!;
            assert.strictEqual(d.mode, "autonamed");
            assert.match(d.name!, /^api-[0-9a-f]{7}$/);
            assert.strictEqual(decideName(TG, urn(TG, "api"), "api", {})!.name, d.name, "deterministic");
            assert.notStrictEqual(decideName(TG, urn("x:y:Z$" + TG, "api"), "api", {})!.name, d.name, "another URN, another suffix");
            assert.strictEqual(d.deleteBeforeReplace, false, "an autonamed resource is replaced create-before-delete");
            assert.deepStrictEqual(d.errors, []);
        });

        it("refuses a name over the type's cap with the provider's message (target group 32: 24 + 8 fits, 25 + 8 does not)", () => {
            assert.deepStrictEqual(decideName(TG, urn(TG, "a".repeat(24)), "a".repeat(24), {})!.errors, []);
            const d = decideName(TG, urn(TG, "a".repeat(25)), "a".repeat(25), {})!;
            assert.deepStrictEqual(d.errors, [
                `could not make instance of '${TG}': name '${"a".repeat(25)}-' plus 7 random chars is longer than maximum length 32`,
            ]);
            assert.strictEqual(d.name, undefined);
        });

        it("caps IAM roles, Lambda functions and event rules at 64, queues and topics at 80, buckets at 63", () => {
            const capOf = (type: string) => NAME_RULES[type].autoname!.maxLength;
            assert.deepStrictEqual(
                [
                    "aws:iam/role:Role",
                    "aws:lambda/function:Function",
                    "aws:cloudwatch/eventRule:EventRule",
                    "aws:sqs/queue:Queue",
                    "aws:sns/topic:Topic",
                    "aws:s3/bucket:Bucket",
                    "aws:lb/loadBalancer:LoadBalancer",
                ].map(capOf),
                [64, 64, 64, 80, 80, 63, 255],
            );
            const fn = decideName("aws:lambda/function:Function", urn("f", "f".repeat(57)), "f".repeat(57), {})!;
            assert.match(fn.errors[0], /name 'f{57}-' plus 7 random chars is longer than maximum length 64/);
        });

        it("lower-cases bucket names before adding the random part", () => {
            const d = decideName("aws:s3/bucket:Bucket", urn("b", "Assets"), "Assets", {})!;
            assert.match(d.name!, /^assets-[0-9a-f]{7}$/);
            assert.deepStrictEqual(d.errors, []);
        });

        it("appends .fifo after the length check for FIFO queues and topics only", () => {
            const name = "q".repeat(72); // 72 + 8 = 80: at the cap, and .fifo still goes on
            const fifo = decideName("aws:sqs/queue:Queue", urn("q", name), name, { fifoQueue: true })!;
            assert.match(fifo.name!, /^q{72}-[0-9a-f]{7}\.fifo$/);
            // 85 characters: within neither the autonamer's cap nor what SQS accepts for FIFO names (75 + .fifo).
            assert.deepStrictEqual(fifo.errors, [`invalid queue name: ${fifo.name}`]);
            assert.match(decideName("aws:sqs/queue:Queue", urn("q", "jobs"), "jobs", { fifoQueue: false })!.name!, /^jobs-[0-9a-f]{7}$/);
            assert.match(
                decideName("aws:sns/topic:Topic", urn("t", "events"), "events", { fifoTopic: true })!.name!,
                /^events-[0-9a-f]{7}\.fifo$/,
            );
        });

        it("makes Glue database names from lowercase letters with an underscore", () => {
            assert.match(
                autonameFor(
                    "aws:glue/catalogDatabase:CatalogDatabase",
                    "u",
                    "Lake",
                    NAME_RULES["aws:glue/catalogDatabase:CatalogDatabase"].autoname!,
                    {},
                ).name!,
                /^lake_[a-z]{8}$/,
            );
        });

        it("puts KMS aliases under alias/", () => {
            assert.match(decideName("aws:kms/alias:Alias", urn("a", "key"), "key", {})!.name!, /^alias\/key-[0-9a-f]{7}$/);
        });

        it("leaves types the provider does not autoname to Terraform's default at create (RDS cluster: tf-<unique id>)", () => {
            const d = decideName("aws:rds/cluster:Cluster", urn("c", "orders"), "orders", {})!;
            assert.strictEqual(d.mode, "terraform-default");
            assert.match(d.name!, /^tf-\d{18}[0-9a-f]{8}$/);
            assert.strictEqual(d.deleteBeforeReplace, false);
        });

        it("keeps today's behaviour for a type it does not cover", () => {
            assert.strictEqual(decideName("aws:sfn/stateMachine:StateMachine", urn("p", "x"), "x", {}), undefined);
        });
    });

    describe("name prefixes and explicit names", () => {
        it("honours namePrefix: the provider appends a 26-character unique id, within 32 for a 6-character prefix", () => {
            const d = decideName(
                "aws:lb/targetGroup:TargetGroup",
                urn("t", "a-very-long-resource-name-indeed"),
                "a-very-long-resource-name-indeed",
                { namePrefix: "cart-" },
            )!;
            assert.strictEqual(d.mode, "prefixed");
            assert.match(d.name!, /^cart-\d{18}[0-9a-f]{8}$/);
            assert.strictEqual(d.name!.length, 31);
            assert.deepStrictEqual(d.errors, []);
            assert.strictEqual(uniqueIdSuffix("u").length, 26);
        });

        it("refuses a prefix over the type's limit", () => {
            const d = decideName("aws:lb/loadBalancer:LoadBalancer", urn("l", "alb"), "alb", { namePrefix: "origin-" })!;
            assert.ok(d.errors.includes(`"name_prefix" cannot be longer than 6 characters: "origin-"`), d.errors.join("; "));
        });

        it("checks explicit names against the provider's and AWS's rules, and marks them delete-before-replace", () => {
            const lb = decideName("aws:lb/loadBalancer:LoadBalancer", urn("l", "x"), "x", { name: "retail-platform-production-origin" })!;
            assert.deepStrictEqual(lb.errors, [`"name" cannot be longer than 32 characters: "retail-platform-production-origin"`]);
            assert.strictEqual(lb.deleteBeforeReplace, true);
            assert.deepStrictEqual(decideName("aws:lb/targetGroup:TargetGroup", urn("t", "x"), "x", { name: "-cart" })!.errors, [
                `"name" cannot begin with a hyphen`,
            ]);
            assert.deepStrictEqual(decideName("aws:s3/bucket:Bucket", urn("b", "x"), "x", { bucket: "my-Assets" })!.errors, [
                `only lowercase alphanumeric characters, periods and hyphens allowed in "my-Assets"`,
            ]);
            assert.match(
                decideName("aws:s3/bucket:Bucket", urn("b", "x"), "x", { bucket: "ab" })!.errors[0],
                /must contain from 3 to 63 characters/,
            );
            assert.match(
                decideName("aws:lambda/function:Function", urn("f", "x"), "x", { name: "f".repeat(65) })!.errors[0],
                /at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64/,
            );
            assert.deepStrictEqual(decideName("aws:sqs/queue:Queue", urn("q", "x"), "x", { name: "orders", fifoQueue: true })!.errors, [
                "invalid queue name: orders",
            ]);
            assert.deepStrictEqual(
                decideName("aws:sqs/queue:Queue", urn("q", "x"), "x", { name: "orders.fifo", fifoQueue: true })!.errors,
                [],
            );
        });

        it("treats a name not known yet as explicit and checks nothing", () => {
            const d = decideName("aws:lb/targetGroup:TargetGroup", urn("t", "x"), "x", { name: null })!;
            assert.deepStrictEqual([d.mode, d.name, d.errors], ["explicit", undefined, []]);
        });

        it("derives the random part from the URN only", () => {
            assert.strictEqual(randomPart("a", 7), randomPart("a", 7));
            assert.match(randomPart("a", 40), /^[0-9a-f]{40}$/);
        });
    });

    describe("alias resolution", () => {
        it("collapses specs with the resource's own name, type and parent, and multiplies them by the parent's aliases", () => {
            const r = new AliasResolver("dev", "shop");
            const parent = createUrn("web", "shop:shared:Site", "", "shop", "dev");
            assert.deepStrictEqual(
                r.resolve(parent, { type: "shop:shared:Site", name: "web", parent: "", aliases: [{ type: "shop:app:Site" }] }),
                ["urn:pulumi:dev::shop::shop:app:Site::web"],
            );
            const child = createUrn("web-bucket", "aws:s3/bucket:Bucket", parent, "shop", "dev");
            assert.deepStrictEqual(
                r.resolve(child, {
                    type: "aws:s3/bucket:Bucket",
                    name: "web-bucket",
                    parent,
                    aliases: [{ name: "web-assets", parentUrn: parent }],
                }),
                [
                    "urn:pulumi:dev::shop::shop:shared:Site$aws:s3/bucket:Bucket::web-assets",
                    "urn:pulumi:dev::shop::shop:app:Site$aws:s3/bucket:Bucket::web-bucket",
                    "urn:pulumi:dev::shop::shop:app:Site$aws:s3/bucket:Bucket::web-assets",
                ],
            );
        });
    });

    describe("the plan", () => {
        it("fails a program with an over-long ALB, target group and IAM role and a FIFO queue named without .fifo: exactly four errors, exit 1", () => {
            const run = runPlan(["--program", BAD_NAMES, "--stack", "dev", "--no-policy"]);
            assert.strictEqual(run.status, 1, run.stderr);
            assert.strictEqual(run.json, undefined, "a failed preview writes no plan");
            const errors = run.stderr.split("\n").filter((l) => l.trim().startsWith("error:"));
            assert.deepStrictEqual(
                errors.map((l) => l.trim().replace(/ \(urn:[^)]*\)/, "")),
                [
                    "error: aws:iam/role:Role resource 'retail-platform-production-storefront-task-execution-role': could not make instance of 'aws:iam/role:Role': name 'retail-platform-production-storefront-task-execution-role-' plus 7 random chars is longer than maximum length 64",
                    `error: aws:lb/loadBalancer:LoadBalancer resource 'storefront-origin-load-balancer': "name" cannot be longer than 32 characters: "storefront-origin-load-balancer-${randomPart("urn:pulumi:dev::bad-names-shop::aws:lb/loadBalancer:LoadBalancer::storefront-origin-load-balancer", 7)}"`,
                    "error: aws:lb/targetGroup:TargetGroup resource 'storefront-api-target-group': could not make instance of 'aws:lb/targetGroup:TargetGroup': name 'storefront-api-target-group-' plus 7 random chars is longer than maximum length 32",
                    "error: aws:sqs/queue:Queue resource 'orders': invalid queue name: orders-queue",
                ],
            );
            assert.ok(!run.stderr.includes("    at "), "no stack trace");
        });

        it("records the resolved alias URNs: children of a re-typed or renamed component answer to their old URNs", () => {
            const run = runPlan(["--program", ALIASES, "--stack", "dev", "--no-policy"]);
            assert.strictEqual(run.status, 0, run.stderr);
            const byName = (n: string) => run.json!.resources.find((r) => r.name === n)!;
            const base = "urn:pulumi:dev::alias-shop::";
            assert.deepStrictEqual(byName("assets-shelf-events").aliases, [
                `${base}shop:storage:Store$shop:shared:Shelf$aws:sns/topic:Topic::assets-shelf-events`,
            ]);
            assert.deepStrictEqual(byName("media-jobs").aliases, [
                `${base}shop:shared:Store$aws:sqs/queue:Queue::media-queue`,
                `${base}shop:storage:Store$aws:sqs/queue:Queue::media-jobs`,
                `${base}shop:storage:Store$aws:sqs/queue:Queue::media-queue`,
                `${base}shop:shared:Store$aws:sqs/queue:Queue::images-jobs`,
                `${base}shop:shared:Store$aws:sqs/queue:Queue::images-queue`,
            ]);
            assert.deepStrictEqual(byName("media-shelf-events").aliases, [
                `${base}shop:storage:Store$shop:shared:Shelf$aws:sns/topic:Topic::media-shelf-events`,
                `${base}shop:shared:Store$shop:shared:Shelf$aws:sns/topic:Topic::images-shelf-events`,
            ]);
            assert.deepStrictEqual(byName("audit").aliases, [
                `${base}aws:sqs/queue:Queue::audit-log`,
                `${base}aws:sqs/queue:Queue::audit-trail`,
            ]);
            assert.strictEqual(byName("alias-shop-dev").aliases, undefined, "no aliases, no key");
        });

        it("has naming rules for every resource type of the test fixtures", () => {
            const types = new Set<string>();
            for (const fixture of ["insecure-program", "other-program", "alias-program"]) {
                const run = runPlan(["--program", path.join(REPO_ROOT, "test", "fixtures", fixture), "--stack", "dev", "--no-policy"]);
                assert.strictEqual(run.status, 0, run.stderr);
                for (const r of run.json!.resources) if (r.custom) types.add(r.type);
            }
            // The refused fixture writes no plan: its types, as declared.
            for (const t of [
                "aws:ec2/vpc:Vpc",
                "aws:ec2/subnet:Subnet",
                "aws:lb/loadBalancer:LoadBalancer",
                "aws:lb/targetGroup:TargetGroup",
                "aws:iam/role:Role",
                "aws:sqs/queue:Queue",
            ])
                types.add(t);
            assert.deepStrictEqual(
                [...types].filter((t) => !NAME_RULES[t] && !UNNAMED_TYPES.has(t)),
                [],
            );
        });

        for (const stack of ["staging", "production"]) {
            it(`${stack}: every resource type has naming rules, and the ALB and target groups are named by prefix within 32`, () => {
                const plan = planOf(stack);
                const uncovered = [
                    ...new Set(
                        plan.resources.filter((r) => r.custom && !NAME_RULES[r.type] && !UNNAMED_TYPES.has(r.type)).map((r) => r.type),
                    ),
                ];
                assert.deepStrictEqual(uncovered, []);
                for (const r of [...ofType(plan, "aws:lb/loadBalancer:LoadBalancer"), ...ofType(plan, "aws:lb/targetGroup:TargetGroup")]) {
                    assert.strictEqual(r.inputs.name, undefined, `${r.name} sets no name`);
                    assert.strictEqual(r.naming!.mode, "prefixed");
                    assert.ok(r.naming!.name!.length <= 32, r.naming!.name);
                    assert.strictEqual(r.naming!.deleteBeforeReplace, false, "replaced create-before-delete");
                }
            });

            it(`${stack}: records explicit names as delete-before-replace and shows autonamed names as inputs`, () => {
                const plan = planOf(stack);
                const bus = ofType(plan, "aws:cloudwatch/eventBus:EventBus")[0];
                assert.deepStrictEqual([bus.naming!.mode, bus.naming!.deleteBeforeReplace], ["explicit", true]);
                // Every role: the ones the program names (the analytics tier names its Glue roles) replace delete-first;
                // the rest are autonamed, and the generated name is an input.
                const roles = ofType(plan, "aws:iam/role:Role");
                assert.ok(roles.some((r) => r.naming!.mode === "autonamed") && roles.some((r) => r.naming!.mode === "explicit"));
                for (const role of roles) {
                    assert.ok(["explicit", "autonamed"].includes(role.naming!.mode), role.name);
                    assert.strictEqual(role.naming!.deleteBeforeReplace, role.naming!.mode === "explicit", role.name);
                    assert.strictEqual(role.inputs.name, role.naming!.name, role.name);
                    if (role.naming!.mode === "autonamed") assert.match(String(role.inputs.name), new RegExp(`^${role.name}-[0-9a-f]{7}$`));
                }
                const attachment = ofType(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")[0];
                assert.strictEqual(attachment.naming!.deleteBeforeReplace, true, "the provider always replaces attachments delete-first");
            });
        }
    });
});
