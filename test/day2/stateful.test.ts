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

/** Declared types the replacement data neither lists as read nor as not yet read. */
function unclassifiedTypes(types: Iterable<string>): string[] {
    const known = new Set([...Object.keys(REPLACEMENT.types), ...REPLACEMENT.notExtracted.types]);
    return [...new Set(types)].filter((t) => !known.has(t));
}

/** The installed provider package whose TypeScript types declare a type's inputs (@pulumi/aws or @pulumi/random). */
function providerPackage(type: string): string {
    return type.startsWith("random:") ? "random" : "aws";
}

describe("replacement data (engine/forceNew.json)", function () {
    this.timeout(120_000);

    it("classifies every resource type both stacks declare: extracted from the provider, or listed as not yet", () => {
        for (const stack of STACKS) {
            const declared = planOf(stack)
                .resources.filter((r) => r.custom)
                .map((r) => r.type);
            assert.deepStrictEqual(unclassifiedTypes(declared), [], `${stack}: add these types to engine/forceNew.json`);
        }
        for (const type of Object.keys(REPLACEMENT.types))
            assert.ok(!REPLACEMENT.notExtracted.types.includes(type), `${type} is both extracted and not`);
    });

    it("fails for a declared type that is in neither list", () => {
        assert.deepStrictEqual(unclassifiedTypes(["aws:ec2/vpc:Vpc", "test:index/unread:Unread", "test:index/unread:Unread"]), [
            "test:index/unread:Unread",
        ]);
    });

    it("names the installed provider versions and, per type, a source file and commit", () => {
        const installed = (pkg: string) =>
            JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@pulumi", pkg, "package.json"), "utf8")).version as string;
        assert.strictEqual(REPLACEMENT.provider.version, installed("aws"));
        // terraform-provider-random v3 is what @pulumi/random 4.x bridges.
        assert.match(installed("random"), /^4\./);
        for (const [type, entry] of Object.entries(REPLACEMENT.types)) {
            if (providerPackage(type) === "random") {
                assert.strictEqual(entry.repository, "hashicorp/terraform-provider-random", type);
                assert.match(entry.file, /^internal\/provider\/[a-z0-9_]+\.go$/, type);
            } else {
                assert.strictEqual(entry.repository, undefined, type);
                assert.match(entry.file, /^internal\/service\/[a-z0-9]+\/[a-z0-9_]+\.go$/, type);
            }
            assert.match(entry.commit, /^[0-9a-f]{40}$/, type);
            assert.ok(entry.forceNew && typeof entry.forceNew === "object", type);
            // "Read, nothing replaces" must say what was read, so it cannot be mistaken for a forgotten entry.
            if (Object.keys(entry.forceNew).length === 0)
                assert.ok((entry.note ?? "").length > 20, `${type}: an empty forceNew needs a note`);
        }
    });

    it("uses only input names the provider's TypeScript types declare for each resource", () => {
        const inputTypes = new Map<string, string>();
        for (const [type, entry] of Object.entries(REPLACEMENT.types)) {
            const [, pkg, module, cls] = /^(aws|random):([a-z0-9]+)\/([a-zA-Z0-9]+):([A-Za-z0-9]+)$/.exec(type)!;
            const dir = path.join(REPO_ROOT, "node_modules", "@pulumi", pkg);
            const dts = fs.readFileSync(pkg === "aws" ? path.join(dir, module, `${cls}.d.ts`) : path.join(dir, `${cls}.d.ts`), "utf8");
            const className = type.split(":").pop()!;
            const args = new RegExp(`export interface ${className}Args \\{([\\s\\S]*?)\\n\\}`).exec(dts);
            assert.ok(args, `${type}: no ${className}Args in ${pkg}/${module}/${cls}.d.ts`);
            for (const field of [...Object.keys(entry.forceNew), ...Object.keys(entry.conditional ?? {})]) {
                const [top, ...nested] = field.split(".");
                assert.match(args![1], new RegExp(`\\n    ${top}\\??:`), `${type}.${field} is not an input of ${className}Args`);
                // Nested block fields are declared in the package's input types (checked by name, not by owner).
                if (nested.length && !inputTypes.has(pkg))
                    inputTypes.set(pkg, fs.readFileSync(path.join(dir, "types", "input.d.ts"), "utf8"));
                for (const key of nested)
                    assert.match(inputTypes.get(pkg)!, new RegExp(`\\n\\s+${key}\\??:`), `${type}.${field}: no input field ${key}`);
            }
        }
    });
});
