import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT, runPlan } from "../support/plan";
import { MARKER, prReport } from "../../scripts/ci/pr-report";

const BOOTSTRAP = path.join(REPO_ROOT, "bootstrap");

function trust(plan: { resources: { type: string; name: string; inputs: Record<string, any> }[] }, name: string) {
    const role = plan.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === name);
    assert.ok(role, name);
    const st = JSON.parse(role.inputs.assumeRolePolicy).Statement[0];
    return {
        sub: st.Condition.StringEquals["token.actions.githubusercontent.com:sub"],
        aud: st.Condition.StringEquals["token.actions.githubusercontent.com:aud"],
        action: st.Action,
    };
}

describe("bootstrap program (CI roles and state backend)", function () {
    this.timeout(180_000);

    it("plans offline with the same policy pack and no violation; each role trusts exactly its subject", () => {
        const run = runPlan(["--program", BOOTSTRAP, "--stack", "global", "--json-detail"]);
        assert.strictEqual(run.status, 0, run.stdout + run.stderr);
        assert.deepStrictEqual(run.json!.policies!.violations, []);
        const plan = run.json!;
        assert.strictEqual(plan.resources.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider").length, 1);
        const repo = "repo:example-org/retail-platform";
        assert.deepStrictEqual(trust(plan, "ci-preview"), {
            sub: [`${repo}:pull_request`],
            aud: "sts.amazonaws.com",
            action: "sts:AssumeRoleWithWebIdentity",
        });
        assert.deepStrictEqual(trust(plan, "ci-drift").sub, [`${repo}:ref:refs/heads/main`]);
        assert.deepStrictEqual(trust(plan, "ci-deploy-staging").sub, [`${repo}:environment:staging`]);
        assert.deepStrictEqual(trust(plan, "ci-deploy-production").sub, [`${repo}:environment:production`]);
        const bucket = plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        assert.strictEqual(bucket.options?.protect, true, "the state bucket is protected");
        assert.match(run.stdout, /backendUrl: s3:\/\/retail-platform-pulumi-state-\d{12}/);
        assert.match(run.stdout, /secretsProvider: awskms:\/\/alias\/retail-platform-pulumi\?region=eu-west-1/);
    });

    it("the GitHub Free fallback makes production trust the main branch instead of its environment", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-"));
        for (const f of ["Pulumi.yaml", "index.ts"]) fs.copyFileSync(path.join(BOOTSTRAP, f), path.join(dir, f));
        fs.writeFileSync(
            path.join(dir, "Pulumi.global.yaml"),
            fs
                .readFileSync(path.join(BOOTSTRAP, "Pulumi.global.yaml"), "utf8")
                .replace("productionGate: environment", "productionGate: main-branch"),
        );
        const run = runPlan(["--program", dir, "--stack", "global", "--no-policy"]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(trust(run.json!, "ci-deploy-production").sub, ["repo:example-org/retail-platform:ref:refs/heads/main"]);
        assert.deepStrictEqual(trust(run.json!, "ci-deploy-staging").sub, ["repo:example-org/retail-platform:environment:staging"]);
    });
});

describe("PR report", () => {
    it("joins the stacks' diffs under one marker, each within its share of GitHub's limit", () => {
        const big = [
            "### Plan diff: `staging`",
            "",
            "**1 to create**",
            "",
            ...Array.from({ length: 5000 }, (_, i) => `- line ${i} ${"x".repeat(20)}`),
        ].join("\n");
        const text = prReport([big, "### Plan diff: `production`\n\n**0 to create**\n"], "https://example.invalid/run/1");
        assert.ok(text.startsWith(MARKER));
        assert.ok(text.length <= 65_536, String(text.length));
        assert.match(text, /truncated: \d+ more line/);
        assert.match(text, /### Plan diff: `production`/, "production's summary survives a huge staging diff");
    });
});
