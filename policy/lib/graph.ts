// Joins between resources of one stack, for stack policies.
//
// A reference from one resource to another arrives two ways: as a property dependency (the input was an output of
// the other resource — the analyzer sends the URNs per input property) and as a value (an id, name or ARN). The
// dependency is authoritative and works at preview, when ids are unknown; the value match covers references that
// were built from plain strings. A reference that matches no declared resource points outside the program and is
// not judged.
import type { PolicyResource } from "@pulumi/policy";
import { known, UNKNOWN, asArray, type Inputs } from "./util";

export class StackGraph {
    readonly byUrn = new Map<string, PolicyResource>();
    private readonly byType = new Map<string, PolicyResource[]>();

    constructor(readonly resources: PolicyResource[]) {
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
            const list = this.byType.get(r.type);
            if (list) list.push(r);
            else this.byType.set(r.type, [r]);
        }
    }

    ofType(...types: string[]): PolicyResource[] {
        const out: PolicyResource[] = [];
        for (const t of types) out.push(...(this.byType.get(t) ?? []));
        return out;
    }

    /** Resources of `types` that `r`'s input `prop` depends on. */
    dependencies(r: PolicyResource, prop: string, types: string[]): PolicyResource[] {
        const deps = r.propertyDependencies?.[prop] ?? [];
        return deps.filter((d) => d && types.includes(d.type));
    }

    /**
     * Resources of `types` that the value(s) `values` of `r`'s input `prop` refer to: by property dependency, or by
     * a value equal to one of the target's identifiers.
     */
    referenced(r: PolicyResource, prop: string, values: unknown, types: string[]): PolicyResource[] {
        const found = new Set<PolicyResource>(this.dependencies(r, prop, types));
        const vals = plainStrings(values);
        if (vals.length) {
            for (const t of this.ofType(...types)) {
                const ids = identifiers(t);
                if (vals.some((v) => ids.has(v))) found.add(t);
            }
        }
        return [...found];
    }

    /** Resources of `types` whose input `prop` refers to `target` (inverse of {@link referenced}). */
    referrers(target: PolicyResource, types: string[], prop: string, read: (p: Inputs) => unknown): PolicyResource[] {
        const ids = identifiers(target);
        return this.ofType(...types).filter((r) => {
            if ((r.propertyDependencies?.[prop] ?? []).some((d) => d === target)) return true;
            return plainStrings(known(() => read(r.props))).some((x) => ids.has(x));
        });
    }
}

/** The known, non-empty strings among a value or list of values (elements unknown at preview are skipped). */
export function plainStrings(values: unknown): string[] {
    if (values === UNKNOWN || values === undefined || values === null) return [];
    const list = known(() => asArray(values as unknown[]).length);
    if (list === UNKNOWN) return [];
    const out: string[] = [];
    const arr = asArray(values as unknown[]);
    for (let i = 0; i < list; i++) {
        const v = known(() => arr[i]);
        if (typeof v === "string" && v.length > 0) out.push(v);
    }
    return out;
}

/**
 * Values that may stand for a resource in another resource's inputs: its id/arn/name outputs when the analyzer sent
 * outputs (the CLI's AnalyzeStack does), and its name-like inputs. Ids that exist only as outputs are matched through
 * property dependencies instead.
 */
export function identifiers(r: PolicyResource): Set<string> {
    // A resource's props do not change during one analysis, and joins ask for the same target's identifiers once per
    // referring resource: computed once each.
    const cached = identifierCache.get(r);
    if (cached) return cached;
    const ids = new Set<string>();
    for (const k of ["id", "arn", "name", "bucket", "keyId", "queueUrl", "url"]) {
        const v = known(() => r.props[k]);
        if (typeof v === "string" && v) ids.add(v);
    }
    identifierCache.set(r, ids);
    return ids;
}

const identifierCache = new WeakMap<PolicyResource, Set<string>>();

/** Reads a value through the unknown-checking proxy; UNKNOWN when it is not known yet. */
export function read<T = unknown>(r: { props: Inputs }, f: (p: Inputs) => T): T | typeof UNKNOWN {
    return known(() => f(r.props));
}
