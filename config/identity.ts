// identity: the Cognito user pools of the storefront and the mobile app (shoppers) and of the back office (staff).
import { z } from "zod";
import { int, obj, oneOf, str } from "./validators";

// Cognito prefix domains: lower-case letters, digits and hyphens, not starting or ending with a hyphen, and without
// the reserved words "aws", "amazon" or "cognito".
const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SES_IDENTITY_ARN = /^arn:aws[a-z-]*:ses:([a-z0-9-]+):\d{12}:identity\/[^\s]+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const tokens = obj({
    // Cognito accepts 5 minutes to 1 day for access and ID tokens, 1 hour to 10 years for refresh tokens.
    accessMinutes: int(5, 1440).default(60),
    idMinutes: int(5, 1440).default(60),
    refreshDays: int(1, 3650).default(30),
});

export const identitySchema = obj({
    // ESSENTIALS, or PLUS (threat protection; priced per monthly active user on top of ESSENTIALS).
    tier: oneOf(["ESSENTIALS", "PLUS"] as const).default("ESSENTIALS"),
    // Threat protection (advanced security) of the shoppers and staff pools; needs the PLUS tier.
    threatProtection: oneOf(["OFF", "AUDIT", "ENFORCED"] as const).default("OFF"),
    // "prefix": <domainPrefix>.auth.<region>.amazoncognito.com; "custom": auth.<ingress.domain> with its own certificate.
    domain: oneOf(["prefix", "custom"] as const).default("prefix"),
    // The prefix of a prefix domain (default "<project>-<stack>"), unique per region across all AWS accounts.
    domainPrefix: str(
        'a Cognito domain prefix (lower-case letters, digits, hyphens; no "aws", "amazon", "cognito")',
        (s) => PREFIX.test(s) && !/aws|amazon|cognito/.test(s),
    ).optional(),
    // Verified SES identity Cognito sends e-mail through (in the home region); absent: Cognito's capped default sender.
    sesIdentityArn: str('an SES identity ARN like "arn:aws:ses:eu-west-1:123456789012:identity/example.com"', (s) =>
        SES_IDENTITY_ARN.test(s),
    ).optional(),
    // From address of SES e-mail (required with sesIdentityArn).
    fromEmailAddress: str("an e-mail address", (s) => EMAIL.test(s)).optional(),
    // URL scheme of the mobile app's callback and sign-out URLs (<scheme>://auth/callback).
    mobileScheme: str(
        'a URL scheme like "shopapp" (a letter, then letters, digits, + . -)',
        (s) => /^[a-z][a-z0-9+.-]{1,31}$/.test(s) && !["http", "https"].includes(s),
    ).default("retailapp"),
    tokens: tokens.default({ accessMinutes: 60, idMinutes: 60, refreshDays: 30 }),
}).superRefine((c, ctx) => {
    if (c.threatProtection !== "OFF" && c.tier !== "PLUS") {
        ctx.addIssue({
            code: "custom",
            path: ["threatProtection"],
            message: `needs tier "PLUS" (threat protection is a Plus feature), got tier ${JSON.stringify(c.tier)}`,
        });
    }
    if (!!c.sesIdentityArn !== !!c.fromEmailAddress) {
        ctx.addIssue({
            code: "custom",
            path: [c.sesIdentityArn ? "fromEmailAddress" : "sesIdentityArn"],
            message: "must be set together with " + (c.sesIdentityArn ? "sesIdentityArn" : "fromEmailAddress"),
        });
    }
    if (c.domain === "custom" && c.domainPrefix) {
        ctx.addIssue({ code: "custom", path: ["domainPrefix"], message: 'applies only to domain "prefix"' });
    }
});

export type IdentityConfig = z.output<typeof identitySchema>;

/** Rules that depend on the home region; path is relative to `identity`. */
export function identityProblems(identity: IdentityConfig, region: string): { path: string[]; message: string }[] {
    const problems: { path: string[]; message: string }[] = [];
    const sesRegion = identity.sesIdentityArn ? SES_IDENTITY_ARN.exec(identity.sesIdentityArn)?.[1] : undefined;
    if (sesRegion && sesRegion !== region) {
        problems.push({
            path: ["sesIdentityArn"],
            message: `must be an identity in the user pools' region (${region}), got one in ${sesRegion}`,
        });
    }
    return problems;
}
