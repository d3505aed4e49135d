import * as assert from "assert";
import { runResource, UNKNOWN } from "./harness";
import { compliant, notApplicable, violates } from "./assert";
import { cognitoUserPoolMfaPassword } from "../../policy/policies/cognito-user-pool-mfa-password";
import { cognitoThreatProtection } from "../../policy/policies/cognito-threat-protection";

const POOL = "aws:cognito/userPool:UserPool";
const strongPassword = { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true };
const pool = (props: Record<string, unknown>) => ({ type: POOL, props });

describe("policy: Cognito user pools", () => {
    describe("cognito-user-pool-mfa-password", () => {
        it("passes optional TOTP with a strong password policy", async () =>
            compliant(
                await runResource(
                    cognitoUserPoolMfaPassword,
                    pool({
                        mfaConfiguration: "OPTIONAL",
                        softwareTokenMfaConfiguration: { enabled: true },
                        passwordPolicy: strongPassword,
                    }),
                ),
            ));
        it("passes required TOTP with a longer password", async () =>
            compliant(
                await runResource(
                    cognitoUserPoolMfaPassword,
                    pool({
                        mfaConfiguration: "ON",
                        softwareTokenMfaConfiguration: { enabled: true },
                        passwordPolicy: { ...strongPassword, minimumLength: 14 },
                    }),
                ),
            ));
        it("fails MFA off (the default)", async () =>
            violates(await runResource(cognitoUserPoolMfaPassword, pool({ passwordPolicy: strongPassword })), /mfaConfiguration is OFF/));
        it("fails MFA on without any factor enabled", async () =>
            violates(
                await runResource(cognitoUserPoolMfaPassword, pool({ mfaConfiguration: "ON", passwordPolicy: strongPassword })),
                /no factor is enabled/,
            ));
        it("fails a missing password policy (Cognito's 8-character default)", async () =>
            violates(
                await runResource(
                    cognitoUserPoolMfaPassword,
                    pool({ mfaConfiguration: "OPTIONAL", softwareTokenMfaConfiguration: { enabled: true } }),
                ),
                /passwordPolicy is not set/,
            ));
        it("fails a short password", async () =>
            violates(
                await runResource(
                    cognitoUserPoolMfaPassword,
                    pool({
                        mfaConfiguration: "OPTIONAL",
                        softwareTokenMfaConfiguration: { enabled: true },
                        passwordPolicy: { ...strongPassword, minimumLength: 8 },
                    }),
                ),
                /minimumLength 8 < 12/,
            ));
        it("fails a policy that drops a character class", async () =>
            violates(
                await runResource(
                    cognitoUserPoolMfaPassword,
                    pool({
                        mfaConfiguration: "OPTIONAL",
                        softwareTokenMfaConfiguration: { enabled: true },
                        passwordPolicy: { ...strongPassword, requireSymbols: false },
                    }),
                ),
                /requireSymbols is not true/,
            ));
        it("is not applicable to other types", async () =>
            notApplicable(
                await runResource(cognitoUserPoolMfaPassword, {
                    type: "aws:cognito/userPoolClient:UserPoolClient",
                    props: { userPoolId: "p" },
                }),
            ));
        it("defers at preview when the password policy is unknown", async () => {
            const r = await runResource(
                cognitoUserPoolMfaPassword,
                pool({ mfaConfiguration: "OPTIONAL", softwareTokenMfaConfiguration: { enabled: true }, passwordPolicy: UNKNOWN }),
            );
            assert.strictEqual(r.violations.length, 0);
            assert.ok(r.deferred, "expected the policy to wait for the value");
        });
    });

    describe("cognito-threat-protection (advisory)", () => {
        const production = { defaultTags: JSON.stringify({ tags: { environment: "production" } }) };
        it("passes an enforced production pool", async () =>
            compliant(
                await runResource(cognitoThreatProtection, {
                    type: POOL,
                    props: { userPoolTier: "PLUS", userPoolAddOns: { advancedSecurityMode: "ENFORCED" } },
                    provider: production,
                }),
            ));
        it("reports a production pool without threat protection, as advisory", async () => {
            const r = await runResource(cognitoThreatProtection, {
                type: POOL,
                props: { userPoolTier: "ESSENTIALS" },
                provider: production,
            });
            violates(r, /threat protection is off/);
            assert.strictEqual(r.violations[0].enforcement, "advisory");
        });
        it("reports AdvancedSecurityMode OFF on a pool tagged production itself", async () =>
            violates(
                await runResource(
                    cognitoThreatProtection,
                    pool({ tags: { environment: "production" }, userPoolAddOns: { advancedSecurityMode: "OFF" } }),
                ),
                /advancedSecurityMode OFF/,
            ));
        it("is not applicable outside production", async () =>
            notApplicable(
                await runResource(cognitoThreatProtection, {
                    type: POOL,
                    props: {},
                    provider: { defaultTags: JSON.stringify({ tags: { environment: "staging" } }) },
                }),
            ));
        it("defers at preview when the add-ons are unknown", async () => {
            const r = await runResource(cognitoThreatProtection, { type: POOL, props: { userPoolAddOns: UNKNOWN }, provider: production });
            assert.strictEqual(r.violations.length, 0);
            assert.ok(r.deferred);
        });
    });
});
