// The first `pulumi preview` of a new stack, emulated: nothing exists yet, so the provider computes no output at all.
//
// - Mocks: every resource gets an unknown id and no computed state. Its inputs pass through (a bridged provider's
//   preview of a create plans the inputs as given, computed attributes unknown); only the name the provider's Check
//   generates for an autonamed resource is known, as it is in a real preview.
// - Check: the analyzer sees a resource's inputs after the provider's Check, which turns an IAM policy document —
//   object or string — into one JSON string; when any leaf of the document is unknown the whole string is unknown.
import type * as pulumi from "@pulumi/pulumi";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG_SECRET = "1b47061264138c4ac30d75fd1eb44270";
const SIG_OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Inputs a provider's Check autonames (known at preview); every other computed output stays unknown. */
const AUTONAMED = ["name", "bucket"];

export class FirstDeployMocks implements pulumi.runtime.Mocks {
    constructor(private readonly inner: pulumi.runtime.Mocks) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const planned = this.inner.newResource(args) as { id?: string; state: Record<string, unknown> };
        const state: Record<string, unknown> = { ...args.inputs };
        for (const k of AUTONAMED) {
            if (state[k] === undefined && planned.state?.[k] !== undefined && args.inputs[`${k}Prefix`] === undefined)
                state[k] = planned.state[k];
        }
        return { id: "", state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return this.inner.call(args) as Record<string, unknown>;
    }
}

/**
 * Inputs typed `string | PolicyDocument` in @pulumi/aws, per resource type: the provider's Check serializes these
 * (pulumi-aws marks them with the JSON-document transform). String-only document inputs need no transform: a string
 * built from an unknown value is wholly unknown already.
 */
export const POLICY_DOCUMENT_INPUTS: Record<string, string[]> = {
    "aws:iam/role:Role": ["assumeRolePolicy"],
    "aws:iam/policy:Policy": ["policy"],
    "aws:iam/rolePolicy:RolePolicy": ["policy"],
    "aws:iam/userPolicy:UserPolicy": ["policy"],
    "aws:iam/groupPolicy:GroupPolicy": ["policy"],
    "aws:s3/bucket:Bucket": ["policy"],
    "aws:s3/bucketPolicy:BucketPolicy": ["policy"],
    "aws:sns/topicPolicy:TopicPolicy": ["policy"],
    "aws:sqs/queuePolicy:QueuePolicy": ["policy"],
    "aws:ecr/repositoryPolicy:RepositoryPolicy": ["policy"],
    "aws:ecr/registryPolicy:RegistryPolicy": ["policy"],
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": ["policy"],
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": ["policyDocument"],
    "aws:elasticsearch/domain:Domain": ["accessPolicies"],
    "aws:elasticsearch/domainPolicy:DomainPolicy": ["accessPolicies"],
};

/** True when any leaf of a wire value is unknown. */
function hasUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(hasUnknown);
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG_KEY] === SIG_OUTPUT && !("value" in o)) return true;
        return Object.values(o).some(hasUnknown);
    }
    return false;
}

/** A known wire value as plain JSON data, and whether a secret was inside. */
function plain(v: unknown): { value: unknown; secret: boolean } {
    if (Array.isArray(v)) {
        const items = v.map(plain);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG_KEY] === SIG_SECRET) return { value: plain(o.value).value, secret: true };
        if (o[SIG_KEY] === SIG_OUTPUT) {
            const inner = plain(o.value);
            return { value: inner.value, secret: inner.secret || !!o.secret };
        }
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(o)) {
            const p = plain(x);
            secret ||= p.secret;
            out[k] = p.value;
        }
        return { value: out, secret };
    }
    return { value: v, secret: false };
}

/** One document input after Check: unknown if any leaf is unknown, else a JSON string (secret if any part was). */
export function checkDocument(v: unknown): unknown {
    if (v === undefined || v === null) return v;
    if (hasUnknown(v)) return UNKNOWN;
    const { value, secret } = plain(v);
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return secret ? { [SIG_KEY]: SIG_SECRET, value: text } : text;
}

/** A registration's wire inputs as the provider's Check returns them (document inputs serialized). */
export function checkTransform(type: string, object: Record<string, unknown>): Record<string, unknown> {
    const keys = POLICY_DOCUMENT_INPUTS[type];
    if (!keys) return object;
    const out = { ...object };
    for (const k of keys) if (k in out) out[k] = checkDocument(out[k]);
    return out;
}
