// Identity: Cognito in front of the storefront and the mobile app — the shoppers pool (self sign-up,
// optional TOTP) with its domain and public PKCE clients, the staff pool (administrator-created accounts, TOTP
// required) — and what the PBCs that validate shopper tokens are told about the shoppers pool.
import * as pulumi from "@pulumi/pulumi";
import { AuthDomain } from "../components/authDomain";
import { PolicyStatement } from "../components/iam";
import { RuntimeParameter, runtimeParameter } from "../components/runtimeParameter";
import { Tier } from "../components/tier";
import { UserPool } from "../components/userPool";
import { PlatformContext } from "./context";
import { PbcAccess } from "./grants";
import { Ingress } from "./ingress";

export interface IdentityDeps {
    /** The zone, the stack's names and the apex records a custom auth domain depends on. */
    ingress: Pick<Ingress, "zoneId" | "names" | "apexRecords">;
}

/** The admin actions the customer-facing PBC may need on the shoppers pool (account pages, GDPR erasure). */
export const POOL_ADMIN_ACTIONS = [
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminUpdateUserAttributes",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
    "cognito-idp:AdminDeleteUser",
    "cognito-idp:AdminUserGlobalSignOut",
    "cognito-idp:ListUsers",
];

export function declareIdentity(ctx: PlatformContext, deps: IdentityDeps) {
    const { config, namePrefix } = ctx;
    const id = config.identity;
    const tier = new Tier("identity");
    const parent = { parent: tier };
    const { names } = deps.ingress;

    if (!id.sesIdentityArn && ctx.isProduction) {
        pulumi.log.warn(
            "identity.sesIdentityArn is not set: Cognito's default sender is capped at a few dozen e-mails a day, too few for production sign-ups and password resets",
            tier,
        );
    }
    const common = {
        deletionProtection: ctx.isProduction ? ("ACTIVE" as const) : ("INACTIVE" as const),
        tier: id.tier,
        threatProtection: id.threatProtection,
        ses:
            id.sesIdentityArn && id.fromEmailAddress
                ? { identityArn: id.sesIdentityArn, fromEmailAddress: id.fromEmailAddress }
                : undefined,
        tokens: id.tokens,
    };
    const sites = [`https://${names.apex}`, `https://${names.www}`];
    const shoppers = new UserPool(
        `${namePrefix}-shoppers`,
        {
            ...common,
            poolName: `${namePrefix}-shoppers`,
            selfSignUp: true,
            mfa: "OPTIONAL",
            passwordMinimumLength: 12,
            clients: [
                { name: "storefront", callbackUrls: sites.map((s) => `${s}/auth/callback`), logoutUrls: sites.map((s) => `${s}/`) },
                { name: "mobile", callbackUrls: [`${id.mobileScheme}://auth/callback`], logoutUrls: [`${id.mobileScheme}://auth/signout`] },
            ],
        },
        parent,
    );
    const staff = new UserPool(
        `${namePrefix}-staff`,
        {
            ...common,
            poolName: `${namePrefix}-staff`,
            selfSignUp: false,
            mfa: "ON",
            passwordMinimumLength: 14,
            clients: [],
        },
        parent,
    );

    const domain = new AuthDomain(
        `${namePrefix}-auth`,
        {
            region: config.region,
            userPoolId: shoppers.pool.id,
            domain:
                id.domain === "custom"
                    ? { custom: `auth.${names.apex}`, zoneId: deps.ingress.zoneId, parentRecords: deps.ingress.apexRecords }
                    : { prefix: id.domainPrefix ?? namePrefix },
        },
        parent,
    );

    // Each PBC that declares identity validates shopper tokens itself (the ALB stays a plain router). The pool's and
    // clients' ids are AWS-assigned: the containers get them from parameters (see RuntimeParameter); the domain URL is
    // the program's own choice.
    const parameter = (role: string, description: string, value: pulumi.Input<string>) =>
        runtimeParameter(
            `${namePrefix}-runtime-${role}`,
            { name: `/${namePrefix}/runtime/identity/${role}`, description, value, region: config.region, accountId: ctx.accountId },
            parent,
        );
    const hasIdentityPbc = Object.values(config.pbcs).some((p) => p.identity);
    const parameters: Record<string, RuntimeParameter> = hasIdentityPbc
        ? {
              COGNITO_USER_POOL_ID: parameter("shopper-pool-id", "Shoppers user pool id", shoppers.pool.id),
              COGNITO_ISSUER_URL: parameter("shopper-issuer-url", "Shoppers user pool token issuer URL", shoppers.issuerUrl),
              COGNITO_JWKS_URL: parameter("shopper-jwks-url", "Shoppers user pool JWKS URL", shoppers.jwksUrl),
              COGNITO_STOREFRONT_CLIENT_ID: parameter(
                  "storefront-client-id",
                  "Shoppers pool storefront app client id",
                  shoppers.clients.storefront.id,
              ),
              COGNITO_MOBILE_CLIENT_ID: parameter("mobile-client-id", "Shoppers pool mobile app client id", shoppers.clients.mobile.id),
          }
        : {};
    const environment: Record<string, pulumi.Input<string>> = { COGNITO_DOMAIN_URL: domain.baseUrl };
    const accessByPbc: Record<string, PbcAccess> = {};
    for (const [name, pbc] of Object.entries(config.pbcs)) {
        if (!pbc.identity) continue;
        const statements =
            pbc.identity === "admin"
                ? [
                      shoppers.pool.arn.apply((arn): PolicyStatement => ({
                          Sid: "ShopperPoolAdmin",
                          Effect: "Allow",
                          Action: POOL_ADMIN_ACTIONS,
                          Resource: arn,
                      })),
                  ]
                : [];
        // The pool's ARN holds the id Cognito assigns: a policy of its own (see PbcAccess.assignedIdStatements).
        accessByPbc[name] = { statements: [], assignedIdStatements: statements, environment, parameters };
    }

    const outputs = {
        shopperPoolId: shoppers.pool.id,
        staffPoolId: staff.pool.id,
        issuerUrl: shoppers.issuerUrl,
        authDomainUrl: domain.baseUrl,
        clientIds: { storefront: shoppers.clients.storefront.id, mobile: shoppers.clients.mobile.id },
    };
    tier.complete(outputs);
    return { tier, outputs, shoppers, staff, domain, accessByPbc };
}
