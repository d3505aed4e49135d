// Per-resource exemptions: one list in the pack's config, under the `policy-exemptions` policy:
//
//   { "policy-exemptions": { "exemptions": [
//       { "policy": "alb-drop-invalid-headers", "resource": "urn:pulumi:*::*::aws:lb/loadBalancer:LoadBalancer::legacy-*",
//         "reason": "Legacy partner integration sends malformed headers; removal tracked in RET-1234",
//         "expires": "2026-03-31" } ] } }
//
// `resource` is a URN or a glob over URNs (`*` any characters, `?` one). An exemption needs a reason of at least
// ten characters and an expiry date (YYYY-MM-DD, valid through that day, UTC). An entry that lacks either, has
// expired, names an unknown policy, or names a never-suppressible policy is refused — it exempts nothing and is
// itself reported as a mandatory violation of `policy-exemptions`. Every exemption that suppresses a violation is
// reported as one advisory line `exempted <policy>: <reason> (expires <date>)` on the exempted resource, so the audit
// trail is in every preview's output.
import type { ReportViolation } from "@pulumi/policy";
import type { PackPolicy } from "./types";
import { EXEMPTIONS_POLICY_ID, exemptionMessage } from "./exemptionMessage";
import { globToRegExp } from "./util";

export { EXEMPTIONS_POLICY_ID, exemptionMessage, parseExemptionMessage } from "./exemptionMessage";
export const MIN_REASON_LENGTH = 10;

export interface ExemptionEntry {
    policy: string;
    resource: string;
    reason: string;
    expires: string;
}

export interface ActiveExemption extends ExemptionEntry {
    index: number;
    matcher: RegExp;
}

export interface ExemptionProblem {
    index: number;
    message: string;
}

export interface ExemptionState {
    active: ActiveExemption[];
    problems: ExemptionProblem[];
}

interface CatalogEntry {
    neverSuppressible: boolean;
}

let catalog = new Map<string, CatalogEntry>();
let state: ExemptionState = { active: [], problems: [] };
let stateKey = "";

/** The pack registers its policies so exemptions can be checked against them. */
export function setCatalog(policies: ReadonlyArray<Pick<PackPolicy, "id" | "neverSuppressible">>): void {
    catalog = new Map(policies.map((p) => [p.id, { neverSuppressible: p.neverSuppressible }]));
}

export function todayUtc(): string {
    return new Date().toISOString().slice(0, 10);
}

function validDate(s: string): boolean {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Validates the configured list; pure. */
export function parseExemptions(raw: unknown, today: string = todayUtc()): ExemptionState {
    const active: ActiveExemption[] = [];
    const problems: ExemptionProblem[] = [];
    if (raw === undefined || raw === null) return { active, problems };
    if (!Array.isArray(raw)) return { active, problems: [{ index: -1, message: "`exemptions` must be a list" }] };
    raw.forEach((entry, index) => {
        const where = `exemption #${index + 1}`;
        if (!entry || typeof entry !== "object" || Array.isArray(entry)) {
            problems.push({ index, message: `${where} must be an object { policy, resource, reason, expires }` });
            return;
        }
        const e = entry as Record<string, unknown>;
        const policy = typeof e.policy === "string" ? e.policy.trim() : "";
        const resource = typeof e.resource === "string" ? e.resource.trim() : "";
        const reason = typeof e.reason === "string" ? e.reason.trim() : "";
        const expires = typeof e.expires === "string" ? e.expires.trim() : "";
        const label = `${where} (${policy || "no policy"} on ${resource || "no resource"})`;
        const errors: string[] = [];
        if (!policy) errors.push("names no policy");
        else if (policy === EXEMPTIONS_POLICY_ID || catalog.get(policy)?.neverSuppressible)
            errors.push(`is refused: ${policy} is never-suppressible`);
        else if (catalog.size > 0 && !catalog.has(policy)) errors.push(`names unknown policy "${policy}"`);
        if (!resource) errors.push("names no resource (a URN or a glob over URNs)");
        if (reason.length === 0) errors.push("has no reason");
        else if (reason.length < MIN_REASON_LENGTH) errors.push(`has a reason shorter than ${MIN_REASON_LENGTH} characters`);
        if (!expires) errors.push("has no expiry date (expires: YYYY-MM-DD)");
        else if (!validDate(expires)) errors.push(`has an invalid expiry date "${expires}" (expected YYYY-MM-DD)`);
        else if (expires < today) errors.push(`expired on ${expires}`);
        if (errors.length) {
            problems.push({ index, message: `${label} ${errors.join("; ")}; it exempts nothing` });
            return;
        }
        active.push({ index, policy, resource, reason, expires, matcher: globToRegExp(resource) });
    });
    return { active, problems };
}

/** Loads the config the `policy-exemptions` policy received (called before any other policy runs). */
export function loadExemptionConfig(config: { exemptions?: unknown } | undefined, today: string = todayUtc()): ExemptionState {
    const key = `${today}\0${JSON.stringify(config?.exemptions ?? null)}`;
    if (key !== stateKey) {
        state = parseExemptions(config?.exemptions, today);
        stateKey = key;
    }
    return state;
}

export function currentExemptions(): ExemptionState {
    return state;
}

/** Resets to "no exemptions" (tests). */
export function resetExemptions(): void {
    state = { active: [], problems: [] };
    stateKey = "";
}

export function findExemption(policy: string, urn: string): ActiveExemption | undefined {
    if (!urn) return undefined; // stack-wide violations without a resource cannot be exempted
    return state.active.find((e) => e.policy === policy && e.matcher.test(urn));
}

/** Object form of reportViolation (supported by @pulumi/policy's server, not declared in its types). */
type ReportObject = (info: {
    name?: string;
    message?: string;
    urn?: string;
    enforcementLevel?: string;
    severity?: string;
    description?: string;
}) => void;

/**
 * Wraps a policy's reportViolation: an exempted violation becomes one advisory `policy-exemptions` line; a
 * never-suppressible policy always reports as mandatory, whatever enforcement level config asked for.
 */
export function wrapReport(
    p: Pick<PackPolicy, "id" | "description" | "severity" | "neverSuppressible">,
    report: ReportViolation,
    resourceUrn: string,
): ReportViolation {
    const reportObject = report as unknown as ReportObject;
    return (message: string, urn?: string) => {
        const target = urn ?? resourceUrn;
        if (!p.neverSuppressible) {
            const ex = findExemption(p.id, target);
            if (ex) {
                reportObject({
                    name: EXEMPTIONS_POLICY_ID,
                    message: exemptionMessage(ex),
                    urn: target || undefined,
                    enforcementLevel: "advisory",
                    severity: "low",
                    description: `Exemption used for ${p.id}`,
                });
                return;
            }
            report(message, urn);
            return;
        }
        reportObject({
            name: p.id,
            message: message ? `${p.description}\n${message}` : p.description,
            urn,
            enforcementLevel: "mandatory",
            severity: p.severity,
            description: p.description,
        });
    };
}
