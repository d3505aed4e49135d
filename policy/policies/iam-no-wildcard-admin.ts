import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { asArray, globToRegExp, policyDocument } from "../lib/util";

/**
 * AWS-managed policies this policy's own rules would fail: AdministratorAccess ("*" on "*") and the
 * <Service>FullAccess policies (the whole service, e.g. AmazonS3FullAccess's s3:* on "*"; IAMFullAccess's iam:*).
 * PowerUserAccess (everything but IAM, Organizations and Account) is left out: it is AWS's managed policy for
 * deployment roles, and the platform's CI deploy roles (bootstrap/) pair it with IAM scoped to their own stack.
 */
const ADMIN_POLICY_ARNS = /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|[A-Za-z0-9]+_?FullAccess)$/;

function grants(arn: string): string {
    if (/\/AdministratorAccess$/.test(arn)) return "full administrative access";
    return 'full access to a whole service on "*"';
}

function matches(pattern: string, action: string): boolean {
    return globToRegExp(pattern, true).test(action);
}

/**
 * Findings of one policy document, per Allow statement: every action (`*`, `*:*`) or a whole service (`s3:*`) on
 * every resource; NotAction or NotResource (an Allow of everything except a list); iam:PassRole (directly or by a
 * wildcard such as iam:Pass*) on every resource. A `*` resource with specific actions — as Lambda's VPC
 * permissions (ec2:CreateNetworkInterface …) require — is fine.
 */
export function wildcardFindings(doc: unknown): string[] {
    const d = policyDocument(doc);
    if (!d) return [];
    const out: string[] = [];
    asArray(d.Statement).forEach((st, i) => {
        if (!st || st.Effect !== "Allow") return;
        const label = st.Sid ? `statement ${st.Sid}` : `statement #${i + 1}`;
        if (st.NotAction !== undefined) {
            out.push(`${label} allows every action except ${asArray(st.NotAction).join(", ")} (NotAction with Allow).`);
            return;
        }
        if (st.NotResource !== undefined) {
            out.push(
                `${label} allows ${asArray(st.Action).join(", ")} on every resource except ${asArray(st.NotResource).join(", ")} (NotResource with Allow).`,
            );
            return;
        }
        const allResources = asArray(st.Resource).some((r: unknown) => r === "*");
        if (!allResources) return;
        const actions = asArray(st.Action).map(String);
        if (actions.some((a) => a === "*" || a === "*:*")) {
            out.push(`${label} allows "*" on "*" (full administrator).`);
            return;
        }
        const services = actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a));
        if (services.length) {
            out.push(`${label} allows ${services.join(", ")} on "*" (full access to a whole service).`);
            return;
        }
        const pass = actions.filter((a) => matches(a, "iam:PassRole"));
        if (pass.length) out.push(`${label} allows ${pass.join(", ")} on "*" (any role can be passed to any service).`);
    });
    return out;
}

export const iamNoWildcardAdmin: PackResourcePolicy = {
    kind: "resource",
    id: "iam-no-wildcard-admin",
    description:
        "IAM policies must not allow * or a whole service on * resources, NotAction or NotResource, nor iam:PassRole on *; no attachment may grant an administrator policy.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["iam-policy-no-statements-with-admin-access", "iam-policy-no-statements-with-full-access"],
        pciDss: ["7.2.1", "7.2.2"],
        // The policy also judges inline policies, attachments, NotAction/NotResource and iam:PassRole on "*".
        // Not IAM.21: it fails "service:*" on any resource; this policy only on "*".
        securityHub: [
            "IAM.1", // IAM policies should not allow full "*" administrative privileges
        ],
    },
    remediation:
        "Name the actions the principal needs, and for iam:PassRole the role ARNs it may pass (with an iam:PassedToService condition).",
    validateResource: [
        validateResourceOfType(aws.iam.Policy, (p, _a, report) => wildcardFindings(p.policy).forEach((f) => report(f))),
        validateResourceOfType(aws.iam.RolePolicy, (p, _a, report) => wildcardFindings(p.policy).forEach((f) => report(f))),
        validateResourceOfType(aws.iam.UserPolicy, (p, _a, report) => wildcardFindings(p.policy).forEach((f) => report(f))),
        validateResourceOfType(aws.iam.GroupPolicy, (p, _a, report) => wildcardFindings(p.policy).forEach((f) => report(f))),
        validateResourceOfType(aws.iam.Role, (r, _a, report) => {
            for (const ip of r.inlinePolicies ?? [])
                wildcardFindings(ip.policy).forEach((f) => report(`inline policy ${ip.name ?? ""}: ${f}`));
            for (const arn of r.managedPolicyArns ?? [])
                if (ADMIN_POLICY_ARNS.test(arn)) report(`managed policy ${arn} grants ${grants(arn)}.`);
        }),
        validateResourceOfType(aws.iam.RolePolicyAttachment, (a, _a, report) => {
            if (ADMIN_POLICY_ARNS.test(a.policyArn)) report(`attaches ${a.policyArn}, which grants ${grants(a.policyArn)}.`);
        }),
        validateResourceOfType(aws.iam.UserPolicyAttachment, (a, _a, report) => {
            if (ADMIN_POLICY_ARNS.test(a.policyArn)) report(`attaches ${a.policyArn}, which grants ${grants(a.policyArn)}.`);
        }),
        validateResourceOfType(aws.iam.GroupPolicyAttachment, (a, _a, report) => {
            if (ADMIN_POLICY_ARNS.test(a.policyArn)) report(`attaches ${a.policyArn}, which grants ${grants(a.policyArn)}.`);
        }),
        validateResourceOfType(aws.iam.PolicyAttachment, (a, _a, report) => {
            if (ADMIN_POLICY_ARNS.test(a.policyArn)) report(`attaches ${a.policyArn}, which grants ${grants(a.policyArn)}.`);
        }),
    ],
};
