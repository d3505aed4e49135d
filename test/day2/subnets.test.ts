import * as assert from "assert";
import { MAX_AZ_COUNT, planSubnets, planSubnetsChecked, SUBNET_CLASSES } from "../../config/cidr";
import { networkSchema } from "../../config/network";

const COMMITTED = { application: 20, public: 24, data: 24, payment: 24 };
const cidrs = (plan: { subnetClass: string; azIndex: number; cidr: string }[]) =>
    Object.fromEntries(plan.map((p) => [`${p.subnetClass}-${p.azIndex}`, p.cidr]));

describe("stable subnet allocation", () => {
    it("places the committed stacks' subnets in per-class regions reserved for 6 AZs", () => {
        assert.strictEqual(MAX_AZ_COUNT, 6);
        assert.deepStrictEqual(cidrs(planSubnets("10.10.0.0/16", 3, COMMITTED)!), {
            "public-0": "10.10.0.0/24",
            "public-1": "10.10.1.0/24",
            "public-2": "10.10.2.0/24",
            "application-0": "10.10.16.0/20",
            "application-1": "10.10.32.0/20",
            "application-2": "10.10.48.0/20",
            "data-0": "10.10.112.0/24",
            "data-1": "10.10.113.0/24",
            "data-2": "10.10.114.0/24",
            "payment-0": "10.10.118.0/24",
            "payment-1": "10.10.119.0/24",
            "payment-2": "10.10.120.0/24",
        });
    });

    it("never moves a subnet when azCount grows, up to the maximum", () => {
        for (let n = 2; n < MAX_AZ_COUNT; n++) {
            const smaller = cidrs(planSubnets("10.20.0.0/16", n, COMMITTED)!);
            const larger = cidrs(planSubnets("10.20.0.0/16", n + 1, COMMITTED)!);
            for (const [subnet, cidr] of Object.entries(smaller))
                assert.strictEqual(larger[subnet], cidr, `${subnet} at ${n} -> ${n + 1} AZs`);
        }
    });

    it("never moves a subnet when a class is appended; the new class takes free space", () => {
        const withCl = [...SUBNET_CLASSES, "analytics"] as const;
        const extended = planSubnets("10.10.0.0/16", 3, { ...COMMITTED, analytics: 22 }, {}, withCl)!;
        const base = cidrs(planSubnets("10.10.0.0/16", 3, COMMITTED)!);
        const next = cidrs(extended);
        for (const [subnet, cidr] of Object.entries(base)) assert.strictEqual(next[subnet], cidr, subnet);
        assert.deepStrictEqual(
            [next["analytics-0"], next["analytics-1"], next["analytics-2"]],
            ["10.10.124.0/22", "10.10.128.0/22", "10.10.132.0/22"],
        );
    });

    it("keeps pinned CIDRs (an imported VPC) and allocates the rest", () => {
        const plan = planSubnets("10.30.0.0/16", 3, COMMITTED, { public: ["10.30.200.0/24", "10.30.201.0/24", "10.30.202.0/24"] })!;
        const byName = cidrs(plan);
        assert.deepStrictEqual(
            [byName["public-0"], byName["public-1"], byName["public-2"]],
            ["10.30.200.0/24", "10.30.201.0/24", "10.30.202.0/24"],
        );
        assert.strictEqual(byName["application-0"], "10.30.16.0/20");
        assert.deepStrictEqual(
            plan.filter((p) => p.pinned).map((p) => `${p.subnetClass}-${p.azIndex}`),
            ["public-0", "public-1", "public-2"],
        );
    });

    it("reports every problem with pinned CIDRs at once: prefix length, outside the VPC, overlaps, too many", () => {
        const { issues } = planSubnetsChecked("10.30.0.0/16", 2, COMMITTED, {
            public: ["10.30.200.0/25", "10.31.0.0/24", "10.30.5.0/24"],
            data: ["10.30.16.0/24", "not-a-cidr"],
        });
        assert.deepStrictEqual(
            issues.map((i) => `${i.key.join(".")}: ${i.message}`),
            [
                "subnetCidrs.public: must list at most azCount (2) CIDRs, got 3",
                "subnetCidrs.public.0: must be a /24 (network.subnetPrefixLengths.public), got 10.30.200.0/25",
                "subnetCidrs.public.1: must lie inside the VPC block 10.30.0.0/16, got 10.31.0.0/24",
                'subnetCidrs.data.1: must be an IPv4 network in CIDR form, got "not-a-cidr"',
                "subnetCidrs.data.0: data-0 10.30.16.0/24 overlaps application-0 10.30.16.0/20 (its allocated slot; pin that subnet too or choose another block)",
            ],
        );
    });

    it("surfaces them as config errors under network.subnetCidrs", () => {
        const result = networkSchema.safeParse({
            cidr: "10.30.0.0/16",
            azCount: 2,
            natGateways: "single",
            subnetPrefixLengths: COMMITTED,
            subnetCidrs: { payment: ["10.30.16.0/24", "10.30.16.0/24"] },
        });
        assert.ok(!result.success);
        assert.deepStrictEqual(
            result.error.issues.map((i) => i.path.join(".")),
            ["subnetCidrs.payment.0", "subnetCidrs.payment.1", "subnetCidrs.payment.1"],
        );
        assert.match(result.error.issues[2].message, /^payment-1 10\.30\.16\.0\/24 overlaps payment-0 10\.30\.16\.0\/24$/);
    });
});
