// Day-2 changes planned before and after through the engine: existing stateful resources (matched by URN) keep
// every input the provider replaces on, and existing PBCs keep their listener priorities.
import * as assert from "assert";
import { parseIpv4Cidr } from "../../config/cidr";
import { replacementsBetween } from "../../engine/replacement";
import { addReviewsPbc, basePlan, changedPlan, raiseAzCount, STATEFUL_TYPES } from "../support/day2";
import { ofType, PlanJson } from "../support/plan";

function stateful(plan: PlanJson) {
    return plan.resources.filter((r) => STATEFUL_TYPES.includes(r.type));
}

function assertNothingReplaced(base: PlanJson, changed: PlanJson): void {
    const kept = stateful(base);
    assert.ok(kept.length > 40, `expected the stateful resources of the stack, got ${kept.length}`);
    const urns = new Set(changed.resources.map((r) => r.urn));
    assert.deepStrictEqual(
        kept.filter((r) => !urns.has(r.urn)).map((r) => r.urn),
        [],
        "no existing stateful resource disappears",
    );
    const { replaced } = replacementsBetween(kept, changed.resources);
    assert.deepStrictEqual(
        replaced.map((r) => `${r.urn} ${r.field}: ${JSON.stringify(r.before)} -> ${JSON.stringify(r.after)}`),
        [],
    );
}

/**
 * Every resource the change keeps (same URN), of any type: none of a type the provider data has no entry for, and
 * the only replacements are new ECS task definition revisions (immutable: a changed container definition registers a
 * new revision while the service rolls onto it).
 */
function assertOnlyTaskDefinitionRevisions(base: PlanJson, changed: PlanJson): void {
    const { replaced, unknownTypes } = replacementsBetween(base.resources, changed.resources);
    assert.deepStrictEqual(unknownTypes, [], "every changed type is in engine/forceNew.json");
    assert.deepStrictEqual(
        replaced.filter((r) => r.type !== "aws:ecs/taskDefinition:TaskDefinition").map((r) => `${r.urn} ${r.field}`),
        [],
    );
}

/** The inputs that differ between the two plans for the resource of `type` named `*suffix`. */
function changedInputs(base: PlanJson, changed: PlanJson, type: string, suffix: string): string[] {
    const [a, b] = [base, changed].map((p) => ofType(p, type).find((r) => r.name.endsWith(suffix)));
    assert.ok(a && b, `${type} *${suffix} in both plans`);
    return [...new Set([...Object.keys(a.inputs), ...Object.keys(b.inputs)])]
        .filter((k) => JSON.stringify(a.inputs[k]) !== JSON.stringify(b.inputs[k]))
        .sort();
}

function priorities(plan: PlanJson): Map<string, number> {
    return new Map(ofType(plan, "aws:lb/listenerRule:ListenerRule").map((r) => [r.urn, r.inputs.priority]));
}

for (const stack of ["staging", "production"]) {
    describe(`day-2 changes (${stack})`, function () {
        this.timeout(180_000);

        describe("a new PBC", () => {
            let base: PlanJson;
            let changed: PlanJson;
            before(() => {
                base = basePlan(stack);
                changed = changedPlan("new-pbc", stack, addReviewsPbc);
            });

            it("replaces no existing stateful resource", () => assertNothingReplaced(base, changed));

            it("replaces nothing else but task definition revisions; the operations dashboard gains the PBC in place", () => {
                assertOnlyTaskDefinitionRevisions(base, changed);
                // The dashboard body is put in place (PutDashboard); only dashboard_name replaces.
                assert.deepStrictEqual(changedInputs(base, changed, "aws:cloudwatch/dashboard:Dashboard", "-operations-dashboard"), [
                    "dashboardBody",
                ]);
            });

            it("keeps every existing listener rule's priority, and the new rules collide with none", () => {
                const old = priorities(base);
                const next = priorities(changed);
                for (const [urn, priority] of old) assert.strictEqual(next.get(urn), priority, urn);
                const added = [...next].filter(([urn]) => !old.has(urn));
                assert.strictEqual(added.length, 1);
                assert.match(added[0][0], /-reviews-rule-0$/);
                assert.strictEqual(new Set(next.values()).size, next.size, "priorities unique on the listener");
            });
        });

        describe("network.azCount 3 -> 4", () => {
            let base: PlanJson;
            let changed: PlanJson;
            before(() => {
                base = basePlan(stack);
                changed = changedPlan("az4", stack, raiseAzCount);
            });

            it("replaces no existing stateful resource (subnets keep their CIDR and AZ)", () => assertNothingReplaced(base, changed));

            it("replaces nothing else; the payment NACL associates the new subnet in place", () => {
                assertOnlyTaskDefinitionRevisions(base, changed);
                assert.deepStrictEqual(replacementsBetween(base.resources, changed.resources).replaced, []);
                // subnet_ids is re-associated in place; only vpc_id replaces a network ACL.
                assert.deepStrictEqual(changedInputs(base, changed, "aws:ec2/networkAcl:NetworkAcl", "-payment-nacl"), ["subnetIds"]);
            });

            it("adds one subnet per class that overlaps no existing subnet", () => {
                const oldSubnets = ofType(base, "aws:ec2/subnet:Subnet");
                const newSubnets = ofType(changed, "aws:ec2/subnet:Subnet").filter((s) => !oldSubnets.some((o) => o.urn === s.urn));
                assert.deepStrictEqual(newSubnets.map((s) => s.name.replace(/^retail-platform-[a-z]+-/, "")).sort(), [
                    "application-3",
                    "data-3",
                    "payment-3",
                    "public-3",
                ]);
                const all = ofType(changed, "aws:ec2/subnet:Subnet").map((s) => ({ name: s.name, c: parseIpv4Cidr(s.inputs.cidrBlock)! }));
                for (const a of all) {
                    for (const b of all) {
                        if (a === b) continue;
                        const overlap = a.c.base < b.c.base + 2 ** (32 - b.c.prefix) && b.c.base < a.c.base + 2 ** (32 - a.c.prefix);
                        assert.ok(!overlap, `${a.name} overlaps ${b.name}`);
                    }
                }
            });

            it("keeps every payment NACL rule as it was (an entry's number and CIDR cannot change in place)", () => {
                const rules = (p: PlanJson) =>
                    new Map(ofType(p, "aws:ec2/networkAclRule:NetworkAclRule").map((r) => [r.urn, JSON.stringify(r.inputs)]));
                const old = rules(base);
                const next = rules(changed);
                for (const [urn, inputs] of old) assert.strictEqual(next.get(urn), inputs, urn);
                assert.ok(next.size > old.size, "the new AZ's rules are added");
            });

            it("keeps the listener priorities", () => {
                assert.deepStrictEqual([...priorities(changed)], [...priorities(base)]);
            });
        });
    });
}

