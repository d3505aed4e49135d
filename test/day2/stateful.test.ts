// Stateful resources: their URNs are pinned, production protects them, and the replacement data covers every type.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPLACEMENT } from "../../engine/replacement";
import { PROTECTED_TYPES } from "../../stacks/protection";
import { statefulUrns } from "../support/day2";
import { planOf, REPO_ROOT } from "../support/plan";
import pinned from "./stateful-urns.json";

const STACKS = ["staging", "production"] as const;

describe("stateful resources", function () {
    this.timeout(120_000);

    it("keep the URNs pinned in test/day2/stateful-urns.json", () => {
        // A changed URN is a delete and a create to Pulumi: a renamed Aurora cluster would be replaced. If a refactor
        // changes one on purpose, give the resource `aliases: [<old URN>]` first, then regenerate the snapshot with
        //   node -r ./engine/register.js scripts/stateful-urns.ts
        for (const stack of STACKS) {
            const actual = statefulUrns(planOf(stack));
            const expected = (pinned as Record<string, string[]>)[stack];
            assert.deepStrictEqual(
                { gone: expected.filter((u) => !actual.includes(u)), added: actual.filter((u) => !expected.includes(u)) },
                { gone: [], added: [] },
                `${stack}: stateful URNs changed; add aliases for the old URNs, then regenerate test/day2/stateful-urns.json`,
            );
        }
        assert.ok(!JSON.stringify(pinned).includes("aws:lb/"), "the load balancer and target groups are not pinned");
    });

    it("are protected in production, and only they", () => {
        const plan = planOf("production");
        const types = Object.keys(PROTECTED_TYPES);
        for (const type of types)
            assert.ok(
                plan.resources.some((r) => r.type === type),
                `production declares a ${type}`,
            );
        const wrong = plan.resources
            .filter((r) => types.includes(r.type) !== !!r.options?.protect)
            .map((r) => `${r.type} ${r.name} protect=${r.options?.protect}`);
        assert.deepStrictEqual(wrong, []);
        // The ones a reader looks for first.
        for (const name of [
            "retail-platform-production-aurora-cluster",
            "retail-platform-production-aurora-writer",
            "retail-platform-production-cache",
            "retail-platform-production-cart",
        ]) {
            assert.strictEqual(plan.resources.find((r) => r.name === name && r.custom)?.options?.protect, true, name);
        }
    });

    it("stay destroyable in staging (nothing protected)", () => {
        assert.deepStrictEqual(
            planOf("staging")
                .resources.filter((r) => r.options?.protect)
                .map((r) => r.urn),
            [],
        );
    });
});

describe("replacement data (engine/forceNew.json)", function () {
    this.timeout(120_000);

    it("classifies every resource type both stacks declare: extracted from the provider, or listed as not yet", () => {
        const known = new Set([...Object.keys(REPLACEMENT.types), ...REPLACEMENT.notExtracted.types]);
        for (const stack of STACKS) {
            const unclassified = [
                ...new Set(
                    planOf(stack)
                        .resources.filter((r) => r.custom)
                        .map((r) => r.type),
                ),
            ].filter((t) => !known.has(t));
            assert.deepStrictEqual(unclassified, [], `${stack}: add these types to engine/forceNew.json`);
        }
        for (const type of Object.keys(REPLACEMENT.types))
            assert.ok(!REPLACEMENT.notExtracted.types.includes(type), `${type} is both extracted and not`);
    });

    it("names the installed provider version and, per type, a source file and commit", () => {
        const installed = JSON.parse(
            fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "aws", "package.json"), "utf8"),
        ).version;
        assert.strictEqual(REPLACEMENT.provider.version, installed);
        for (const [type, entry] of Object.entries(REPLACEMENT.types)) {
            assert.match(entry.file, /^internal\/service\/[a-z0-9]+\/[a-z0-9_]+\.go$/, type);
            assert.match(entry.commit, /^[0-9a-f]{40}$/, type);
            assert.ok(Object.keys(entry.forceNew).length > 0, type);
        }
    });

    it("uses only input names the provider's TypeScript types declare for each resource", () => {
        for (const [type, entry] of Object.entries(REPLACEMENT.types)) {
            const [, module, cls] = /^aws:([a-z0-9]+)\/([a-zA-Z0-9]+):([A-Za-z0-9]+)$/.exec(type)!;
            const dts = fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "aws", module, `${cls}.d.ts`), "utf8");
            const className = type.split(":").pop()!;
            const args = new RegExp(`export interface ${className}Args \\{([\\s\\S]*?)\\n\\}`).exec(dts);
            assert.ok(args, `${type}: no ${className}Args in ${module}/${cls}.d.ts`);
            for (const field of Object.keys(entry.forceNew)) {
                const top = field.split(".")[0];
                assert.match(args![1], new RegExp(`\\n    ${top}\\??:`), `${type}.${field} is not an input of ${className}Args`);
            }
        }
    });
});
