import * as assert from "assert";
import {
    checkListenerRules,
    derivedPriorityBand,
    patternsOverlap,
    PATTERNS_PER_RULE,
    planListenerRules,
    PRIORITY_BAND,
} from "../../config/listenerRules";
import { pbcsSchema } from "../../config/pbcs";

const COMMITTED = [
    { name: "storefront", pathPatterns: ["/*"] },
    { name: "catalogue", pathPatterns: ["/api/catalogue/*"] },
    { name: "search", pathPatterns: ["/api/search/*"] },
    { name: "cart", pathPatterns: ["/api/cart/*"] },
    { name: "checkout", pathPatterns: ["/api/checkout/*"] },
    { name: "order", pathPatterns: ["/api/orders/*"] },
    { name: "inventory", pathPatterns: ["/api/catalogue/products/*/inventory"] },
    { name: "customer", pathPatterns: ["/api/customer/*", "/api/account/*"] },
];

const byPbc = (rules: { pbc: string; index: number; priority: number }[]) =>
    Object.fromEntries(rules.map((r) => [`${r.pbc}-${r.index}`, r.priority]));

describe("ALB listener rule planning", () => {
    it("splits a PBC's patterns into rules of at most 3 (5 condition values minus 2 for the header) at consecutive priorities", () => {
        assert.strictEqual(PATTERNS_PER_RULE, 3);
        const rules = planListenerRules([
            { name: "account", pathPatterns: ["/a/1/*", "/a/2/*", "/a/3/*", "/a/4/*", "/a/5/*", "/a/6/*", "/a/7/*"] },
        ]);
        assert.deepStrictEqual(
            rules.map((r) => r.pathPatterns.length),
            [3, 3, 1],
        );
        assert.deepStrictEqual(
            rules.map((r) => r.index),
            [0, 1, 2],
        );
        assert.deepStrictEqual(
            rules.map((r) => r.priority - rules[0].priority),
            [0, 1, 2],
        );
        assert.deepStrictEqual(rules.flatMap((r) => r.pathPatterns).sort(), [
            "/a/1/*",
            "/a/2/*",
            "/a/3/*",
            "/a/4/*",
            "/a/5/*",
            "/a/6/*",
            "/a/7/*",
        ]);
    });

    it("gives unique priorities within 1-50000, narrowest patterns first and catch-alls last, whatever the declaration order", () => {
        const rules = planListenerRules(COMMITTED);
        const priorities = rules.map((r) => r.priority);
        assert.strictEqual(new Set(priorities).size, priorities.length);
        assert.ok(priorities.every((p) => p >= 1 && p <= 50000));
        assert.strictEqual(rules[0].pbc, "inventory");
        assert.ok(byPbc(rules)["inventory-0"] < byPbc(rules)["catalogue-0"]);
        assert.strictEqual(rules[rules.length - 1].pathPatterns[0], "/*");
        assert.deepStrictEqual(planListenerRules([...COMMITTED].reverse()), rules);
    });

    it("keeps every PBC's priorities when another PBC is added or removed (a band depends on the PBC alone)", () => {
        const base = byPbc(planListenerRules(COMMITTED));
        const added = byPbc(
            planListenerRules([
                ...COMMITTED,
                { name: "reviews", pathPatterns: ["/api/reviews/*"] },
                { name: "wishlist", pathPatterns: ["/api/wishlist/*", "/api/saved/*"] },
            ]),
        );
        const removed = byPbc(planListenerRules(COMMITTED.filter((p) => p.name !== "catalogue" && p.name !== "cart")));
        for (const [rule, priority] of Object.entries(base)) {
            assert.strictEqual(added[rule], priority, `${rule} after adding`);
            if (rule in removed) assert.strictEqual(removed[rule], priority, `${rule} after removing`);
        }
        assert.strictEqual(derivedPriorityBand("search", ["/api/search/*"]), base["search-0"]);
    });

    it("takes an explicit listenerPriority as the first priority of the PBC's band", () => {
        const rules = planListenerRules([
            { name: "inventory", pathPatterns: ["/api/catalogue/products/*/inventory"], listenerPriority: 100 },
            { name: "catalogue", pathPatterns: ["/api/catalogue/*"], listenerPriority: 200 },
        ]);
        assert.deepStrictEqual(
            rules.map((r) => [r.pbc, r.priority]),
            [
                ["inventory", 100],
                ["catalogue", 200],
            ],
        );
    });

    it("names both PBCs when bands overlap, and when a broader pattern of another PBC would match first", () => {
        const overlap = checkListenerRules([
            { name: "a", pathPatterns: ["/a/*"], listenerPriority: 500 },
            { name: "b", pathPatterns: ["/b/*"], listenerPriority: 505 },
        ]).issues;
        assert.deepStrictEqual(
            overlap.map((i) => [i.pbc, i.key.join(".")]),
            [["b", "listenerPriority"]],
        );
        assert.match(overlap[0].message, /priorities 505-514 \(listenerPriority\) overlap PBC "a"'s 500-509 \(listenerPriority\)/);
        const order = checkListenerRules([
            { name: "inventory", pathPatterns: ["/api/catalogue/products/*/inventory"], listenerPriority: 3000 },
            { name: "catalogue", pathPatterns: ["/api/catalogue/*"], listenerPriority: 2000 },
        ]).issues;
        assert.strictEqual(order.length, 1);
        assert.strictEqual(order[0].pbc, "inventory");
        assert.match(
            order[0].message,
            /"\/api\/catalogue\/products\/\*\/inventory" \(priority 3000\) comes after PBC "catalogue"'s broader "\/api\/catalogue\/\*" \(priority 2000\)/,
        );
        // Disjoint patterns in any order are fine.
        assert.deepStrictEqual(
            checkListenerRules([
                { name: "a", pathPatterns: ["/a/*"], listenerPriority: 3000 },
                { name: "b", pathPatterns: ["/b/x/*"], listenerPriority: 2000 },
            ]).issues,
            [],
        );
    });

    it("refuses a band that leaves the 1-50000 range and more rules than a band holds", () => {
        const range = checkListenerRules([{ name: "a", pathPatterns: ["/a/*"], listenerPriority: 49995 }]).issues;
        assert.match(range[0].message, /must leave a band of 10 priorities within 1-50000 \(at most 49991\), got 49995/);
        const many = checkListenerRules([
            { name: "a", pathPatterns: Array.from({ length: PRIORITY_BAND * PATTERNS_PER_RULE + 1 }, (_, i) => `/a/${i}/*`) },
        ]).issues;
        assert.match(many[0].message, /must hold at most 30 patterns \(10 listener rules of 3\), got 31/);
    });

    it("decides overlap exactly for ALB wildcards", () => {
        assert.ok(patternsOverlap("/api/catalogue/products/*/inventory", "/api/catalogue/*"));
        assert.ok(patternsOverlap("/*", "/api/x"));
        assert.ok(patternsOverlap("/a/?/c", "/a/b/*"));
        assert.ok(!patternsOverlap("/api/cart/*", "/api/checkout/*"));
        assert.ok(!patternsOverlap("/a/?", "/a/bc"));
    });

    it("plans nothing for PBCs without patterns", () => {
        assert.deepStrictEqual(planListenerRules([{ name: "payment", pathPatterns: [] }]), []);
    });

    it("reports band clashes as config errors under the PBC's key", () => {
        const pbc = (pathPatterns: string[], listenerPriority?: number) => ({
            image: "public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine",
            cpu: 256,
            memory: 512,
            desiredCount: 1,
            minCount: 1,
            maxCount: 2,
            containerPort: 8080,
            pathPatterns,
            listenerPriority,
        });
        const result = pbcsSchema.safeParse({
            catalogue: pbc(["/api/catalogue/*"], 2000),
            inventory: pbc(["/api/catalogue/products/*/inventory"], 3000),
        });
        assert.ok(!result.success);
        assert.deepStrictEqual(
            result.error.issues.map((i) => i.path.join(".")),
            ["inventory.listenerPriority"],
        );
    });
});
