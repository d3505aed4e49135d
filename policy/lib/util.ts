// Small pure helpers shared by the policies.
import { type PolicyResource, UnknownValueError } from "@pulumi/policy";

/**
 * Untyped provider inputs as the analyzer delivers them (@pulumi/policy's `PolicyResource.props`), and nested blocks
 * and parsed JSON documents within them. Their shape is the provider's schema, not this repo's types, and any read may
 * throw UnknownValueError at preview: read them through {@link known} or graph.ts's `read`.
 */
export type Inputs = PolicyResource["props"];

/** Marker for "this value is not known yet" (a preview of a value computed by the provider). */
export const UNKNOWN: unique symbol = Symbol("unknown-at-preview");
export type Unknown = typeof UNKNOWN;

export function isUnknownError(e: unknown): boolean {
    return e instanceof UnknownValueError || (e instanceof Error && e.constructor?.name === "UnknownValueError");
}

/**
 * Reads through the analyzer's unknown-checking proxy: returns UNKNOWN instead of throwing when any value on the
 * path is unknown at preview. Use it where one unknown value must not hide a definite violation elsewhere.
 */
export function known<T>(read: () => T): T | Unknown {
    try {
        return read();
    } catch (e) {
        if (isUnknownError(e)) return UNKNOWN;
        throw e;
    }
}

/** Arrays as arrays, a single value as a one-element array, absent as []. */
export function asArray<T>(v: T | T[] | undefined | null): T[] {
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? v : [v];
}

/** A JSON document given as a string (policy documents, container definitions) or already as an object. */
export function parseJson(v: unknown): unknown {
    if (typeof v === "string") {
        try {
            return JSON.parse(v);
        } catch {
            return undefined;
        }
    }
    return v;
}

/** The principal of a JSON policy statement: "*" or principals by kind. */
export interface PrincipalMap {
    AWS?: string | string[];
    Service?: string | string[];
    Federated?: string | string[];
}

/** A statement of a JSON policy document (IAM policy grammar), fields as the author wrote them. */
export interface PolicyStatement {
    Sid?: string;
    Effect?: string;
    Principal?: "*" | PrincipalMap;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: Record<string, Record<string, unknown> | undefined>;
}

export interface PolicyDocument {
    Statement?: PolicyStatement | PolicyStatement[];
}

/** A policy document given as JSON text or as an object; undefined when it is neither. */
export function policyDocument(doc: unknown): PolicyDocument | undefined {
    const d = parseJson(doc);
    return d && typeof d === "object" ? (d as PolicyDocument) : undefined;
}

/** Case-insensitive glob (`*` any run of characters, `?` one character) to an anchored RegExp. */
export function globToRegExp(glob: string, caseInsensitive = false): RegExp {
    const src = glob
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${src}$`, caseInsensitive ? "i" : "");
}

export function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

export function isFalse(v: unknown): boolean {
    return v === false || v === "false";
}

/** Non-empty string. */
export function present(v: unknown): v is string {
    return typeof v === "string" && v.length > 0;
}

/** The `region` a resource is declared in when it sets one (v7 per-resource region), else its provider's. */
export function regionOf(props: Inputs, provider?: { props: Inputs }): string | undefined {
    const r = known(() => props.region);
    if (typeof r === "string" && r) return r;
    const p = provider ? known(() => provider.props.region) : undefined;
    return typeof p === "string" && p ? p : undefined;
}

/**
 * True when an input is set: a non-empty value, or a value not known until the update (an output of a resource that
 * does not exist yet — a key ARN at a first preview will be some ARN). Absent, null and "" are not set.
 */
export function setOrUnknown(read: () => unknown): boolean {
    const v = known(read);
    return v === UNKNOWN || (v !== undefined && v !== null && v !== "");
}

/**
 * A plain copy of a value read through the analyzer's unknown-checking proxy, with every value unknown at preview
 * left out (so code that tolerates absent inputs, like the cost estimate, runs at a first preview instead of being
 * skipped as "can't run").
 */
export function knownCopy(value: unknown): unknown {
    const read = known(() => value);
    if (read === UNKNOWN || read === null || typeof read !== "object") return read === UNKNOWN ? undefined : read;
    if (Array.isArray(read)) {
        const length = known(() => read.length);
        if (length === UNKNOWN) return undefined;
        const out: unknown[] = [];
        for (let i = 0; i < length; i++) {
            const item = knownCopy(known(() => read[i]));
            if (item !== undefined) out.push(item);
        }
        return out;
    }
    const keys = known(() => Object.keys(read));
    if (keys === UNKNOWN) return undefined;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
        const item = knownCopy(known(() => (read as Record<string, unknown>)[key]));
        if (item !== undefined) out[key] = item;
    }
    return out;
}
