import * as assert from "assert";
import { TIERS } from "../../components/tier";
import { ofType, planOf, PlanJson, PlanResource, resolveRef } from "../support/plan";

const RULE_TYPES = ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"];

/** A rule as a readable tuple: [group, direction, from, to, peer]. */
function describeRules(plan: PlanJson): string[][] {
    const groupName = (id: string) => resolveRef(plan, id).name.replace(`retail-platform-${plan.stack}-`, "");
    return plan.resources
        .filter((r) => RULE_TYPES.includes(r.type))
        .map((r) => {
            const i = r.inputs;
            const prefixList = () => (groupName(i.securityGroupId) === "alb" ? "cloudfront-prefix-list" : "s3-prefix-list");
            const peer = i.referencedSecurityGroupId
                ? groupName(i.referencedSecurityGroupId)
                : i.prefixListId
                  ? prefixList()
                  : (i.cidrIpv4 ?? i.cidrIpv6);
            return [groupName(i.securityGroupId), r.type.includes("Ingress") ? "in" : "out", `${i.fromPort}-${i.toPort}`, peer];
        })
        .sort((a, b) => a.join(" ").localeCompare(b.join(" ")));
}

for (const stack of ["staging", "production"]) {
    describe(`security tier (${stack})`, function () {
        let plan: PlanJson;
        let key: PlanResource;
        before(function () {
            this.timeout(60_000);
            plan = planOf(stack);
            // The stack keys (the security tier's); the analytics tier's account-wide catalog key is tested there.
            [key] = ofType(plan, "aws:kms/key:Key").filter((k) => k.tier === "security" && k.inputs.region === undefined);
        });

        it("declares one customer-managed key per region the stack uses, each with yearly rotation", () => {
            // The edge (WAF logs) needs a us-east-1 key; production replicates the assets to eu-central-1.
            const keys = ofType(plan, "aws:kms/key:Key").filter((k) => k.tier === "security");
            assert.deepStrictEqual(
                keys.map((k) => k.inputs.region ?? "home").sort(),
                stack === "production" ? ["eu-central-1", "home", "us-east-1"] : ["home", "us-east-1"],
            );
            for (const k of keys) assert.strictEqual(k.inputs.enableKeyRotation, true, `${k.name} rotates`);
            assert.strictEqual(key.inputs.enableKeyRotation, true);
            assert.strictEqual(key.inputs.rotationPeriodInDays, 365);
            assert.strictEqual(key.inputs.region, undefined, "the home key uses the provider's region");
            assert.strictEqual(key.inputs.deletionWindowInDays, stack === "production" ? 30 : 7);
            assert.strictEqual(key.tier, "security");
            assert.deepStrictEqual(
                ofType(plan, "aws:kms/alias:Alias")
                    .filter((a) => a.tier === "security")
                    .map((a) => a.inputs.name)
                    .sort(),
                stack === "production"
                    ? [
                          "alias/retail-platform-production",
                          "alias/retail-platform-production-eu-central-1",
                          "alias/retail-platform-production-us-east-1",
                      ]
                    : ["alias/retail-platform-staging", "alias/retail-platform-staging-us-east-1"],
            );
        });

        it("gives each key exactly one policy with the contributed statements", () => {
            const allPolicies = ofType(plan, "aws:kms/keyPolicy:KeyPolicy");
            assert.deepStrictEqual(
                allPolicies.map((p) => resolveRef(plan, p.inputs.keyId).name).sort(),
                ofType(plan, "aws:kms/key:Key")
                    .filter((k) => k.tier === "security")
                    .map((k) => k.name)
                    .sort(),
            );
            const policies = allPolicies.filter((p) => p.inputs.region === undefined);
            assert.strictEqual(policies.length, 1);
            // The key starts with the base statements (so log groups can use it at once); the KeyPolicy then owns it.
            const bootstrap = JSON.parse(key.inputs.policy).Statement.map((st: any) => st.Sid);
            assert.deepStrictEqual(bootstrap, [
                "AccountAdministration",
                "CloudWatchLogsOfThisAccount",
                "DeliveryServicesOfThisAccount",
                "EventBridgeDelivery",
            ]);
            assert.deepStrictEqual(key.options!.ignoreChanges, ["policy"]);
            assert.strictEqual(resolveRef(plan, policies[0].inputs.keyId).name, key.name);
            const doc = JSON.parse(policies[0].inputs.policy);
            const bySid = Object.fromEntries(doc.Statement.map((s: any) => [s.Sid, s]));
            assert.deepStrictEqual(bySid.AccountAdministration.Principal, { AWS: "arn:aws:iam::123456789012:root" });
            assert.deepStrictEqual(bySid.CloudWatchLogsOfThisAccount.Principal, { Service: "logs.eu-west-1.amazonaws.com" });
            assert.deepStrictEqual(bySid.CloudWatchLogsOfThisAccount.Condition, {
                ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" },
            });
            assert.deepStrictEqual(bySid.DeliveryServicesOfThisAccount.Principal.Service, [
                "sns.amazonaws.com",
                "cloudwatch.amazonaws.com",
            ]);
            assert.deepStrictEqual(bySid.DeliveryServicesOfThisAccount.Condition, {
                StringEquals: { "aws:SourceAccount": "123456789012" },
            });
            assert.deepStrictEqual(bySid.EventBridgeDelivery.Principal, { Service: "events.amazonaws.com" });
            assert.strictEqual(
                bySid.EventBridgeDelivery.Condition,
                undefined,
                "EventBridge supports no source condition on a target's key",
            );
        });

        it("declares exactly these security group rules, each one TCP port range and one peer", () => {
            assert.deepStrictEqual(
                describeRules(plan),
                [
                    ["alb", "in", "443-443", "cloudfront-prefix-list"],
                    ["alb", "out", "8080-8080", "application"],
                    ["application", "in", "8080-8080", "alb"],
                    ["application", "in", "8080-8080", "application"],
                    ["application", "out", "443-443", "0.0.0.0/0"],
                    ["application", "out", "5432-5432", "data"],
                    ["application", "out", "6379-6380", "data"],
                    ["application", "out", "8080-8080", "application"],
                    ["application", "out", "8080-8080", "payment"],
                    ["data", "in", "5432-5432", "application"],
                    ["data", "in", "5432-5432", "lambda"],
                    ["data", "in", "5432-5432", "payment"],
                    ["data", "in", "6379-6380", "application"],
                    ["data", "in", "6379-6380", "lambda"],
                    ["endpoints-sg", "in", "443-443", "application"],
                    ["endpoints-sg", "in", "443-443", "lambda"],
                    ["endpoints-sg", "in", "443-443", "payment"],
                    ...(stack === "production" ? [["endpoints-sg", "in", "443-443", "warehouse-sg"]] : []),
                    ["lambda", "out", "443-443", "0.0.0.0/0"],
                    ["lambda", "out", "5432-5432", "data"],
                    ["lambda", "out", "6379-6380", "data"],
                    ["payment", "in", "8080-8080", "application"],
                    ["payment", "out", "443-443", "0.0.0.0/0"],
                    ["payment", "out", "5432-5432", "data"],
                    // The warehouse (Redshift Serverless, production only): clients in, S3 and the endpoints out.
                    ...(stack === "production"
                        ? [
                              ["warehouse-sg", "in", "5439-5439", "application"],
                              ["warehouse-sg", "out", "443-443", "endpoints-sg"],
                              ["warehouse-sg", "out", "443-443", "s3-prefix-list"],
                          ]
                        : []),
                ].sort((a, b) => a.join(" ").localeCompare(b.join(" "))),
            );
        });

        it("opens nothing to the internet, uses no protocol -1 and never reaches port 22", () => {
            const rules = plan.resources.filter((r) => RULE_TYPES.includes(r.type));
            assert.ok(rules.length > 0);
            for (const r of rules) {
                assert.strictEqual(r.inputs.ipProtocol, "tcp", `${r.name} protocol`);
                assert.ok(!(r.inputs.fromPort <= 22 && r.inputs.toPort >= 22), `${r.name} reaches 22`);
                if (r.type.includes("Ingress")) {
                    assert.notStrictEqual(r.inputs.cidrIpv4, "0.0.0.0/0", `${r.name} open to the internet`);
                    assert.strictEqual(r.inputs.cidrIpv6, undefined, `${r.name} IPv6 source`);
                }
            }
            for (const g of ofType(plan, "aws:ec2/securityGroup:SecurityGroup")) {
                assert.strictEqual(g.inputs.ingress, undefined, `${g.name} has no inline rules`);
                assert.strictEqual(g.inputs.egress, undefined, `${g.name} has no inline rules`);
            }
            const ingressOfAlb = rules.filter(
                (r) => r.type.includes("Ingress") && resolveRef(plan, r.inputs.securityGroupId).name.endsWith("-alb"),
            );
            assert.strictEqual(ingressOfAlb.length, 1, "the ALB group has exactly one ingress rule (the prefix list counts as 55 of 60)");
        });

        it("keeps the X-Origin-Verify secret in Secrets Manager under the stack's key, never in plain text", () => {
            const [secret] = ofType(plan, "aws:secretsmanager/secret:Secret").filter((x) => x.tier === "security");
            assert.strictEqual(resolveRef(plan, secret.inputs.kmsKeyId).name, key.name);
            const [version] = ofType(plan, "aws:secretsmanager/secretVersion:SecretVersion").filter((x) => x.tier === "security");
            assert.strictEqual(version.inputs.secretString, "[secret]");
            assert.strictEqual(resolveRef(plan, version.inputs.secretId).name, secret.name);
            const [generated] = ofType(plan, "random:index/randomPassword:RandomPassword").filter((x) => x.tier === "security");
            assert.strictEqual(generated.inputs.length, 48);
            assert.strictEqual(generated.inputs.special, false);
        });

        it("groups every custom resource under a tier component", () => {
            for (const r of plan.resources.filter((x) => x.custom))
                assert.ok((TIERS as readonly string[]).includes(r.tier ?? ""), `${r.urn} tier ${r.tier}`);
        });
    });
}