describe("the day-2 diff itself", () => {
    it("reports a changed replace-on field, ignores the others, and lists changed types it has no data for", () => {
        const subnet = {
            urn: "urn:s",
            type: "aws:ec2/subnet:Subnet",
            inputs: { cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: false, tags: { a: "1" } },
        };
        const rule = { urn: "urn:r", type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "arn:l", priority: 10 } };
        // A type the data has no entry for (every type the stacks declare has one): any change may replace it.
        const unread = { urn: "urn:t", type: "test:index/unread:Unread", inputs: { name: "t" } };
        const { replaced, unknownTypes } = replacementsBetween(
            [subnet, rule, unread],
            [
                { ...subnet, inputs: { ...subnet.inputs, cidrBlock: "10.0.1.0/24", tags: { a: "2" } } },
                { ...rule, inputs: { ...rule.inputs, priority: 20 } },
                { ...unread, inputs: { name: "u" } },
            ],
        );
        assert.deepStrictEqual(
            replaced.map((r) => [r.urn, r.field, r.before, r.after]),
            [["urn:s", "cidrBlock", "10.0.0.0/24", "10.0.1.0/24"]],
        );
        assert.deepStrictEqual(unknownTypes, ["test:index/unread:Unread"]);
    });

    it("treats a set of subnet ids as a set, and a nested block field by its path", () => {
        const cache = { urn: "urn:c", type: "aws:elasticache/serverlessCache:ServerlessCache", inputs: { subnetIds: ["a", "b", "c"] } };
        assert.deepStrictEqual(replacementsBetween([cache], [{ ...cache, inputs: { subnetIds: ["c", "b", "a"] } }]).replaced, []);
        assert.strictEqual(replacementsBetween([cache], [{ ...cache, inputs: { subnetIds: ["a", "b", "c", "d"] } }]).replaced.length, 1);
        const cluster = { urn: "urn:a", type: "aws:rds/cluster:Cluster", inputs: { s3Import: { bucketName: "x" } } };
        assert.deepStrictEqual(
            replacementsBetween([cluster], [{ ...cluster, inputs: { s3Import: { bucketName: "y" } } }]).replaced.map((r) => r.field),
            ["s3Import.bucketName"],
        );
    });

    it("tells a type read with nothing that replaces from a type not read", () => {
        // aws_internet_gateway: vpc_id is updated in place (detach, attach).
        const igw = { urn: "urn:i", type: "aws:ec2/internetGateway:InternetGateway", inputs: { vpcId: "vpc-1" } };
        const unread = { urn: "urn:u", type: "test:index/unread:Unread", inputs: { vpcId: "vpc-1" } };
        const moved = (r: typeof igw) => ({ ...r, inputs: { vpcId: "vpc-2" } });
        assert.deepStrictEqual(replacementsBetween([igw, unread], [moved(igw), moved(unread)]), {
            replaced: [],
            unknownTypes: ["test:index/unread:Unread"],
        });
    });
});

describe("day-2: a new cache or cluster endpoint reaches the services", function () {
    this.timeout(180_000);

    // A replaced cache or Aurora cluster has a new endpoint; the runtime parameters carry it to the services.
    for (const suffix of ["-runtime-cache-endpoint", "-runtime-writer-endpoint", "-runtime-reader-endpoint"]) {
        it(`updates ${suffix.slice(1)} in place (PutParameter overwrite); only its name or data type would replace it`, () => {
            const parameter = ofType(basePlan("production"), "aws:ssm/parameter:Parameter").find((r) => r.name.endsWith(suffix));
            assert.ok(parameter, suffix);
            assert.match(String(parameter.inputs.insecureValue), /amazonaws\.com$/);
            const next = { ...parameter, inputs: { ...parameter.inputs, insecureValue: "other.example.amazonaws.com" } };
            assert.deepStrictEqual(replacementsBetween([parameter], [next]), { replaced: [], unknownTypes: [] });
            const renamed = { ...parameter, inputs: { ...parameter.inputs, name: `${parameter.inputs.name}-v2` } };
            assert.deepStrictEqual(
                replacementsBetween([parameter], [renamed]).replaced.map((r) => r.field),
                ["name"],
            );
        });
    }
});
