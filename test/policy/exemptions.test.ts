import * as assert from "assert";
import { runResource, runStack, urnOf } from "./harness";
import { compliant, violates } from "./assert";
import {
    parseExemptions,
    loadExemptionConfig,
    resetExemptions,
    parseExemptionMessage,
    exemptionMessage,
} from "../../policy/lib/exemptions";
import "../../policy/pack"; // registers the catalogue
import { albDropInvalidHeaders } from "../../policy/policies/alb-drop-invalid-headers";
import { rdsNoPublicAccess } from "../../policy/policies/rds-no-public-access";
import { vpcFlowLogs } from "../../policy/policies/vpc-flow-logs";

const TODAY = "2026-01-15";
const LB = "aws:lb/loadBalancer:LoadBalancer";

describe("policy: exemptions", () => {
    afterEach(() => resetExemptions());

    it("accepts a complete entry", () => {
        const s = parseExemptions(
            [
                {
                    policy: "alb-drop-invalid-headers",
                    resource: "urn:*::legacy",
                    reason: "Partner sends malformed headers (RET-1)",
                    expires: "2026-03-31",
                },
            ],
            TODAY,
        );
        assert.strictEqual(s.active.length, 1);
        assert.deepStrictEqual(s.problems, []);
    });

    it("refuses entries without a reason, with a short reason, without or past an expiry", () => {
        const s = parseExemptions(
            [
                { policy: "alb-drop-invalid-headers", resource: "urn:*", expires: "2026-03-31" },
                { policy: "alb-drop-invalid-headers", resource: "urn:*", reason: "because", expires: "2026-03-31" },
                { policy: "alb-drop-invalid-headers", resource: "urn:*", reason: "Partner sends malformed headers" },
                { policy: "alb-drop-invalid-headers", resource: "urn:*", reason: "Partner sends malformed headers", expires: "2026-01-14" },
                { policy: "alb-drop-invalid-headers", resource: "urn:*", reason: "Partner sends malformed headers", expires: "2026-02-30" },
            ],
            TODAY,
        );
        assert.strictEqual(s.active.length, 0);
        assert.match(s.problems[0].message, /has no reason/);
        assert.match(s.problems[1].message, /shorter than 10/);
        assert.match(s.problems[2].message, /no expiry date/);
        assert.match(s.problems[3].message, /expired on 2026-01-14/);
        assert.match(s.problems[4].message, /invalid expiry date/);
    });

    it("is valid through its expiry day", () => {
        assert.strictEqual(
            parseExemptions([{ policy: "vpc-flow-logs", resource: "*", reason: "Sandbox VPC, no traffic", expires: TODAY }], TODAY).active
                .length,
            1,
        );
    });

    it("refuses exempting a never-suppressible policy or an unknown one", () => {
        const s = parseExemptions(
            [
                { policy: "rds-no-public-access", resource: "*", reason: "Demo database, no data", expires: "2026-12-31" },
                { policy: "policy-exemptions", resource: "*", reason: "Demo database, no data", expires: "2026-12-31" },
                { policy: "no-such-policy", resource: "*", reason: "Demo database, no data", expires: "2026-12-31" },
            ],
            TODAY,
        );
        assert.strictEqual(s.active.length, 0);
        assert.match(s.problems[0].message, /refused: rds-no-public-access is never-suppressible/);
        assert.match(s.problems[1].message, /refused/);
        assert.match(s.problems[2].message, /unknown policy/);
    });

    it("suppresses a matching violation into one advisory audit line", async () => {
        loadExemptionConfig({
            exemptions: [
                {
                    policy: "alb-drop-invalid-headers",
                    resource: urnOf(LB, "legacy-*"),
                    reason: "Partner sends malformed headers (RET-1)",
                    expires: "2099-01-01",
                },
            ],
        });
        const r = await runResource(albDropInvalidHeaders, { type: LB, name: "legacy-alb", props: {} });
        compliant(r);
        assert.strictEqual(r.exempted.length, 1);
        assert.strictEqual(r.exempted[0].enforcement, "advisory");
        assert.deepStrictEqual(parseExemptionMessage(r.exempted[0].message), {
            policy: "alb-drop-invalid-headers",
            reason: "Partner sends malformed headers (RET-1)",
            expires: "2099-01-01",
        });
        violates(await runResource(albDropInvalidHeaders, { type: LB, name: "other-alb", props: {} }), /dropInvalidHeaderFields/);
    });

    it("applies to stack policies too", async () => {
        loadExemptionConfig({
            exemptions: [
                {
                    policy: "vpc-flow-logs",
                    resource: urnOf("aws:ec2/vpc:Vpc", "sandbox"),
                    reason: "Sandbox VPC without workloads",
                    expires: "2099-01-01",
                },
            ],
        });
        const r = await runStack(vpcFlowLogs, [{ type: "aws:ec2/vpc:Vpc", name: "sandbox", props: {} }]);
        compliant(r);
        assert.strictEqual(r.exempted.length, 1);
    });

    it("never applies to a never-suppressible policy, even if state were loaded", async () => {
        loadExemptionConfig({
            exemptions: [{ policy: "rds-no-public-access", resource: "*", reason: "Demo database, no data", expires: "2099-01-01" }],
        });
        violates(
            await runResource(rdsNoPublicAccess, { type: "aws:rds/instance:Instance", props: { publiclyAccessible: true } }),
            /publicly accessible/,
        );
    });

    it("round-trips the audit line format", () => {
        const e = { policy: "vpc-flow-logs", reason: "Reason with (parentheses): yes", expires: "2030-01-01" };
        assert.deepStrictEqual(parseExemptionMessage(exemptionMessage(e)), e);
    });
});
