import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT, runPlan } from "../support/plan";

// A small program with a budget far below its Aurora writer: the plan prints and records the estimate, and the
// engine hands the budget to the pack so monthly-budget blocks the production stack.
describe("plan: monthly cost and the budget policy", function () {
    this.timeout(120_000);
    it("prints the estimate, writes cost into the JSON and blocks a production stack over budget", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-program-"));
        const src = path.join(REPO_ROOT, "test", "fixtures", "insecure-program");
        for (const f of ["Pulumi.yaml", "index.ts"]) fs.copyFileSync(path.join(src, f), path.join(dir, f));
        fs.writeFileSync(
            path.join(dir, "Pulumi.prod.yaml"),
            "config:\n  aws:region: us-east-1\n  insecure-shop:environment: production\n  insecure-shop:budget: 10\n",
        );
        const run = runPlan(["--stack", "prod", "--program", dir]);
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(run.stdout, /Monthly cost estimate: \$\d+\.\d\d/);
        assert.match(run.stdout, /budget \$10\.00: over by/);
        const cost = (
            run.json as unknown as {
                cost: {
                    monthlyUsd: number;
                    byResource: { urn: string; lines: { item: string }[] }[];
                    byTier: object;
                    assumptions: string[];
                };
            }
        ).cost;
        const writer = cost.byResource.find((r) => r.urn.endsWith("::orders-writer"));
        assert.ok(writer, "the Aurora writer is priced");
        assert.match(writer.lines[0].item, /0\.5 ACU minimum/);
        assert.ok(cost.monthlyUsd >= 43.8 && cost.assumptions.length > 0);
        const v = run.json!.policies!.violations.find((x: { policy: string }) => x.policy === "monthly-budget");
        assert.ok(v, "monthly-budget reported");
        assert.strictEqual(v.enforcement, "mandatory");
        assert.match(v.message, /exceeds the budget of \$10\.00/);
    });
});
