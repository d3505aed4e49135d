import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { known, parseJson, UNKNOWN, type Inputs } from "../lib/util";

/** The stack's environment: the resource's own `environment` tag, else the provider's default tags'. */
function environmentOf(tags: unknown, provider: { props: Inputs } | undefined): string | undefined | typeof UNKNOWN {
    const own = tags && typeof tags === "object" ? (tags as Record<string, unknown>).environment : undefined;
    if (typeof own === "string") return own;
    if (!provider) return undefined;
    const raw = known(() => provider.props.defaultTags);
    if (raw === UNKNOWN) return UNKNOWN;
    const parsed = parseJson(raw) as Inputs;
    const env = (parsed?.tags ?? (Array.isArray(parsed) ? parsed[0]?.tags : undefined))?.environment;
    return typeof env === "string" ? env : undefined;
}

/**
 * Advisory: production user pools should run threat protection (adaptive authentication, compromised-credential
 * checks). It needs the PLUS feature plan, billed per monthly active user, hence a recommendation rather than a rule.
 */
export const cognitoThreatProtection: PackResourcePolicy = {
    kind: "resource",
    id: "cognito-threat-protection",
    description: "Production Cognito user pools should have threat protection on (AUDIT or ENFORCED, PLUS plan).",
    severity: "medium",
    enforcementLevel: "advisory",
    neverSuppressible: false,
    controls: {
        awsConfig: [],
        pciDss: ["8.3.4"],
        // No FSBP control: Cognito.1 (threat protection, full-function enforcement) is not in the FSBP standard, and this policy
        // also accepts AUDIT.
        securityHub: [],
    },
    remediation: 'Set userPoolTier: "PLUS" and userPoolAddOns.advancedSecurityMode: "ENFORCED" (or "AUDIT") on production pools.',
    validateResource: validateResourceOfType(aws.cognito.UserPool, (pool, args, report) => {
        const environment = environmentOf(
            known(() => args.props.tags),
            args.provider,
        );
        if (environment === UNKNOWN) return;
        if (environment !== "production")
            args.notApplicable(`the pool is not tagged environment=production (got ${environment ?? "no environment tag"})`);
        const mode = pool.userPoolAddOns?.advancedSecurityMode ?? "OFF";
        if (mode === "OFF")
            report(`threat protection is off (advancedSecurityMode ${pool.userPoolAddOns ? "OFF" : "not set"}) on a production user pool.`);
    }),
};
