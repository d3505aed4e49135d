import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { architectureDot, architectureSvg, GraphResource } from "../../engine/architecture";
import { planOf, REPO_ROOT } from "../support/plan";

const COMMITTED = path.join(REPO_ROOT, "docs", "architecture-staging.svg");
const REGENERATE = "npm run plan -- --stack staging --svg docs/architecture-staging.svg";

const nodeIds = (dot: string) => [...dot.matchAll(/^\s+(n\d+) \[label="([^"]*)"\];$/gm)].map((m) => ({ id: m[1], label: m[2] }));
const mainEdges = (dot: string) => [...dot.matchAll(/^\s+(n\d+) -> (n\d+) \[color="#1f6feb"/gm)].map((m) => [m[1], m[2]]);

describe("architecture picture", function () {
    this.timeout(180_000);

    it("the committed staging picture is current", async () => {
        const plan = planOf("staging");
        const svg = await architectureSvg(plan.resources as GraphResource[], { project: plan.project, stack: plan.stack });
        assert.ok(fs.existsSync(COMMITTED), `missing ${COMMITTED}: run ${REGENERATE}`);
        assert.ok(fs.readFileSync(COMMITTED, "utf8") === svg, `docs/architecture-staging.svg is stale: run ${REGENERATE}`);
    });

    it("the README embeds it", () => {
        assert.match(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"), /!\[[^\]]*\]\(docs\/architecture-staging\.svg\)/);
    });

    it("draws the request flow DNS → WAF → CloudFront → ALB → PBCs → Aurora/cache → events as main edges", () => {
        const plan = planOf("staging");
        const dot = architectureDot(plan.resources as GraphResource[], { project: plan.project, stack: plan.stack });
        const nodes = nodeIds(dot);
        const id = (re: RegExp) => {
            const n = nodes.find((x) => re.test(x.label));
            assert.ok(n, `a node matching ${re}`);
            return n.id;
        };
        const edges = mainEdges(dot).map(([a, b]) => `${a}>${b}`);
        const hop = (a: string, b: string) => assert.ok(edges.includes(`${a}>${b}`), `${a} -> ${b}`);
        hop(id(/^Zone/), id(/^WebAcl/));
        hop(id(/^WebAcl/), id(/^Cdn/));
        hop(id(/^Cdn/), id(/^LoadBalancer/));
        hop(id(/^LoadBalancer/), id(/^PbcService checkout/));
        hop(id(/^PbcService checkout/), id(/^AuroraCluster/));
        hop(id(/^PbcService storefront/), id(/^ServerlessCache/));
        hop(id(/^PbcService checkout/), id(/^EventBus/));
        assert.ok(!edges.includes(`${id(/^LoadBalancer/)}>${id(/^PbcService payment/)}`), "payment has no ALB route");
        // One node per consumer: its queue and its function together.
        assert.match(dot, /ConsumerQueue \+ HandlerFunction order-processor\\n14 resources/);
        for (const tier of ["networking", "security", "ingress", "application", "data", "events"])
            assert.match(dot, new RegExp(`subgraph "cluster_${tier}"`));
    });

    it("stays readable at 500+ resources: one node per PBC and per consumer, with counts", async () => {
        const stack = "urn:pulumi:big::shop::";
        const rs: GraphResource[] = [];
        const add = (
            chain: string,
            name: string,
            parent: string | null,
            custom: boolean,
            tier: string | null,
            inputs: Record<string, unknown> = {},
        ) => {
            const type = chain.split("$").pop()!;
            const urn = `${stack}${chain}::${name}`;
            rs.push({ urn, type, name, parent, tier, custom, inputs });
            return urn;
        };
        const app = add("retail:application:Tier", "application", null, false, "application");
        for (let p = 0; p < 20; p++) {
            const pbc = add("retail:application:Tier$retail:application:PbcService", `shop-big-pbc${p}`, app, false, "application");
            for (let i = 0; i < 30; i++)
                add(
                    `retail:application:Tier$retail:application:PbcService$aws:iam/rolePolicy:RolePolicy`,
                    `pbc${p}-policy-${i}`,
                    pbc,
                    true,
                    "application",
                );
        }
        const dot = architectureDot(rs, { project: "shop", stack: "big" });
        const nodes = nodeIds(dot);
        assert.strictEqual(nodes.length, 20);
        assert.ok(
            nodes.every((n) => /\\n30 resources: 30 RolePolicy$/.test(n.label)),
            nodes[0].label,
        );
        const svg = await architectureSvg(rs, { project: "shop", stack: "big" });
        assert.match(svg, /^<\?xml|^<svg/);
    });

    it("pins @viz-js/viz exactly (the picture is compared byte for byte)", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        assert.match(pkg.devDependencies["@viz-js/viz"], /^\d+\.\d+\.\d+$/);
    });
});
