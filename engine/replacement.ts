// Which input changes make the provider replace a resource, from the provider's own schema (forceNew.json, with
// the source of each entry), and a diff of two plans by URN that lists them.
import data from "./forceNew.json";

export interface ReplacementData {
    provider: { package: string; version: string; bridges: string };
    source: string;
    types: Record<
        string,
        {
            terraform: string;
            /** The provider repository the file is in, when not hashicorp/terraform-provider-aws. */
            repository?: string;
            file: string;
            commit: string;
            note?: string;
            forceNew: Record<string, string>;
            conditional?: Record<string, string>;
        }
    >;
    notExtracted: { reason: string; types: string[] };
}

export const REPLACEMENT: ReplacementData = data;

/** A rule's source kind: which of cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId is set. */
const sourceKindChanges = (_field: string, before: unknown, after: unknown) => (before === undefined) !== (after === undefined);

/**
 * Conditional replacements the diff can decide from the change and the resource's inputs; any other condition the
 * data notes counts as replacing.
 */
const CONDITIONS: Record<string, (field: string, before: unknown, after: unknown, inputs: Record<string, unknown>) => boolean> = {
    // ModifyPlan: replaces when the source kind changes.
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": sourceKindChanges,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": sourceKindChanges,
    // customizeDiffLoadBalancerNLB: subnets and security groups replace only a network load balancer.
    "aws:lb/loadBalancer:LoadBalancer": (field, _b, _a, inputs) =>
        field === "subnetMappings" || (inputs.loadBalancerType ?? "application") === "network",
};

/**
 * Whether changing `field` from `before` to `after` may replace a resource of `type` with these (new) `inputs`: its
 * ForceNew fields; its conditional ones unless the condition is ruled out; and `region`, which provider v6 replaces on.
 * Undefined when the type was not read.
 */
export function mayReplace(
    type: string,
    field: string,
    before: unknown,
    after: unknown,
    inputs: Record<string, unknown> = {},
): boolean | undefined {
    const entry = REPLACEMENT.types[type];
    if (!entry) return undefined;
    if (field in entry.forceNew || field === "region") return true;
    if (entry.conditional && field in entry.conditional) return CONDITIONS[type]?.(field, before, after, inputs) ?? true;
    return false;
}

/** The value at a dotted path; a list along the way yields the list of its elements' values (a nested block). */
function valueAt(inputs: Record<string, unknown> | undefined, path: string): unknown {
    let value: unknown = inputs;
    for (const key of path.split(".")) {
        if (Array.isArray(value)) value = value.map((v) => (v as Record<string, unknown> | undefined)?.[key]);
        else value = (value as Record<string, unknown> | undefined)?.[key];
    }
    return value;
}

/** Order-insensitive for sets of scalars (subnet ids, AZs), exact otherwise. */
function canonical(value: unknown): string {
    if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null))
        return JSON.stringify([...value].map(String).sort());
    return JSON.stringify(value ?? null);
}

export interface PlanResourceLike {
    urn: string;
    type: string;
    inputs: Record<string, unknown>;
}

export interface ForcedReplacement {
    urn: string;
    type: string;
    field: string;
    before: unknown;
    after: unknown;
}

/**
 * Resources present in both plans (matched by URN) whose change touches a field the provider replaces on. Types
 * not in the data are returned in `unknownTypes` when any of their inputs changed, so a caller can refuse to
 * call them safe.
 */
export function replacementsBetween(
    before: readonly PlanResourceLike[],
    after: readonly PlanResourceLike[],
): { replaced: ForcedReplacement[]; unknownTypes: string[] } {
    const afterByUrn = new Map(after.map((r) => [r.urn, r]));
    const replaced: ForcedReplacement[] = [];
    const unknown = new Set<string>();
    for (const old of before) {
        const next = afterByUrn.get(old.urn);
        if (!next) continue;
        const entry = REPLACEMENT.types[old.type];
        if (!entry) {
            if (canonical(old.inputs) !== canonical(next.inputs)) unknown.add(old.type);
            continue;
        }
        for (const field of [...new Set([...Object.keys(entry.forceNew), ...Object.keys(entry.conditional ?? {}), "region"])]) {
            const [a, b] = [valueAt(old.inputs, field), valueAt(next.inputs, field)];
            if (canonical(a) !== canonical(b) && mayReplace(old.type, field, a, b, next.inputs))
                replaced.push({ urn: old.urn, type: old.type, field, before: a, after: b });
        }
    }
    return { replaced, unknownTypes: [...unknown].sort() };
}
