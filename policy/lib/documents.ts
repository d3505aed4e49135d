// Reading resource-based policy documents: who a statement admits, and whether a condition pins that to an account,
// an organisation, a source ARN, a VPC or a VPC endpoint.
import { asArray, parseJson } from "./util";

/**
 * Condition keys that tie a request to a known account, organisation, source resource or network path. A
 * statement open to `*` is not public when one of them is set to fixed values (IAM Access Analyzer's rule too).
 */
const PINNING_KEYS = new Set([
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:resourceaccount",
    "aws:resourceorgid",
    "kms:calleraccount",
    "lambda:functionarn",
]);

/** Operators whose values restrict (negated and null-checking operators do not). */
function pinningOperator(op: string): boolean {
    const base = op.replace(/^(ForAnyValue|ForAllValues):/i, "").replace(/IfExists$/i, "");
    return /^(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/i.test(base);
}

/** True when the statement's Condition pins the caller with fixed (non-wildcard) values. */
export function pinnedByCondition(condition: unknown): boolean {
    if (!condition || typeof condition !== "object") return false;
    for (const [op, block] of Object.entries(condition as Record<string, unknown>)) {
        if (!pinningOperator(op) || !block || typeof block !== "object") continue;
        for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
            if (!PINNING_KEYS.has(key.toLowerCase())) continue;
            const list = asArray(values as unknown[]).map(String);
            if (list.length > 0 && list.every((v) => v !== "*" && !/^\*+$/.test(v) && !/^arn:[^:]*:[^:]*:[^:]*:\*/.test(v))) return true;
        }
    }
    return false;
}

/** The principal values of one statement that mean "anyone": `*`, `{ AWS: "*" }`, `{ CanonicalUser: "*" }`. */
function anyonePrincipal(principal: unknown): boolean {
    if (principal === "*") return true;
    if (!principal || typeof principal !== "object") return false;
    for (const [kind, v] of Object.entries(principal as Record<string, unknown>)) {
        if (kind === "Service" || kind === "Federated") continue;
        if (asArray(v as unknown[]).some((x) => x === "*" || x === "arn:aws:iam::*:root")) return true;
    }
    return false;
}

/**
 * Allow statements that admit anyone without a pinning condition, described for a finding. `NotPrincipal` with
 * Allow admits everyone except the named principals, so it counts too.
 */
export function publicStatements(doc: unknown): string[] {
    const d = parseJson(doc) as { Statement?: unknown } | undefined;
    if (!d || typeof d !== "object") return [];
    const out: string[] = [];
    asArray(d.Statement as unknown[]).forEach((raw, i) => {
        const st = raw as Record<string, unknown> | undefined;
        if (!st || st.Effect !== "Allow") return;
        const label = st.Sid ? `statement ${String(st.Sid)}` : `statement #${i + 1}`;
        const actions =
            asArray((st.Action ?? st.NotAction) as unknown[])
                .map(String)
                .join(", ") || "(no action)";
        if (st.NotPrincipal !== undefined) {
            if (!pinnedByCondition(st.Condition)) out.push(`${label} allows ${actions} to every principal except the NotPrincipal list`);
            return;
        }
        if (anyonePrincipal(st.Principal) && !pinnedByCondition(st.Condition)) {
            out.push(
                `${label} allows ${actions} to any principal ("*") with no condition pinning the account, organisation, source ARN or VPC endpoint`,
            );
        }
    });
    return out;
}

/**
 * Allow statements that admit an AWS service principal with no condition pinning the source account or resource,
 * described for a finding. A service acting for any customer (S3 event notifications, EventBridge rules, CloudWatch
 * alarms, other topics) could then use the grant on behalf of another account's resource — the cross-service
 * confused deputy AWS's guides close with aws:SourceArn or aws:SourceAccount.
 */
export function unpinnedServiceStatements(doc: unknown): string[] {
    const d = parseJson(doc) as { Statement?: unknown } | undefined;
    if (!d || typeof d !== "object") return [];
    const out: string[] = [];
    asArray(d.Statement as unknown[]).forEach((raw, i) => {
        const st = raw as Record<string, unknown> | undefined;
        if (!st || st.Effect !== "Allow" || !st.Principal || typeof st.Principal !== "object") return;
        const services = asArray((st.Principal as Record<string, unknown>).Service as unknown[]).map(String);
        if (services.length === 0 || pinnedByCondition(st.Condition)) return;
        const label = st.Sid ? `statement ${String(st.Sid)}` : `statement #${i + 1}`;
        out.push(
            `${label} allows ${services.join(", ")} with no aws:SourceArn or aws:SourceAccount condition, so that service acting for any account's resource can use it`,
        );
    });
    return out;
}
