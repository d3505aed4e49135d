import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import * as YAML from "yaml";
import { REPO_ROOT } from "../support/plan";

const DIR = path.join(REPO_ROOT, ".github", "workflows");
const FILES = fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".yml"))
    .sort();
const load = (f: string) => YAML.parse(fs.readFileSync(path.join(DIR, f), "utf8"));
const VALIDATOR = path.join(path.dirname(require.resolve("@action-validator/cli/package.json")), "cli.mjs");

/**
 * The inputs pulumi/actions v7 documents: action.yml at tag v7 (= v7.0.0, commit 8e5e406f4007fca908480587cb9893c07090f58d
 * of github.com/pulumi/actions), `runs.using: node24`.
 */
const PULUMI_ACTIONS_V7_INPUTS = [
    "command",
    "stack-name",
    "pulumi-version",
    "pulumi-version-file",
    "work-dir",
    "comment-on-pr",
    "comment-on-pr-number",
    "comment-on-summary",
    "github-token",
    "cloud-url",
    "secrets-provider",
    "parallel",
    "message",
    "config-map",
    "expect-no-changes",
    "diff",
    "replace",
    "exclude",
    "exclude-dependents",
    "target",
    "target-dependents",
    "policyPacks",
    "policyPackConfigs",
    "refresh",
    "upsert",
    "remove",
    "edit-pr-comment",
    "color",
    "exclude-protected",
    "plan",
    "suppress-outputs",
    "suppress-progress",
    "always-include-summary",
    "continue-on-error",
    "log-verbosity",
    "log-flow",
    "debug",
];
/** Its `command` values (src/config.ts at the same commit). `refresh` writes state; drift uses preview + refresh. */
const PULUMI_COMMANDS = ["up", "update", "refresh", "destroy", "preview", "output"];

interface Step {
    uses?: string;
    with?: Record<string, unknown>;
    run?: string;
    if?: string;
    id?: string;
}
interface Job {
    permissions?: Record<string, string> | string;
    environment?: string;
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    steps: Step[];
    if?: string;
    needs?: string | string[];
    strategy?: { matrix?: { stack?: string[] } };
}

function jobs(): { file: string; name: string; job: Job }[] {
    return FILES.flatMap((file) => Object.entries<Job>(load(file).jobs).map(([name, job]) => ({ file, name, job })));
}
const usesOf = (job: Job, action: string) => job.steps.filter((s) => s.uses?.split("@")[0] === action);

