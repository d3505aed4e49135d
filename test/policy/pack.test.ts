import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies, pulumiPolicies, NEVER_SUPPRESSIBLE_TAG } from "../../policy/pack";
import { policyTable, POLICY_TABLE_FILE, README_FILE, readmeWithPolicyTable } from "../../scripts/policy-table";
import { computeTaggableTypes } from "../../policy/lib/taggable";
import { aws } from "../../policy/lib/aws";
import snapshot from "./pack-snapshot.json";
import securityHubTable from "../../policy/data/security-hub-controls.json";

interface ControlTable {
    controls: Record<string, { title: string; url: string }>;
}

/** A Security Hub control id: the service as AWS spells it, a dot, the control number (e.g. "SQS.1", "Opensearch.3"). */
const SECURITY_HUB_ID = /^[A-Z][A-Za-z0-9]*\.[1-9][0-9]*$/;

/** The control reference page and anchor AWS gives each control, e.g. SQS.1 → sqs-controls.html#sqs-1. */
function controlReferenceUrl(id: string): string {
    const [service, n] = id.split(".");
    return `https://docs.aws.amazon.com/securityhub/latest/userguide/${service.toLowerCase()}-controls.html#${service.toLowerCase()}-${n}`;
}

/** Everything wrong with the policies' Security Hub mappings against the verified table (empty when all is well). */
function securityHubProblems(ps: readonly { id: string; controls: { securityHub: readonly string[] } }[], table: ControlTable): string[] {
    const problems: string[] = [];
    const used = new Set<string>();
    for (const p of ps) {
        if (!Array.isArray(p.controls.securityHub)) {
            problems.push(`${p.id}: securityHub is not a list`);
            continue;
        }
        if (new Set(p.controls.securityHub).size !== p.controls.securityHub.length) problems.push(`${p.id}: duplicate Security Hub ids`);
        for (const c of p.controls.securityHub) {
            used.add(c);
            if (!SECURITY_HUB_ID.test(c)) problems.push(`${p.id}: "${c}" is not a Security Hub control id`);
            else if (!table.controls[c]) problems.push(`${p.id}: ${c} is not in policy/data/security-hub-controls.json (verify it first)`);
        }
    }
    for (const [id, c] of Object.entries(table.controls)) {
        if (!SECURITY_HUB_ID.test(id)) problems.push(`table: "${id}" is not a Security Hub control id`);
        if (!c.title || c.title.trim() !== c.title) problems.push(`table: ${id} has no title`);
        if (c.url !== controlReferenceUrl(id)) problems.push(`table: ${id} url is not ${controlReferenceUrl(id)}`);
        if (!used.has(id)) problems.push(`table: ${id} is mapped by no policy`);
    }
    return problems;
}

