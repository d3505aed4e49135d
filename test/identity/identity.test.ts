import * as assert from "assert";
import { validateStackConfig } from "../../config/load";
import { readProgram } from "../../engine/evaluate";
import { POOL_ADMIN_ACTIONS } from "../../stacks/identity";
import {
    containerEnvironment,
    mockedIdentity,
    ofType,
    planOf,
    PlanJson,
    PlanResource,
    REPO_ROOT,
    runPlan,
    taskRoleStatements,
} from "../support/plan";

const ACCOUNT = "123456789012";
const envOf = (plan: PlanJson, pbc: string): Record<string, string> => {
    const task = ofType(plan, "aws:ecs/taskDefinition:TaskDefinition").find((t) => t.name === `retail-platform-${plan.stack}-${pbc}-task`)!;
    return containerEnvironment(plan, task);
};
const pool = (plan: PlanJson, name: string): PlanResource =>
    ofType(plan, "aws:cognito/userPool:UserPool").find((p) => p.inputs.name === `retail-platform-${plan.stack}-${name}`)!;

for (const stack of ["staging", "production"]) {
    const production = stack === "production";
    const domain = production ? "shop.example.com" : "staging.shop.example.com";

    describe(`identity (${stack})`, function () {
        let plan: PlanJson;
        before(function () {
            this.timeout(120_000);
            plan = planOf(stack);
        });

        it("declares a shoppers pool (self sign-up, optional TOTP) and a staff pool (admin-created, TOTP required)", () => {
            const pools = ofType(plan, "aws:cognito/userPool:UserPool");
            assert.strictEqual(pools.length, 2);
            for (const p of pools) assert.strictEqual(p.tier, "identity");
            const shoppers = pool(plan, "shoppers").inputs;
            const staff = pool(plan, "staff").inputs;
            assert.deepStrictEqual([shoppers.mfaConfiguration, staff.mfaConfiguration], ["OPTIONAL", "ON"]);
            assert.deepStrictEqual(
                [shoppers.adminCreateUserConfig.allowAdminCreateUserOnly, staff.adminCreateUserConfig.allowAdminCreateUserOnly],
                [false, true],
            );
            for (const p of [shoppers, staff]) {
                assert.deepStrictEqual(p.softwareTokenMfaConfiguration, { enabled: true });
                assert.deepStrictEqual(p.usernameAttributes, ["email"]);
                assert.deepStrictEqual(p.accountRecoverySetting, { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] });
                assert.ok(p.passwordPolicy.minimumLength >= 12);
                assert.deepStrictEqual(
                    [
                        p.passwordPolicy.requireLowercase,
                        p.passwordPolicy.requireUppercase,
                        p.passwordPolicy.requireNumbers,
                        p.passwordPolicy.requireSymbols,
                    ],
                    [true, true, true, true],
                );
                assert.strictEqual(p.deletionProtection, production ? "ACTIVE" : "INACTIVE");
                assert.strictEqual(p.userPoolTier, production ? "PLUS" : "ESSENTIALS");
                assert.deepStrictEqual(p.userPoolAddOns, production ? { advancedSecurityMode: "ENFORCED" } : undefined);
                // No SES identity configured in the committed stacks: Cognito's default sender (production warns).
                assert.deepStrictEqual(p.emailConfiguration, { emailSendingAccount: "COGNITO_DEFAULT" });
            }
        });

        it("gives the shoppers pool a storefront and a mobile client: code + PKCE, no secret, URLs on the stack's domain", () => {
            const clients = ofType(plan, "aws:cognito/userPoolClient:UserPoolClient");
            assert.deepStrictEqual(clients.map((c) => c.inputs.name).sort(), ["mobile", "storefront"]);
            const shoppersId = mockedIdentity(plan, pool(plan, "shoppers")).id;
            for (const c of clients) {
                const i = c.inputs;
                assert.strictEqual(i.userPoolId, shoppersId);
                assert.deepStrictEqual(
                    [
                        i.generateSecret,
                        i.allowedOauthFlowsUserPoolClient,
                        i.allowedOauthFlows,
                        i.preventUserExistenceErrors,
                        i.enableTokenRevocation,
                    ],
                    [false, true, ["code"], "ENABLED", true],
                );
                assert.deepStrictEqual([i.accessTokenValidity, i.idTokenValidity, i.refreshTokenValidity], [60, 60, 30]);
                assert.deepStrictEqual(i.tokenValidityUnits, { accessToken: "minutes", idToken: "minutes", refreshToken: "days" });
                assert.ok(!i.explicitAuthFlows.includes("ALLOW_USER_PASSWORD_AUTH"), "no plain-password flow");
            }
            const storefront = clients.find((c) => c.inputs.name === "storefront")!.inputs;
            assert.deepStrictEqual(storefront.callbackUrls, [`https://${domain}/auth/callback`, `https://www.${domain}/auth/callback`]);
            assert.deepStrictEqual(storefront.logoutUrls, [`https://${domain}/`, `https://www.${domain}/`]);
            const mobile = clients.find((c) => c.inputs.name === "mobile")!.inputs;
            assert.deepStrictEqual([mobile.callbackUrls, mobile.logoutUrls], [["retailapp://auth/callback"], ["retailapp://auth/signout"]]);
        });

        it(
            production
                ? "serves auth.<domain> with its own us-east-1 certificate, after the apex alias, with its own alias"
                : "serves a prefix domain",
            () => {
                const [d] = ofType(plan, "aws:cognito/userPoolDomain:UserPoolDomain");
                assert.strictEqual(ofType(plan, "aws:cognito/userPoolDomain:UserPoolDomain").length, 1);
                if (!production) {
                    assert.deepStrictEqual([d.inputs.domain, d.inputs.certificateArn], ["retail-platform-staging", undefined]);
                    assert.strictEqual(
                        plan.outputs.identity.authDomainUrl,
                        "https://retail-platform-staging.auth.eu-west-1.amazoncognito.com",
                    );
                    return;
                }
                assert.strictEqual(d.inputs.domain, `auth.${domain}`);
                const cert = ofType(plan, "aws:acm/certificate:Certificate").find((c) => c.inputs.domainName === `auth.${domain}`)!;
                assert.strictEqual(cert.inputs.region, "us-east-1");
                const validation = ofType(plan, "aws:acm/certificateValidation:CertificateValidation").find(
                    (v) => v.inputs.certificateArn === mockedIdentity(plan, cert).arn,
                )!;
                assert.strictEqual(validation.inputs.region, "us-east-1");
                assert.strictEqual(d.inputs.certificateArn, mockedIdentity(plan, cert).arn);
                const deps = (d.options?.dependsOn ?? []).map((u) => u.split("::").pop());
                assert.ok(deps.includes("retail-platform-production-apex-a"), "the parent domain resolves first");
                const alias = ofType(plan, "aws:route53/record:Record").filter((r) => r.inputs.name === `auth.${domain}`);
                assert.strictEqual(alias.length, 1);
                assert.strictEqual(alias[0].inputs.type, "A");
                assert.match(alias[0].inputs.aliases[0].name, /\.cloudfront\.net$/);
                assert.strictEqual(alias[0].inputs.aliases[0].zoneId, "Z2FDTNDATAQYW2");
            },
        );

        it("tells exactly the PBCs that declare identity about the shoppers pool", () => {
            const program = readProgram(REPO_ROOT, stack);
            const config = validateStackConfig(program.config, "retail-platform", stack);
            const declared = Object.entries(config.pbcs)
                .filter(([, p]) => p.identity)
                .map(([n]) => n)
                .sort();
            assert.deepStrictEqual(declared, ["cart", "checkout", "customer", "order"]);
            const shoppers = mockedIdentity(plan, pool(plan, "shoppers"));
            const issuer = `https://cognito-idp.eu-west-1.amazonaws.com/${shoppers.id}`;
            const clientIds = Object.fromEntries(
                ofType(plan, "aws:cognito/userPoolClient:UserPoolClient").map((c) => [c.inputs.name, mockedIdentity(plan, c).id]),
            );
            for (const name of Object.keys(config.pbcs)) {
                const env = envOf(plan, name);
                if (!declared.includes(name)) {
                    assert.ok(!Object.keys(env).some((k) => k.startsWith("COGNITO_")), `${name} declared no identity`);
                    continue;
                }
                assert.strictEqual(env.COGNITO_ISSUER_URL, issuer);
                assert.strictEqual(env.COGNITO_JWKS_URL, `${issuer}/.well-known/jwks.json`);
                assert.strictEqual(env.COGNITO_USER_POOL_ID, shoppers.id);
                assert.strictEqual(env.COGNITO_STOREFRONT_CLIENT_ID, clientIds.storefront);
                assert.strictEqual(env.COGNITO_MOBILE_CLIENT_ID, clientIds.mobile);
            }
            // Only the customer PBC ("admin") may administer the pool, and only this pool.
            for (const name of Object.keys(config.pbcs)) {
                const admin = taskRoleStatements(plan, name).filter((s) => s.Sid === "ShopperPoolAdmin");
                if (name !== "customer") {
                    assert.strictEqual(admin.length, 0, name);
                    continue;
                }
                assert.deepStrictEqual(admin, [
                    { Sid: "ShopperPoolAdmin", Effect: "Allow", Action: POOL_ADMIN_ACTIONS, Resource: shoppers.arn },
                ]);
                // The pool's ARN holds the id Cognito assigns: the grant stays out of the main policy, known at preview.
                assert.deepStrictEqual(
                    taskRoleStatements(plan, name, ["task-policy"]).filter((s) => s.Sid === "ShopperPoolAdmin"),
                    [],
                );
            }
        });

        it("lets the search PBC invoke exactly its declared Bedrock model in the home region", () => {
            const bedrock = ofType(plan, "aws:iam/rolePolicy:RolePolicy")
                .flatMap((p) => JSON.parse(p.inputs.policy).Statement.map((s: any) => [p.name, s]))
                .filter(([, s]) => JSON.stringify(s.Action).includes("bedrock:"));
            assert.deepStrictEqual(bedrock, [
                [
                    `retail-platform-${stack}-search-task-policy`,
                    {
                        Sid: "InvokeDeclaredBedrockModels",
                        Effect: "Allow",
                        Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                        Resource: ["arn:aws:bedrock:eu-west-1::foundation-model/amazon.titan-embed-text-v2:0"],
                    },
                ],
            ]);
        });
    });
}

