import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { throwArgumentErrors } from "./argumentErrors";

/** A public app client (no secret) signing users in with the authorization-code grant and PKCE. */
export interface AppClient {
    /** Client name, e.g. "storefront". */
    readonly name: string;
    /** Redirect URLs after sign-in (HTTPS, or the app's own scheme for a native app). */
    readonly callbackUrls: readonly string[];
    /** Redirect URLs after sign-out. */
    readonly logoutUrls: readonly string[];
}

export interface UserPoolArgs {
    /** Physical pool name. */
    readonly poolName: string;
    /** Shoppers sign themselves up; staff accounts are created by administrators only. */
    readonly selfSignUp: boolean;
    /** "OPTIONAL": each user may enrol TOTP; "ON": every user must. */
    readonly mfa: "OPTIONAL" | "ON";
    /** Minimum password length (the pack's floor is 12); all four character classes are required. */
    readonly passwordMinimumLength: number;
    /** "ACTIVE" in production: the pool cannot be deleted until it is turned off. */
    readonly deletionProtection: "ACTIVE" | "INACTIVE";
    /** Feature plan: PLUS adds threat protection (billed per monthly active user). */
    readonly tier: "ESSENTIALS" | "PLUS";
    /** Threat protection (advanced security) mode; anything but OFF needs PLUS. */
    readonly threatProtection: "OFF" | "AUDIT" | "ENFORCED";
    /** Send e-mail through this verified SES identity in the pool's region; absent: Cognito's default sender. */
    readonly ses?: { readonly identityArn: string; readonly fromEmailAddress: string };
    /** App clients of the pool. */
    readonly clients: readonly AppClient[];
    /** Token lifetimes of every client. */
    readonly tokens: { readonly accessMinutes: number; readonly idMinutes: number; readonly refreshDays: number };
}

/**
 * A Cognito user pool signing in by e-mail address: a strong password policy, TOTP MFA, account recovery by verified
 * e-mail only, and its public app clients (authorization code with PKCE, no client secret, user-existence errors
 * suppressed, token revocation on).
 */
export class UserPool extends pulumi.ComponentResource {
    readonly pool: aws.cognito.UserPool;
    readonly clients: Record<string, aws.cognito.UserPoolClient> = {};
    /** https://cognito-idp.<region>.amazonaws.com/<pool id>: the `iss` of the pool's tokens. */
    readonly issuerUrl: pulumi.Output<string>;
    readonly jwksUrl: pulumi.Output<string>;

    constructor(name: string, args: UserPoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:identity:UserPool", name, {}, opts);
        const problems: string[] = [];
        if (args.threatProtection !== "OFF" && args.tier !== "PLUS")
            problems.push(`threatProtection ${args.threatProtection} needs tier PLUS, got ${args.tier}`);
        if (!Number.isInteger(args.passwordMinimumLength) || args.passwordMinimumLength < 12 || args.passwordMinimumLength > 99)
            problems.push(`passwordMinimumLength must be 12-99, got ${args.passwordMinimumLength}`);
        if (new Set(args.clients.map((c) => c.name)).size !== args.clients.length) problems.push("clients must have distinct names");
        for (const c of args.clients) {
            for (const url of [...c.callbackUrls, ...c.logoutUrls]) {
                // Cognito accepts HTTPS, http://localhost, and a native app's own scheme.
                if (/^http:/.test(url) && !/^http:\/\/localhost(:\d+)?\//.test(url))
                    problems.push(`client ${c.name}: ${url} must use HTTPS`);
            }
            if (c.callbackUrls.length === 0) problems.push(`client ${c.name} needs at least one callback URL`);
        }
        throwArgumentErrors(this, problems);

        this.pool = new aws.cognito.UserPool(
            `${name}-pool`,
            {
                name: args.poolName,
                usernameAttributes: ["email"],
                autoVerifiedAttributes: ["email"],
                usernameConfiguration: { caseSensitive: false },
                adminCreateUserConfig: { allowAdminCreateUserOnly: !args.selfSignUp },
                passwordPolicy: {
                    minimumLength: args.passwordMinimumLength,
                    requireLowercase: true,
                    requireUppercase: true,
                    requireNumbers: true,
                    requireSymbols: true,
                    temporaryPasswordValidityDays: 3,
                },
                mfaConfiguration: args.mfa,
                softwareTokenMfaConfiguration: { enabled: true },
                accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
                deletionProtection: args.deletionProtection,
                userPoolTier: args.tier,
                ...(args.tier === "PLUS" ? { userPoolAddOns: { advancedSecurityMode: args.threatProtection } } : {}),
                emailConfiguration: args.ses
                    ? { emailSendingAccount: "DEVELOPER", sourceArn: args.ses.identityArn, fromEmailAddress: args.ses.fromEmailAddress }
                    : { emailSendingAccount: "COGNITO_DEFAULT" },
            },
            { parent: this },
        );
        this.issuerUrl = pulumi.interpolate`https://${this.pool.endpoint}`;
        this.jwksUrl = pulumi.interpolate`${this.issuerUrl}/.well-known/jwks.json`;

        for (const client of args.clients) {
            this.clients[client.name] = new aws.cognito.UserPoolClient(
                `${name}-${client.name}`,
                {
                    name: client.name,
                    userPoolId: this.pool.id,
                    generateSecret: false,
                    allowedOauthFlowsUserPoolClient: true,
                    allowedOauthFlows: ["code"],
                    allowedOauthScopes: ["openid", "email", "profile"],
                    supportedIdentityProviders: ["COGNITO"],
                    callbackUrls: [...client.callbackUrls],
                    logoutUrls: [...client.logoutUrls],
                    explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                    preventUserExistenceErrors: "ENABLED",
                    enableTokenRevocation: true,
                    accessTokenValidity: args.tokens.accessMinutes,
                    idTokenValidity: args.tokens.idMinutes,
                    refreshTokenValidity: args.tokens.refreshDays,
                    tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
                },
                { parent: this },
            );
        }
        this.registerOutputs({ userPoolId: this.pool.id, issuerUrl: this.issuerUrl });
    }
}