describe("GitHub workflows", function () {
    this.timeout(60_000);

    it("are pr.yml, deploy.yml and drift.yml (plus the documented manual production fallback)", () => {
        assert.deepStrictEqual(FILES, ["deploy-production-manual.yml", "deploy.yml", "drift.yml", "pr.yml"]);
    });

    for (const f of FILES) {
        it(`${f} passes action-validator`, () => {
            const r = spawnSync(process.execPath, [VALIDATOR, path.join(DIR, f)], { encoding: "utf8" });
            assert.strictEqual(r.status, 0, r.stdout + r.stderr);
        });
    }

    it("the validator does reject a malformed workflow", () => {
        const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wf-")), "bad.yml");
        fs.writeFileSync(
            bad,
            "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    permissions:\n      contents: banana\n    steps:\n      - run: echo\n",
        );
        assert.notStrictEqual(spawnSync(process.execPath, [VALIDATOR, bad], { encoding: "utf8" }).status, 0);
    });

    it("grant nothing at the top and least permissions per job", () => {
        for (const f of FILES) assert.deepStrictEqual(load(f).permissions, {}, `${f}: top-level permissions: {}`);
        for (const { file, name, job } of jobs()) {
            const where = `${file} ${name}`;
            assert.ok(job.permissions && typeof job.permissions === "object", `${where}: explicit permissions`);
            const p = job.permissions as Record<string, string>;
            assert.strictEqual(p.contents, "read", `${where}: contents read`);
            const aws = usesOf(job, "aws-actions/configure-aws-credentials").length > 0;
            assert.strictEqual(p["id-token"] === "write", aws, `${where}: id-token: write exactly when it assumes an AWS role`);
            const comments = job.steps.some((s) => s.with?.["comment-on-pr"] === true || /sticky-comment/.test(s.run ?? ""));
            assert.strictEqual(p["pull-requests"] === "write", comments, `${where}: pull-requests: write exactly when it comments`);
            const issues = job.steps.some((s) => /gh issue (create|comment)/.test(s.run ?? ""));
            assert.strictEqual(p.issues === "write", issues, `${where}: issues: write exactly when it files issues`);
            for (const [k, v] of Object.entries(p))
                assert.ok(
                    ["read", "write"].includes(v) && ["contents", "id-token", "pull-requests", "issues", "actions"].includes(k),
                    `${where}: ${k}: ${v}`,
                );
        }
    });

    it("deploy jobs run in their stack's environment, production after staging", () => {
        const deploy = load("deploy.yml").jobs as Record<string, Job>;
        assert.deepStrictEqual(Object.keys(deploy), ["deploy-staging", "deploy-production"]);
        assert.strictEqual(deploy["deploy-staging"].environment, "staging");
        assert.strictEqual(deploy["deploy-production"].environment, "production");
        assert.strictEqual(deploy["deploy-production"].needs, "deploy-staging");
        assert.deepStrictEqual(load("deploy.yml").on, { push: { branches: ["main"] } });
        // The fallback has no environment on purpose, runs only by hand, on main, when the gate says so.
        const manual = load("deploy-production-manual.yml");
        assert.deepStrictEqual(Object.keys(manual.on), ["workflow_dispatch"]);
        assert.match(manual.jobs["deploy-production"].if, /github\.ref == 'refs\/heads\/main' && vars\.PRODUCTION_GATE == 'main-branch'/);
        assert.match(deploy["deploy-production"].if ?? "", /vars\.PRODUCTION_GATE != 'main-branch'/);
    });

    it("every job that touches a stack's state holds concurrency pulumi-<stack> without cancelling", () => {
        for (const { file, name, job } of jobs()) {
            if (usesOf(job, "pulumi/actions").length === 0) continue;
            const stacks = job.strategy?.matrix?.stack;
            const expected = stacks ? "pulumi-${{ matrix.stack }}" : `pulumi-${(job as { env?: Record<string, string> }).env?.STACK}`;
            assert.strictEqual(job.concurrency?.group, expected, `${file} ${name}`);
            assert.strictEqual(job.concurrency?.["cancel-in-progress"], false, `${file} ${name}: an update is never cancelled midway`);
        }
    });

    it("pin every action to a version tag or commit; pulumi/actions@v7 and configure-aws-credentials@v6", () => {
        for (const { file, name, job } of jobs()) {
            for (const s of job.steps) {
                if (!s.uses) continue;
                assert.match(s.uses, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/, `${file} ${name}: ${s.uses}`);
                if (s.uses.startsWith("pulumi/actions@")) assert.strictEqual(s.uses, "pulumi/actions@v7");
                if (s.uses.startsWith("aws-actions/configure-aws-credentials@"))
                    assert.strictEqual(s.uses, "aws-actions/configure-aws-credentials@v6");
                if (s.uses.startsWith("actions/setup-node@"))
                    assert.strictEqual(String(s.with?.["node-version"]), "22", `${file} ${name}: Node 22`);
            }
        }
    });

    it("give pulumi/actions only its documented inputs and commands", () => {
        let n = 0;
        for (const { file, name, job } of jobs()) {
            for (const s of usesOf(job, "pulumi/actions")) {
                n++;
                for (const k of Object.keys(s.with ?? {}))
                    assert.ok(PULUMI_ACTIONS_V7_INPUTS.includes(k), `${file} ${name}: "${k}" is not a pulumi/actions v7 input`);
                assert.ok(PULUMI_COMMANDS.includes(String(s.with?.command)), `${file} ${name}: command ${s.with?.command}`);
                assert.notStrictEqual(s.with?.command, "refresh", "the refresh command writes state");
                if (s.with?.command === "up" || (s.with?.command === "preview" && file === "pr.yml")) {
                    assert.strictEqual(s.with?.policyPacks, "policy", `${file} ${name}: the pack runs`);
                    assert.match(String(s.with?.policyPackConfigs), /^policy-config\./);
                }
            }
        }
        assert.ok(n >= 6);
    });

    it("assume roles by OIDC with an allowed account", () => {
        for (const { file, name, job } of jobs()) {
            for (const s of usesOf(job, "aws-actions/configure-aws-credentials")) {
                assert.deepStrictEqual(
                    Object.keys(s.with ?? {}).sort(),
                    ["allowed-account-ids", "aws-region", "role-to-assume"],
                    `${file} ${name}`,
                );
                assert.match(String(s.with?.["role-to-assume"]), /^\$\{\{ vars\.AWS_[A-Z_]+_ROLE_ARN \}\}$/);
            }
        }
    });

    it("pr.yml: offline plan for everyone, cloud preview only for same-repository PRs with a preview role", () => {
        const pr = load("pr.yml").jobs as Record<string, Job>;
        assert.ok(usesOf(pr.plan, "aws-actions/configure-aws-credentials").length === 0, "the offline plan needs no credentials");
        assert.match(pr.plan.steps.map((s) => s.run ?? "").join("\n"), /git worktree add \.\.\/base "\$BASE_SHA"/);
        assert.ok(pr.plan.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@")));
        assert.strictEqual(
            pr.preview.if,
            "vars.AWS_PREVIEW_ROLE_ARN != '' && github.event.pull_request.head.repo.full_name == github.repository",
        );
        const preview = usesOf(pr.preview, "pulumi/actions")[0].with!;
        assert.deepStrictEqual([preview.command, preview["comment-on-pr"]], ["preview", true]);
        assert.ok(
            pr.report.steps.some((s) => /\$GITHUB_STEP_SUMMARY/.test(s.run ?? "")),
            "job summary",
        );
    });

    it("drift.yml: nightly preview with refresh expecting no changes, one issue per stack", () => {
        const wf = load("drift.yml");
        assert.ok(wf.on.schedule?.[0]?.cron);
        const job = wf.jobs.drift as Job;
        const p = usesOf(job, "pulumi/actions")[0];
        assert.deepStrictEqual([p.with?.command, p.with?.refresh, p.with?.["expect-no-changes"]], ["preview", true, true]);
        assert.match(p.if ?? "", /steps\.last\.outputs\.conclusion == 'success'/, "only stacks whose last deployment succeeded");
        assert.ok(job.steps.some((s) => /Drift detected in \$STACK/.test(s.run ?? "")));
    });
});
