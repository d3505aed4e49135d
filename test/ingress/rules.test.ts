import * as assert from "assert";
import { planListenerRules, PATTERNS_PER_RULE } from "../../components/loadBalancer";

describe("ALB listener rule planning", () => {
    it("splits a PBC's patterns into rules of at most 3 (5 condition values minus 2 for the header)", () => {
        assert.strictEqual(PATTERNS_PER_RULE, 3);
        const rules = planListenerRules([{ name: "account", pathPatterns: ["/a/1/*", "/a/2/*", "/a/3/*", "/a/4/*", "/a/5/*", "/a/6/*", "/a/7/*"] }]);
        assert.deepStrictEqual(rules.map((r) => r.pathPatterns.length), [3, 3, 1]);
        assert.deepStrictEqual(rules.map((r) => r.index), [0, 1, 2]);
        assert.deepStrictEqual(rules.flatMap((r) => r.pathPatterns).sort(), ["/a/1/*", "/a/2/*", "/a/3/*", "/a/4/*", "/a/5/*", "/a/6/*", "/a/7/*"]);
    });

    it("gives unique priorities, narrowest patterns first and catch-alls last, whatever the declaration order", () => {
        const pbcs = [
            { name: "storefront", pathPatterns: ["/*"] },
            { name: "catalogue", pathPatterns: ["/api/catalogue/*"] },
            { name: "inventory", pathPatterns: ["/api/catalogue/products/*/inventory"] },
            { name: "customer", pathPatterns: ["/api/customer/*", "/api/account/*", "/api/wishlist/*", "/api/addresses/*"] },
        ];
        const rules = planListenerRules(pbcs);
        const priorities = rules.map((r) => r.priority);
        assert.strictEqual(new Set(priorities).size, priorities.length);
        assert.deepStrictEqual(priorities, [...priorities].sort((a, b) => a - b));
        assert.deepStrictEqual(rules.map((r) => r.pbc), ["inventory", "catalogue", "customer", "customer", "storefront"]);
        assert.strictEqual(rules[0].pbc, "inventory");
        assert.strictEqual(rules[rules.length - 1].pathPatterns[0], "/*");
        // Deterministic: the same PBCs in another order give the same plan.
        assert.deepStrictEqual(planListenerRules([...pbcs].reverse()), rules);
    });

    it("plans nothing for PBCs without patterns", () => {
        assert.deepStrictEqual(planListenerRules([{ name: "payment", pathPatterns: [] }]), []);
    });
});
