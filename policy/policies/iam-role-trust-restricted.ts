import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { publicStatements } from "../lib/documents";
import { asArray, policyDocument } from "../lib/util";

/**
 * Web-identity trust without a condition on the provider's `aud` or `sub` claim lets any identity of that provider
 * (any GitHub repository, any Cognito identity pool) assume the role.
 */
function openFederation(doc: unknown): string[] {
    const d = policyDocument(doc);
    if (!d) return [];
    const out: string[] = [];
    asArray(d.Statement).forEach((st, i) => {
        if (!st || st.Effect !== "Allow" || !st.Principal || typeof st.Principal !== "object") return;
        const federated = asArray(st.Principal.Federated)
            .map(String)
            .filter((f) => !/:saml-provider\//.test(f));
        if (federated.length === 0) return;
        const keys = Object.values(st.Condition ?? {}).flatMap((block) => (block && typeof block === "object" ? Object.keys(block) : []));
        if (!keys.some((k) => /:(aud|sub|amr)$/i.test(k))) {
            out.push(
                `${st.Sid ? `statement ${st.Sid}` : `statement #${i + 1}`} trusts ${federated.join(", ")} with no condition on its aud or sub claim, so any identity of that provider can assume the role`,
            );
        }
    });
    return out;
}

/** A role whose trust policy lets anyone assume it is a public credential. */
export const iamRoleTrustRestricted: PackResourcePolicy = {
    kind: "resource",
    id: "iam-role-trust-restricted",
    description: "IAM role trust policies must not let any principal, or any identity of a web-identity provider, assume the role.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: [],
        pciDss: ["7.2.1", "8.2.2"],
        // No FSBP control checks role trust policies.
        securityHub: [],
    },
    remediation:
        "Trust named accounts, roles or service principals (with aws:SourceAccount / aws:SourceArn for services); for OIDC providers, condition on the token's aud and sub claims.",
    validateResource: validateResourceOfType(aws.iam.Role, (r, _args, report) => {
        for (const f of [...publicStatements(r.assumeRolePolicy), ...openFederation(r.assumeRolePolicy)])
            report(`trust policy: ${f} [platform rule].`);
    }),
};
