// aws.iam.getPolicyDocument under the offline engine: rendered as the provider renders it, so a policy built with the
// data source reaches the pack as the document AWS would receive; and a provider function the engine does not model
// stops the plan instead of returning nothing.
import * as assert from "assert";
import * as path from "path";
import { renderPolicyDocument } from "../../engine/policyDocument";
import { PlatformMocks } from "../../engine/mocks";
import { REPO_ROOT, runPlan } from "../support/plan";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the .ts itself: "../../engine/cli" resolves to cli.js, the launcher
const { describeFailure } = require("../../engine/cli.ts") as typeof import("../../engine/cli");

const doc = (args: Parameters<typeof renderPolicyDocument>[0]) => JSON.parse(renderPolicyDocument(args).json);

describe("getPolicyDocument, rendered offline", function () {
    this.timeout(60_000);

    it("writes one value as a string and several in reverse sorted order (policyDecodeConfigStrings), Allow by default", () => {
        assert.deepStrictEqual(
            doc({ statements: [{ actions: ["s3:GetObject", "s3:PutObject", "s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] }),
            {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:aws:s3:::b/*" }],
            },
        );
    });

    it('renders principals (a lone * as "*"), conditions merged per operator, and &{…} as a policy variable', () => {
        const [anyone, scoped] = doc({
            statements: [
                { sid: "Anyone", actions: ["s3:GetObject"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }] },
                {
                    sid: "Scoped",
                    effect: "Deny",
                    notActions: ["iam:*"],
                    resources: ["arn:aws:s3:::b/home/&{aws:username}/*"],
                    principals: [
                        { type: "AWS", identifiers: ["arn:aws:iam::111122223333:root"] },
                        { type: "AWS", identifiers: ["arn:aws:iam::444455556666:root"] },
                    ],
                    conditions: [
                        { test: "StringEquals", variable: "aws:SourceAccount", values: ["111122223333"] },
                        { test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-1", "o-2"] },
                    ],
                },
            ],
        }).Statement;
        assert.strictEqual(anyone.Principal, "*");
        assert.deepStrictEqual(scoped, {
            Sid: "Scoped",
            Effect: "Deny",
            NotAction: "iam:*",
            Resource: "arn:aws:s3:::b/home/${aws:username}/*",
            Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"] },
            Condition: { StringEquals: { "aws:SourceAccount": "111122223333", "aws:PrincipalOrgID": ["o-1", "o-2"] } },
        });
    });

    it("merges source documents first and overrides last, a statement with the same Sid replacing the earlier one", () => {
        const source = JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
        });
        const override = JSON.stringify({ Statement: [{ Sid: "B", Effect: "Deny", Action: "*", Resource: "*" }] });
        const merged = doc({
            sourcePolicyDocuments: [source],
            overridePolicyDocuments: [override],
            statements: [
                { sid: "B", actions: ["s3:PutObject"], resources: ["*"] },
                { actions: ["sqs:SendMessage"], resources: ["*"] },
            ],
        });
        assert.deepStrictEqual(
            merged.Statement.map((s: any) => [s.Sid, s.Effect, s.Action]),
            [
                ["A", "Allow", "s3:GetObject"],
                ["B", "Deny", "*"],
                [undefined, "Allow", "sqs:SendMessage"],
            ],
        );
    });

    it("refuses what the provider refuses: a duplicate Sid, a Sid that is not alphanumeric, an effect other than Allow/Deny, a Statement object", () => {
        assert.throws(
            () =>
                renderPolicyDocument({
                    statements: [
                        { sid: "X", actions: ["a:b"] },
                        { sid: "X", actions: ["c:d"] },
                    ],
                }),
            /duplicate Sid \(X\)/,
        );
        assert.throws(() => renderPolicyDocument({ statements: [{ sid: "Read-Orders", actions: ["a:b"] }] }), /statement\.sid/);
        assert.throws(() => renderPolicyDocument({ statements: [{ effect: "allow", actions: ["a:b"] }] }), /statement\.effect/);
        const single = JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } });
        assert.throws(() => renderPolicyDocument({ sourcePolicyDocuments: [single] }), /cannot unmarshal object/);
    });

    it("reads source documents through the provider's model: booleans become strings, numbers are dropped, the higher version wins", () => {
        const source = JSON.stringify({
            Version: "2008-10-17",
            Statement: [
                {
                    Sid: "Mfa",
                    Effect: "Allow",
                    Action: "*",
                    Resource: "*",
                    Condition: { Bool: { "aws:MultiFactorAuthPresent": true }, NumericLessThan: { "aws:MultiFactorAuthAge": 3600 } },
                },
            ],
        });
        const merged = doc({ sourcePolicyDocuments: [source], statements: [{ actions: ["s3:GetObject"], resources: ["*"] }] });
        assert.strictEqual(merged.Version, "2012-10-17");
        // What AWS receives from the provider: the numeric condition is not in it, so the pack must not see it either.
        assert.deepStrictEqual(merged.Statement[0].Condition, { Bool: { "aws:MultiFactorAuthPresent": "true" } });
    });

    it("lets the pack judge a policy written with the data source", () => {
        const run = runPlan(["--program", path.join(REPO_ROOT, "test", "fixtures", "policy-document-program"), "--stack", "dev"]);
        assert.strictEqual(run.status, 1, run.stderr);
        const found = (policy: string) =>
            run
                .json!.policies!.violations.filter((v) => v.policy === policy)
                .map((v) => v.urn.split("::").pop())
                .sort();
        assert.deepStrictEqual(found("iam-no-wildcard-admin"), ["worker-admin"]);
        assert.deepStrictEqual(found("resource-policy-not-public"), ["downloads-policy"]);
        const reads = run.json!.resources.find((r) => r.name === "worker-reads")!;
        assert.deepStrictEqual(JSON.parse(reads.inputs.policy).Statement[0].Action, ["dynamodb:Query", "dynamodb:GetItem"]);
    });

    it("stops at a provider function it does not model, naming it, with no stack trace", () => {
        assert.throws(
            () => new PlatformMocks("eu-west-1").call({ token: "aws:ec2/getAmi:getAmi", inputs: {} } as never),
            /does not model the provider function aws:ec2\/getAmi:getAmi/,
        );
        const run = runPlan(["--program", path.join(REPO_ROOT, "test", "fixtures", "unmodeled-function-program"), "--stack", "dev"]);
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /^plan failed: .*does not model the provider function aws:ec2\/getAmi:getAmi/m);
        assert.doesNotMatch(run.stderr, /^\s+at /m);
    });

    it("keeps the stack frames in the program's own files", () => {
        const err = new Error("no validation record");
        err.stack = [
            "Error: no validation record",
            "    at /repo/components/certificates.ts:81:29",
            "    at applyHelperAsync (/repo/node_modules/@pulumi/pulumi/output.js:330:31)",
            "    at process.processTicksAndRejections (node:internal/process/task_queues:103:5)",
        ].join("\n");
        assert.strictEqual(describeFailure(err), "Error: no validation record\n    at /repo/components/certificates.ts:81:29");
    });
});
