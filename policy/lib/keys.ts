// The stack's customer-managed KMS keys and whether a key reference names one of them.
import type { PolicyResource } from "@pulumi/policy";
import { StackGraph, identifiers, read } from "./graph";
import { UNKNOWN, asArray, parseJson, type Inputs, type PolicyDocument } from "./util";

export const KEY_TYPES = [
    "aws:kms/key:Key",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/externalKey:ExternalKey",
    "aws:kms/replicaExternalKey:ReplicaExternalKey",
];
export const ALIAS_TYPE = "aws:kms/alias:Alias";
export const KEY_POLICY_TYPE = "aws:kms/keyPolicy:KeyPolicy";

const KMS_ARN = /^arn:aws[a-z-]*:kms:([^:]*):([^:]*):(key|alias)\/(.+)$/;

export type KeyMatch =
    | { kind: "declared"; key: PolicyResource }
    | { kind: "deferred" } // unknown at preview and not traceable: judged at update
    | { kind: "absent" }
    | { kind: "aws-managed"; value: string }
    | { kind: "foreign"; value: string };

export class StackKeys {
    readonly keys: PolicyResource[];
    readonly aliases: { alias: PolicyResource; name: string | undefined; key: PolicyResource | undefined }[];
    private readonly keyIds = new Map<string, PolicyResource>();

    constructor(private readonly graph: StackGraph) {
        this.keys = graph.ofType(...KEY_TYPES);
        for (const k of this.keys) for (const id of identifiers(k)) this.keyIds.set(id, k);
        this.aliases = graph.ofType(ALIAS_TYPE).map((a) => {
            const name = read(a, (p) => p.name);
            const target = read(a, (p) => p.targetKeyId);
            const key =
                graph.referenced(a, "targetKeyId", target, KEY_TYPES)[0] ?? (typeof target === "string" ? this.byValue(target) : undefined);
            return { alias: a, name: typeof name === "string" ? name : undefined, key };
        });
    }

    /** A declared key a plain value (ARN, key id, alias name or alias ARN) names, if any. */
    byValue(value: string): PolicyResource | undefined {
        const direct = this.keyIds.get(value);
        if (direct) return direct;
        const arn = KMS_ARN.exec(value);
        if (arn) {
            if (arn[3] === "key") return this.keyIds.get(arn[4]);
            return this.aliases.find((a) => a.name === `alias/${arn[4]}`)?.key;
        }
        if (value.startsWith("alias/")) return this.aliases.find((a) => a.name === value)?.key;
        return undefined;
    }

    /**
     * Judges the key reference in input `prop` of `r` (value read by `get`). The property dependency on a declared
     * key (or on an alias of one) is authoritative; a known value is matched against every declared key's ARN, id
     * and alias; an unknown value without such a dependency is deferred to the update.
     */
    match(r: PolicyResource, prop: string, get: (p: Inputs) => unknown): KeyMatch {
        const value = read(r, get);
        const viaDeps =
            this.graph.dependencies(r, prop, KEY_TYPES)[0] ??
            this.graph
                .dependencies(r, prop, [ALIAS_TYPE])
                .map((a) => this.aliases.find((x) => x.alias === a)?.key)
                .find((k) => k);
        if (value === UNKNOWN) return viaDeps ? { kind: "declared", key: viaDeps } : { kind: "deferred" };
        if (value === undefined || value === null || value === "") return { kind: "absent" };
        const s = String(value);
        if (isAwsManagedKeyRef(s)) return { kind: "aws-managed", value: s };
        const byValue = this.byValue(s);
        if (byValue) return { kind: "declared", key: byValue };
        if (viaDeps) return { kind: "declared", key: viaDeps };
        return { kind: "foreign", value: s };
    }

    /** The key policy document of a declared key: its `policy` input or a KeyPolicy resource's. UNKNOWN if not known yet. */
    policyOf(key: PolicyResource): unknown {
        const policies = this.graph.ofType(KEY_POLICY_TYPE).filter((kp) => {
            const v = read(kp, (p) => p.keyId);
            return this.graph.dependencies(kp, "keyId", KEY_TYPES).includes(key) || (typeof v === "string" && this.byValue(v) === key);
        });
        const docs = policies.length ? policies.map((kp) => read(kp, (p) => p.policy)) : [read(key, (p) => p.policy)];
        if (docs.some((d) => d === UNKNOWN)) return UNKNOWN;
        // Several KeyPolicy resources for one key would fight; the last declared wins in practice.
        return parseJson(docs[docs.length - 1]);
    }
}

/** `alias/aws/<service>` (by name or ARN) or the literal AWS-owned key marker names an AWS-managed key. */
export function isAwsManagedKeyRef(v: string): boolean {
    return /(^|:)alias\/aws\//.test(v) || v === "AWS_OWNED_KMS_KEY";
}

/** True when the key policy lets `servicePrincipal` decrypt and generate data keys (the calls delivery makes). */
export function keyPolicyAllowsService(doc: unknown, servicePrincipal: string): boolean {
    if (!doc || typeof doc !== "object") return false;
    const statements = asArray((doc as PolicyDocument).Statement);
    const granted = new Set<string>();
    for (const st of statements) {
        if (!st || st.Effect !== "Allow") continue;
        const principal = typeof st.Principal === "object" ? st.Principal : undefined;
        const services = asArray(principal?.Service).map(String);
        if (!services.includes(servicePrincipal) && st.Principal !== "*" && principal?.AWS !== "*") continue;
        if (st.Principal === "*" || principal?.AWS === "*") continue; // a wildcard principal is not a grant we count
        for (const a of asArray(st.Action).map((x: unknown) => String(x).toLowerCase())) {
            if (a === "*" || a === "kms:*") {
                granted.add("decrypt");
                granted.add("generate");
            }
            if (a === "kms:decrypt" || a === "kms:decrypt*") granted.add("decrypt");
            if (a.startsWith("kms:generatedatakey") || a === "kms:generate*") granted.add("generate");
        }
    }
    return granted.has("decrypt") && granted.has("generate");
}
