import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { publicStatements } from "../lib/documents";
import { asArray, policyDocument } from "../lib/util";

/**
 * The audience AWS's own guides give every OIDC provider used for STS (GitHub Actions, EKS service accounts): the
 * same value for every customer of that provider, so a condition on it alone admits any of their identities.
 */
const SHARED_AUDIENCE = "sts.amazonaws.com";

/** Values that pin a claim: at least one with fixed content (not only wildcards, nor GitHub's bare `repo:` prefix). */
function pinningValues(values: unknown, reject: (v: string) => boolean = () => false): boolean {
    const list = asArray(values as unknown[]).map(String);
    return list.length > 0 && list.every((v) => v.replace(/^repo:/i, "").replace(/[*?]/g, "").length > 0 && !reject(v));
}

/**
 * Web-identity trust must pin which identities of the provider may assume the role: a condition on the token's
 * `sub` claim (the repository, the service account), or on its `aud` claim when the audience is specific to the
 * account (a Cognito identity pool id, an OAuth client id). Without one — or with only `aud` = sts.amazonaws.com,
 * which every GitHub repository's token carries — any identity of that provider can assume the role; AWS IAM
 * recommends evaluating token.actions.githubusercontent.com:sub in every role that trusts GitHub's provider.
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
        const claims = Object.entries(st.Condition ?? {}).flatMap(([op, block]) =>
            /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringLike)(IgnoreCase)?$/i.test(op) && block && typeof block === "object"
                ? Object.entries(block)
                : [],
        );
        const pinned = claims.some(
            ([k, v]) =>
                (/:sub$/i.test(k) && pinningValues(v)) ||
                (/:aud$/i.test(k) && pinningValues(v, (x) => x.toLowerCase() === SHARED_AUDIENCE)),
        );
        if (!pinned) {
            out.push(
                `${st.Sid ? `statement ${st.Sid}` : `statement #${i + 1}`} trusts ${federated.join(", ")} with no condition on its aud or sub claim that names your identities (sub, or an aud other than ${SHARED_AUDIENCE}), so any identity of that provider can assume the role`,
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
