import * as assert from "assert";
import { validateStackConfig } from "../../config/load";
import { readProgram } from "../../engine/evaluate";
import { ofType, planOf, PlanJson, REPO_ROOT } from "../support/plan";

const PARENTS = { staging: "Z0SHOPEXAMPLECOM01", production: "Z0EXAMPLECOMZONE01" } as const;

for (const [stack, parentZoneId] of Object.entries(PARENTS)) {
    describe(`zone delegation (${stack})`, function () {
        let plan: PlanJson;
        before(function () {
            this.timeout(60_000);
            plan = planOf(stack);
        });

        it("delegates the created zone from its parent, and validates certificates only after that", () => {
            const [zone] = ofType(plan, "aws:route53/zone:Zone");
            const delegations = ofType(plan, "aws:route53/record:Record").filter((r) => r.inputs.type === "NS");
            assert.strictEqual(delegations.length, 1);
            const ns = delegations[0];
            assert.deepStrictEqual([ns.inputs.zoneId, ns.inputs.name, ns.inputs.ttl], [parentZoneId, zone.inputs.name, 172800]);
            assert.ok(Array.isArray(ns.inputs.records) && ns.inputs.records.length > 0, "the zone's name servers");
            const validationRecords = ofType(plan, "aws:route53/record:Record").filter((r) => r.inputs.type === "CNAME");
            assert.ok(validationRecords.length > 0);
            for (const r of validationRecords) {
                const deps: string[] = (r as any).propertyDependencies?.zoneId ?? [];
                assert.ok(deps.includes(ns.urn), `${r.name} waits for the delegation`);
            }
        });
    });
}

describe("ingress zone settings", () => {
    it("refuses a parent zone for an existing zone, naming the key", () => {
        const raw = readProgram(REPO_ROOT, "staging").config;
        const ingress = JSON.parse(raw["retail-platform:ingress"]);
        let problems: string[] = [];
        try {
            validateStackConfig(
                { ...raw, "retail-platform:ingress": JSON.stringify({ ...ingress, hostedZoneId: "Z0123456789ABCDEFGHIJ" }) },
                "retail-platform",
                "staging",
            );
        } catch (err: any) {
            problems = err.problems;
        }
        assert.deepStrictEqual(
            problems.map((p) => p.split(":")[0]),
            ["ingress.parentZoneId"],
        );
    });
});