describe("policy pack: manifest", () => {
    it("matches the committed snapshot of policy ids, default enforcement, suppressibility and Security Hub mappings", () => {
        const actual = policies.map((p) => ({
            id: p.id,
            enforcementLevel: p.enforcementLevel,
            neverSuppressible: p.neverSuppressible,
            securityHub: p.controls.securityHub,
        }));
        assert.deepStrictEqual(
            actual,
            snapshot,
            "policy ids, default levels or Security Hub mappings changed: update test/policy/pack-snapshot.json deliberately (it is the pack's contract)",
        );
    });

    it("has well-formed metadata for every policy", () => {
        const ids = new Set<string>();
        for (const p of policies) {
            assert.match(p.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, p.id);
            assert.ok(p.id.length <= 100 && p.id !== "all", p.id);
            assert.ok(!ids.has(p.id), `duplicate ${p.id}`);
            ids.add(p.id);
            assert.match(p.description, /^[A-Z].*\.$/, `${p.id}: description is one sentence ending with a period`);
            assert.ok(["low", "medium", "high", "critical"].includes(p.severity), p.id);
            assert.ok(p.remediation.length > 10, `${p.id}: remediation`);
            // Cost policies guard spend, not a PCI DSS requirement; every other policy maps to one.
            if (p.id !== "monthly-budget") assert.ok(p.controls.pciDss.length > 0, `${p.id}: PCI DSS mapping`);
            for (const r of p.controls.awsConfig) assert.match(r, /^[a-z0-9-]+$/, `${p.id}: AWS Config rule name ${r}`);
            assert.ok(Array.isArray(p.controls.securityHub), `${p.id}: securityHub mapping ([] when no FSBP control applies)`);
            if (p.neverSuppressible)
                assert.strictEqual(p.enforcementLevel, "mandatory", `${p.id}: never-suppressible policies are mandatory`);
            assert.ok(!p.configSchema?.properties.enforcementLevel, `${p.id}: enforcementLevel is reserved`);
        }
    });

    it("keeps the issue's mandatory set never-suppressible and the key rule separate", () => {
        const ns = new Set(policies.filter((p) => p.neverSuppressible).map((p) => p.id));
        for (const id of [
            "s3-bucket-encryption",
            "rds-storage-encrypted",
            "elasticache-encryption",
            "sqs-queue-encryption",
            "sns-topic-encryption",
            "kinesis-stream-encryption",
            "firehose-delivery-stream-encryption",
            "dynamodb-table-encryption",
            "secretsmanager-secret-encryption",
            "cloudwatch-log-group-encryption",
            "glue-encryption",
            "athena-workgroup-encryption",
            "redshiftserverless-namespace-encryption",
            "ebs-encryption",
            "rds-no-public-access",
            "redshift-not-public",
            "data-store-private-subnets",
            "ec2-no-public-admin-ingress",
            "ec2-imdsv2-required",
        ]) {
            assert.ok(ns.has(id), `${id} must be never-suppressible`);
        }
        const key = policies.find((p) => p.id === "data-store-customer-managed-key")!;
        assert.strictEqual(key.enforcementLevel, "mandatory");
        assert.strictEqual(policies.find((p) => p.id === "required-tags")!.enforcementLevel, "advisory");
        assert.strictEqual(policies[0].id, "policy-exemptions", "the exemptions policy must run first");
    });

    it("translates to @pulumi/policy policies with tags the engine reads", () => {
        const pp = pulumiPolicies();
        assert.strictEqual(pp.length, policies.length);
        for (const [i, p] of pp.entries()) {
            assert.strictEqual(p.name, policies[i].id);
            assert.strictEqual(p.tags!.includes(NEVER_SUPPRESSIBLE_TAG), policies[i].neverSuppressible);
            assert.deepStrictEqual(
                p.tags!.filter((t) => t.startsWith("security-hub:")),
                policies[i].controls.securityHub.map((c) => `security-hub:${c}`),
                `${p.name}: Security Hub tags`,
            );
        }
    });

    it("maps Security Hub controls only from the committed table of verified FSBP controls", () => {
        assert.deepStrictEqual(securityHubProblems(policies, securityHubTable), []);
    });

    it("refuses a malformed, unverified or duplicated Security Hub id, and table entries no policy uses", () => {
        const table: ControlTable = {
            controls: {
                "SQS.1": { title: "Amazon SQS queues should be encrypted at rest", url: controlReferenceUrl("SQS.1") },
                "S3.5": { title: "S3 general purpose buckets should require requests to use SSL", url: controlReferenceUrl("S3.5") },
                "KMS.5": {
                    title: "KMS keys should not be publicly accessible",
                    url: "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html",
                },
            },
        };
        const problems = securityHubProblems(
            [
                { id: "a", controls: { securityHub: ["SQS.1", "sqs-1", "SNS.1", "SQS.1"] } },
                { id: "b", controls: { securityHub: ["KMS.5"] } },
            ],
            table,
        );
        assert.deepStrictEqual(problems, [
            "a: duplicate Security Hub ids",
            'a: "sqs-1" is not a Security Hub control id',
            "a: SNS.1 is not in policy/data/security-hub-controls.json (verify it first)",
            "table: S3.5 is mapped by no policy",
            `table: KMS.5 url is not ${controlReferenceUrl("KMS.5")}`,
        ]);
    });

    it("leaves policies that no FSBP control matches at [] (spot checks)", () => {
        const none = policies.filter((p) => p.controls.securityHub.length === 0).map((p) => p.id);
        // Spot checks of facts the mapping rests on: SNS.1, KMS.4, Athena.1 and Cognito.1 are not in the FSBP
        // standard, and EC2.19 blocks ports the admin-ingress policy allows.
        for (const id of [
            "sns-topic-encryption",
            "kms-key-rotation",
            "athena-workgroup-encryption",
            "cognito-threat-protection",
            "ec2-no-public-admin-ingress",
        ])
            assert.ok(none.includes(id), `${id} maps to no FSBP control`);
        assert.deepStrictEqual(policies.find((p) => p.id === "sqs-queue-encryption")!.controls.securityHub, ["SQS.1"]);
        assert.deepStrictEqual(policies.find((p) => p.id === "s3-bucket-tls-only")!.controls.securityHub, ["S3.5"]);
    });

    it("declares the pack the way the CLI loads it", () => {
        const dir = path.join(__dirname, "..", "..", "policy");
        assert.match(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        assert.ok(pkg.version, "PolicyPack reads the version from package.json");
        assert.ok(fs.existsSync(path.join(dir, pkg.main)));
        const config = JSON.parse(fs.readFileSync(path.join(dir, "policy-config.json"), "utf8"));
        for (const e of config["policy-exemptions"]?.exemptions ?? []) {
            assert.ok(e.reason && e.expires, "every committed exemption has a reason and an expiry date");
        }
    });

    it("docs/policies.md is up to date with the pack", () => {
        assert.strictEqual(
            fs.readFileSync(POLICY_TABLE_FILE, "utf8"),
            policyTable(),
            "run: node -r ./engine/register.js scripts/policy-table.ts",
        );
    });

    it("the README's policy table is up to date with the pack", () => {
        const readme = fs.readFileSync(README_FILE, "utf8");
        assert.strictEqual(readmeWithPolicyTable(readme), readme, "run: node -r ./engine/register.js scripts/policy-table.ts");
    });

    it("the committed taggable-type list matches the installed @pulumi/aws", () => {
        const committed = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policy", "data", "taggable-types.json"), "utf8"));
        assert.deepStrictEqual(committed, computeTaggableTypes());
    });
});

describe("policy pack: @pulumi/aws stand-ins", () => {
    it("carry each real class's type token, and the pack never loads @pulumi/aws at run time", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- @pulumi/aws takes seconds to load; only this test needs it
        const real = require("@pulumi/aws");
        for (const [mod, classes] of Object.entries(aws)) {
            for (const [name, standIn] of Object.entries(classes as unknown as Record<string, { __pulumiType: string }>)) {
                assert.strictEqual(standIn.__pulumiType, real[mod][name].__pulumiType, `${mod}.${name}`);
            }
        }
        const dir = path.join(__dirname, "..", "..", "policy");
        const sources = [
            ...fs.readdirSync(path.join(dir, "policies")).map((f) => path.join(dir, "policies", f)),
            ...fs.readdirSync(path.join(dir, "lib")).map((f) => path.join(dir, "lib", f)),
        ].filter((f) => f.endsWith(".ts"));
        for (const f of sources) {
            assert.doesNotMatch(
                fs.readFileSync(f, "utf8"),
                /^import (?!type)[^;]*from "@pulumi\/aws"/m,
                `${f} loads @pulumi/aws at run time`,
            );
        }
    });
});
