import * as assert from "assert";
import { ConfigValidationError, validateStackConfig } from "../../config/load";
import { readProgram } from "../../engine/evaluate";
import { REPO_ROOT } from "../support/plan";
import { PROJECT } from "../support/ingress";

const INGRESS = `${PROJECT}:ingress`;
const PBCS = `${PROJECT}:pbcs`;

function problemsOf(mutate: (c: Record<string, string>) => void): string[] {
    const raw = { ...readProgram(REPO_ROOT, "staging").config };
    mutate(raw);
    try {
        validateStackConfig(raw, PROJECT, "staging");
    } catch (err) {
        assert.ok(err instanceof ConfigValidationError, `expected a ConfigValidationError, got ${err}`);
        return err.problems;
    }
    return [];
}

const edit = (key: string, f: (v: any) => any) => (c: Record<string, string>) => {
    const next = f(c[key] === undefined ? undefined : JSON.parse(c[key]));
    if (next === undefined) delete c[key];
    else c[key] = JSON.stringify(next);
};

describe("ingress and PBC config validation", () => {
    it("accepts both committed stacks with their domains and defaults", () => {
        for (const [stack, domain] of [
            ["staging", "staging.shop.example.com"],
            ["production", "shop.example.com"],
        ]) {
            const cfg = validateStackConfig(readProgram(REPO_ROOT, stack).config, PROJECT, stack);
            assert.strictEqual(cfg.ingress.domain, domain);
            assert.strictEqual(cfg.ingress.wafRateLimit, 2000);
            assert.strictEqual(cfg.ingress.vpcOrigin, false);
            assert.strictEqual(cfg.pbcs.checkout.desiredCount, stack === "production" ? 6 : 1); // staging: one small task per PBC
            assert.strictEqual(cfg.pbcs.cart.user, "1000:1000");
            assert.deepStrictEqual(cfg.pbcs.cart.writablePaths, []);
        }
    });

    const cases: [string, (c: Record<string, string>) => void, RegExp][] = [
        ["missing ingress", edit(INGRESS, () => undefined), /^ingress: must be an object, got nothing$/],
        [
            "a domain that is not a domain",
            edit(INGRESS, (i) => ({ ...i, domain: "https://shop.example.com/" })),
            /^ingress\.domain: must be a lower-case DNS name like "shop\.example\.com", got "https:\/\/shop\.example\.com\/"$/,
        ],
        [
            "an upper-case domain",
            edit(INGRESS, (i) => ({ ...i, domain: "Shop.Example.com" })),
            /^ingress\.domain: must be a lower-case DNS name/,
        ],
        [
            "a rate limit below WAF's minimum",
            edit(INGRESS, (i) => ({ ...i, wafRateLimit: 5 })),
            /^ingress\.wafRateLimit: must be an integer from 10 to 2000000000, got 5$/,
        ],
        [
            "a rate limit above WAF's maximum",
            edit(INGRESS, (i) => ({ ...i, wafRateLimit: 3_000_000_000 })),
            /^ingress\.wafRateLimit: must be an integer from 10 to 2000000000, got 3000000000$/,
        ],
        [
            "an unknown price class",
            edit(INGRESS, (i) => ({ ...i, priceClass: "PriceClass_50" })),
            /^ingress\.priceClass: must be one of "PriceClass_100", "PriceClass_200", "PriceClass_All", got "PriceClass_50"$/,
        ],
        [
            "a zone id that is not one",
            edit(INGRESS, (i) => ({ ...i, hostedZoneId: "example.com" })),
            /^ingress\.hostedZoneId: must be a Route 53 hosted zone id/,
        ],
        [
            "vpcOrigin that is not a boolean",
            edit(INGRESS, (i) => ({ ...i, vpcOrigin: "yes" })),
            /^ingress\.vpcOrigin: must be true or false, got "yes"$/,
        ],
        ["a typo in an ingress key", edit(INGRESS, (i) => ({ ...i, rateLimit: 100 })), /^ingress: unknown key\(s\) "rateLimit"$/],
        [
            "a root container user",
            edit(PBCS, (p) => ({ ...p, cart: { ...p.cart, user: "0:0" } })),
            /^pbcs\.cart\.user: must be a non-root numeric user like "1000:1000"/,
        ],
        [
            "a named container user",
            edit(PBCS, (p) => ({ ...p, cart: { ...p.cart, user: "nginx" } })),
            /^pbcs\.cart\.user: must be a non-root numeric user/,
        ],
        [
            "a relative writable path",
            edit(PBCS, (p) => ({ ...p, cart: { ...p.cart, writablePaths: ["var/cache"] } })),
            /^pbcs\.cart\.writablePaths\.0: must be an absolute directory path/,
        ],
        [
            "/tmp as an extra writable path",
            edit(PBCS, (p) => ({ ...p, cart: { ...p.cart, writablePaths: ["/tmp"] } })),
            /^pbcs\.cart\.writablePaths\.0: must be an absolute directory path/,
        ],
        [
            "a writable path listed twice",
            edit(PBCS, (p) => ({ ...p, cart: { ...p.cart, writablePaths: ["/var/cache", "/var/cache"] } })),
            /^pbcs\.cart\.writablePaths\.1: "\/var\/cache" is listed twice$/,
        ],
        [
            "a Fargate memory size the CPU does not allow",
            edit(PBCS, (p) => ({ ...p, checkout: { ...p.checkout, cpu: 1024, memory: 1024 } })),
            /^pbcs\.checkout\.memory: must be one of Fargate's sizes for cpu 1024/,
        ],
        [
            "desired above max",
            edit(PBCS, (p) => ({ ...p, checkout: { ...p.checkout, desiredCount: 12, maxCount: 10 } })),
            /^pbcs\.checkout\.maxCount: must be at least desiredCount \(12\), got 10$/,
        ],
        [
            "an image without a tag",
            edit(PBCS, (p) => ({ ...p, search: { ...p.search, image: "public.ecr.aws/nginx/nginx-unprivileged" } })),
            /^pbcs\.search\.image: must be a container image reference with a tag or digest/,
        ],
    ];
    for (const [what, mutate, expected] of cases) {
        it(`rejects ${what}, naming the key`, () => {
            const problems = problemsOf(mutate);
            assert.ok(
                problems.some((p) => expected.test(p)),
                `expected a problem matching ${expected}, got:\n${problems.join("\n")}`,
            );
        });
    }

    it("reports ingress and PBC problems together", () => {
        const problems = problemsOf((c) => {
            edit(INGRESS, (i) => ({ ...i, domain: "not a domain", wafRateLimit: 1 }))(c);
            edit(PBCS, (p) => ({ ...p, cart: { ...p.cart, user: "root" } }))(c);
        });
        assert.deepStrictEqual(problems.map((p) => p.split(":")[0]).sort(), ["ingress.domain", "ingress.wafRateLimit", "pbcs.cart.user"]);
    });
});
