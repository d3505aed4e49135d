// `aws.iam.getPolicyDocument` as the provider computes it (terraform-provider-aws
// internal/service/iam/policy_document_data_source.go and policy_model.go): the statements rendered into an IAM
// policy JSON, source documents merged first, overrides last, a statement with a Sid replacing the earlier one
// with that Sid. Without it the mocks would return no `json` at all, and a policy built this way would reach the
// policy pack as no document — more lenient than AWS, which receives the rendered document.

interface PrincipalBlock {
    type: string;
    identifiers: string[];
}

interface ConditionBlock {
    test: string;
    variable: string;
    values: string[];
}

interface StatementBlock {
    sid?: string;
    effect?: string;
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    principals?: PrincipalBlock[];
    notPrincipals?: PrincipalBlock[];
    conditions?: ConditionBlock[];
}

export interface PolicyDocumentArgs {
    version?: string;
    policyId?: string;
    statements?: StatementBlock[];
    sourcePolicyDocuments?: string[];
    overridePolicyDocuments?: string[];
}

type Json = Record<string, unknown>;

/** A set of strings as the provider writes it: one value alone, several as a sorted list. */
function stringOrList(values: string[]): string | string[] {
    const unique = [...new Set(values)].sort();
    return unique.length === 1 ? unique[0] : unique;
}

/** `&{aws:username}` is the data source's escape for an IAM policy variable (`${…}` is taken by interpolation). */
function replaceVars(value: string, version: string): string {
    if (version === "2008-10-17" && value.includes("&{"))
        throw new Error(`found &{ sequence in (${value}), which is not supported in document version 2008-10-17`);
    return value.split("&{").join("${");
}

function principals(blocks: PrincipalBlock[], version: string): unknown {
    if (blocks.length === 1 && blocks[0].type === "*" && blocks[0].identifiers.length === 1 && blocks[0].identifiers[0] === "*") return "*";
    const byType = new Map<string, string[]>();
    for (const b of blocks) byType.set(b.type, [...(byType.get(b.type) ?? []), ...b.identifiers.map((i) => replaceVars(i, version))]);
    return Object.fromEntries([...byType].map(([type, ids]) => [type, stringOrList(ids)]));
}

function conditions(blocks: ConditionBlock[], version: string): Json {
    const out: Record<string, Record<string, string[]>> = {};
    for (const c of blocks) {
        const byVariable = (out[c.test] ??= {});
        byVariable[c.variable] = [...(byVariable[c.variable] ?? []), ...c.values.map((v) => replaceVars(v, version))];
    }
    return Object.fromEntries(
        Object.entries(out).map(([test, vars]) => [
            test,
            Object.fromEntries(Object.entries(vars).map(([variable, values]) => [variable, values.length === 1 ? values[0] : values])),
        ]),
    );
}

function statement(s: StatementBlock, version: string): Json {
    const out: Json = {};
    if (s.sid) out.Sid = s.sid;
    out.Effect = s.effect ?? "Allow";
    if (s.actions?.length) out.Action = stringOrList(s.actions);
    if (s.notActions?.length) out.NotAction = stringOrList(s.notActions);
    if (s.resources?.length) out.Resource = stringOrList(s.resources.map((r) => replaceVars(r, version)));
    if (s.notResources?.length) out.NotResource = stringOrList(s.notResources.map((r) => replaceVars(r, version)));
    if (s.principals?.length) out.Principal = principals(s.principals, version);
    if (s.notPrincipals?.length) out.NotPrincipal = principals(s.notPrincipals, version);
    if (s.conditions?.length) out.Condition = conditions(s.conditions, version);
    return out;
}

/** Merges `next` into `merged` as the provider does: a statement with a Sid already present replaces it in place. */
function merge(
    merged: { Version?: string; Id?: string; Statement: Json[] },
    next: { Version?: string; Id?: string; Statement?: Json[] | Json },
) {
    if (next.Version) merged.Version = next.Version;
    if (next.Id) merged.Id = next.Id;
    const statements = Array.isArray(next.Statement) ? next.Statement : next.Statement ? [next.Statement] : [];
    for (const s of statements) {
        const at = typeof s.Sid === "string" && s.Sid !== "" ? merged.Statement.findIndex((m) => m.Sid === s.Sid) : -1;
        if (at >= 0) merged.Statement[at] = s;
        else merged.Statement.push(s);
    }
}

/** The data source's `json` (indented) and `minifiedJson`, or the error the provider would return. */
export function renderPolicyDocument(args: PolicyDocumentArgs): { json: string; minifiedJson: string; id: string } {
    const version = args.version ?? "2012-10-17";
    const merged: { Version?: string; Id?: string; Statement: Json[] } = { Statement: [] };
    const sourceSids = new Set<string>();
    (args.sourcePolicyDocuments ?? []).forEach((text, i) => {
        const doc = JSON.parse(text) as { Statement?: Json[] | Json };
        const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
        statements.forEach((s, j) => {
            if (typeof s.Sid !== "string" || s.Sid === "") return;
            if (sourceSids.has(s.Sid))
                throw new Error(
                    `writing IAM Policy Document: merging source document ${i}: duplicate Sid (${s.Sid}) in source_policy_documents (statement ${j}). Remove the Sid or ensure Sids are unique.`,
                );
            sourceSids.add(s.Sid);
        });
        merge(merged, doc);
    });
    const own = new Set<string>();
    for (const s of args.statements ?? []) {
        if (!s.sid) continue;
        if (own.has(s.sid))
            throw new Error(`writing IAM Policy Document: duplicate Sid (${s.sid}). Remove the Sid or ensure the Sid is unique.`);
        own.add(s.sid);
    }
    merge(merged, { Version: version, Id: args.policyId, Statement: (args.statements ?? []).map((s) => statement(s, version)) });
    for (const text of args.overridePolicyDocuments ?? []) merge(merged, JSON.parse(text));
    const doc = { Version: merged.Version ?? version, ...(merged.Id ? { Id: merged.Id } : {}), Statement: merged.Statement };
    const json = JSON.stringify(doc, null, 2);
    return { json, minifiedJson: JSON.stringify(doc), id: String(hashCode(json)) };
}

/** The provider's id: a hash of the JSON (its value is opaque; a stable number is all a program can rely on). */
function hashCode(text: string): number {
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
    return Math.abs(h);
}