describe("identity: the production sender warning", function () {
    it("warns in production, and only there, that Cognito's default sender is capped", function () {
        this.timeout(180_000);
        const warning = /identity\.sesIdentityArn is not set: Cognito's default sender is capped/;
        const production = runPlan(["--stack", "production", "--no-policy"]);
        assert.strictEqual(production.status, 0);
        assert.match(production.stdout + production.stderr, warning);
        const staging = runPlan(["--stack", "staging", "--no-policy"]);
        assert.strictEqual(staging.status, 0);
        assert.doesNotMatch(staging.stdout + staging.stderr, warning);
    });
});

describe("identity config", () => {
    const base = () => readProgram(REPO_ROOT, "staging").config;
    const problems = (mutate: (c: Record<string, string>) => void): string[] => {
        const c = base();
        mutate(c);
        try {
            validateStackConfig(c, "retail-platform", "staging");
            return [];
        } catch (e: any) {
            return e.problems;
        }
    };
    const setIdentity = (v: unknown) => (c: Record<string, string>) => {
        c["retail-platform:identity"] = JSON.stringify(v);
    };

    it("accepts the committed stacks", () =>
        assert.deepStrictEqual(
            problems(() => undefined),
            [],
        ));
    it("refuses threat protection without the PLUS tier", () =>
        assert.deepStrictEqual(problems(setIdentity({ threatProtection: "ENFORCED" })), [
            'identity.threatProtection: needs tier "PLUS" (threat protection is a Plus feature), got tier "ESSENTIALS"',
        ]));
    it("refuses an SES identity in another region and one without a from address, all at once", () =>
        assert.deepStrictEqual(
            problems(
                setIdentity({ sesIdentityArn: `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`, tokens: { accessMinutes: 2 } }),
            ),
            [
                "identity.tokens.accessMinutes: must be an integer from 5 to 1440, got 2",
                "identity.fromEmailAddress: must be set together with sesIdentityArn",
            ],
        ));
    it("checks the SES identity's region once the section is valid", () =>
        assert.deepStrictEqual(
            problems(
                setIdentity({ sesIdentityArn: `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`, fromEmailAddress: "a@example.com" }),
            ),
            ["identity.sesIdentityArn: must be an identity in the user pools' region (eu-west-1), got one in us-east-1"],
        ));
    it("refuses a prefix with a reserved word", () =>
        assert.match(
            problems(setIdentity({ domainPrefix: "my-cognito-shop" }))[0],
            /^identity\.domainPrefix: must be a Cognito domain prefix/,
        ));
    it("refuses an unknown identity value on a PBC", () =>
        assert.deepStrictEqual(
            problems((c) => {
                const pbcs = JSON.parse(c["retail-platform:pbcs"]);
                pbcs.cart.identity = "yes";
                c["retail-platform:pbcs"] = JSON.stringify(pbcs);
            }),
            ['pbcs.cart.identity: must be true, false or "admin", got "yes"'],
        ));
    it("requires the governance budget", () =>
        assert.deepStrictEqual(
            problems((c) => {
                delete c["retail-platform:governance"];
            }),
            ["governance: must be an object, got nothing"],
        ));
});
