// `aws.iam.getPolicyDocument` as the provider computes it (terraform-provider-aws
// internal/service/iam/policy_document_data_source.go and policy_model.go): every statement — the data source's own,
// and those of its source and override documents — goes through the provider's policy model and is written back out
// from it; source documents merge first, overrides last, a statement with a Sid replacing the earlier one with that
// Sid. Without it the mocks would return no `json` at all, and a policy built this way would reach the policy pack as
// no document — more lenient than AWS, which receives the rendered document.

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

/** The provider's model of one statement (iamPolicyStatement); Action/Resource keep the form they were given. */
interface ModelStatement {
    Sid?: string;
    Effect?: string;
    Action?: unknown;
    NotAction?: unknown;
    Resource?: unknown;
    NotResource?: unknown;
    Principal?: { type: string; identifiers: string | string[] }[];
    NotPrincipal?: { type: string; identifiers: string | string[] }[];
    Condition?: { test: string; variable: string; values: string | string[] }[];
}

interface ModelDoc {
    Version: string;
    Id?: string;
    Statement: ModelStatement[];
}

/** A configured set of strings (policyDecodeConfigStrings): one value alone, several sorted in reverse order. */
function configStrings(values: string[]): string | string[] {
    const unique = [...new Set(values)];
    return unique.length === 1 ? unique[0] : unique.sort().reverse();
}

/** `&{aws:username}` is the data source's escape for an IAM policy variable (`${…}` is taken by interpolation). */
function replaceVars(value: string, version: string): string {
    if (version === "2008-10-17" && value.includes("&{"))
        throw new Error(`found &{ sequence in (${value}), which is not supported in document version 2008-10-17`);
    return value.split("&{").join("${");
}

function sameCondition(a: ConditionBlock, b: ConditionBlock): boolean {
    return a.test === b.test && a.variable === b.variable && JSON.stringify(a.values) === JSON.stringify(b.values);
}

/** One `statement` block of the data source, as the provider reads it into its model. */
function fromBlock(s: StatementBlock, version: string): ModelStatement {
    const effect = s.effect ?? "Allow";
    if (effect !== "Allow" && effect !== "Deny") throw new Error(`expected statement.effect to be one of ["Allow" "Deny"], got ${effect}`);
    if (s.sid !== undefined && !/^[a-zA-Z0-9]*$/.test(s.sid))
        throw new Error(`invalid value for statement.sid (must only contain alphanumeric characters), got ${JSON.stringify(s.sid)}`);
    const out: ModelStatement = { Effect: effect };
    if (s.sid) out.Sid = s.sid;
    if (s.actions?.length) out.Action = configStrings(s.actions);
    if (s.notActions?.length) out.NotAction = configStrings(s.notActions);
    if (s.resources?.length) out.Resource = configStrings(s.resources.map((r) => replaceVars(r, version)));
    if (s.notResources?.length) out.NotResource = configStrings(s.notResources.map((r) => replaceVars(r, version)));
    const principals = (blocks: PrincipalBlock[]) =>
        blocks.map((b) => ({ type: b.type, identifiers: configStrings(b.identifiers.map((i) => replaceVars(i, version))) }));
    if (s.principals?.length) out.Principal = principals(s.principals);
    if (s.notPrincipals?.length) out.NotPrincipal = principals(s.notPrincipals);
    // Condition blocks are a set: an identical block given twice is one block.
    const conditions = (s.conditions ?? []).filter((c, i, all) => all.findIndex((d) => sameCondition(c, d)) === i);
    if (conditions.length)
        out.Condition = conditions.map((c) => {
            const values = c.values.map((v) => replaceVars(v, version));
            return { test: c.test, variable: c.variable, values: values.length === 1 ? values[0] : values };
        });
    return out;
}

/** A source or override document read into the model (iamPolicyDoc's UnmarshalJSON), refusing what the provider refuses. */
function fromJson(text: string, what: string): ModelDoc {
    const doc = JSON.parse(text) as Record<string, unknown>;
    if (doc.Statement !== undefined && !Array.isArray(doc.Statement))
        throw new Error(`writing IAM Policy Document: merging ${what}: json: cannot unmarshal object into Go struct field .Statement`);
    const principals = (p: unknown, where: string): ModelStatement["Principal"] => {
        if (p === undefined) return undefined;
        if (typeof p === "string") return [{ type: "*", identifiers: ["*"] }];
        if (!p || typeof p !== "object" || Array.isArray(p)) throw new Error(`${what}: unsupported ${where}`);
        return Object.entries(p as Record<string, unknown>).map(([type, v]) => {
            if (typeof v === "string") return { type, identifiers: v };
            if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
                throw new Error(`${what}: unsupported identifiers for principal type ${JSON.stringify(type)}: must be strings`);
            return { type, identifiers: [...(v as string[])].sort() };
        });
    };
    const conditions = (c: unknown): ModelStatement["Condition"] => {
        if (c === undefined) return undefined;
        const out: NonNullable<ModelStatement["Condition"]> = [];
        for (const [test, vars] of Object.entries(c as Record<string, Record<string, unknown>>)) {
            for (const [variable, v] of Object.entries(vars)) {
                if (typeof v === "string") out.push({ test, variable, values: [v] });
                else if (typeof v === "boolean") out.push({ test, variable, values: String(v) });
                else if (Array.isArray(v)) {
                    if (v.some((x) => typeof x !== "string"))
                        throw new Error(`${what}: condition ${test} ${variable}: values must be strings`);
                    out.push({ test, variable, values: v as string[] });
                }
                // Any other value (a number) the provider's model does not read: it is left out of the document.
            }
        }
        return out;
    };
    return {
        Version: typeof doc.Version === "string" ? doc.Version : "",
        Id: typeof doc.Id === "string" ? doc.Id : undefined,
        Statement: ((doc.Statement as Record<string, unknown>[] | undefined) ?? []).map((s) => ({
            Sid: typeof s.Sid === "string" ? s.Sid : undefined,
            Effect: typeof s.Effect === "string" ? s.Effect : undefined,
            Action: s.Action,
            NotAction: s.NotAction,
            Resource: s.Resource,
            NotResource: s.NotResource,
            Principal: principals(s.Principal, "Principal"),
            NotPrincipal: principals(s.NotPrincipal, "NotPrincipal"),
            Condition: conditions(s.Condition),
        })),
    };
}

/** iamPolicyDoc.Merge: adopt a later Id, keep the higher Version, a statement with a known Sid replaces it in place. */
function merge(into: ModelDoc, next: ModelDoc): void {
    if (next.Id) into.Id = next.Id;
    if (next.Version > into.Version) into.Version = next.Version;
    for (const s of next.Statement) {
        const at = s.Sid ? into.Statement.findIndex((m) => m.Sid === s.Sid) : -1;
        if (at >= 0) into.Statement[at] = s;
        else into.Statement.push(s);
    }
}

/** The principal set as policy_model.go writes it: a lone `*` as "*", identifiers of a type gathered, lists in reverse order. */
function writePrincipals(set: NonNullable<ModelStatement["Principal"]>): unknown {
    if (set.length === 1 && set[0].type === "*") {
        const ids = set[0].identifiers;
        if (ids === "*" || (Array.isArray(ids) && ids.length === 1 && ids[0] === "*")) return "*";
    }
    const raw: Record<string, string | string[]> = {};
    for (const p of set) {
        const had = raw[p.type];
        if (Array.isArray(p.identifiers)) {
            const ids = [...p.identifiers].sort().reverse();
            raw[p.type] = [...(had === undefined ? [] : Array.isArray(had) ? had : [had]), ...ids];
        } else raw[p.type] = had === undefined ? p.identifiers : [...(Array.isArray(had) ? had : [had]), p.identifiers];
    }
    return raw;
}

/** The condition set as policy_model.go writes it: values of one operator and key gathered in order, one value as a string. */
function writeConditions(set: NonNullable<ModelStatement["Condition"]>): unknown {
    const raw: Record<string, Record<string, string[]>> = {};
    for (const c of set) {
        const byVariable = (raw[c.test] ??= {});
        byVariable[c.variable] = [...(byVariable[c.variable] ?? []), ...(Array.isArray(c.values) ? c.values : [c.values])];
    }
    return Object.fromEntries(
        Object.entries(raw).map(([test, vars]) => [
            test,
            Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v.length === 1 ? v[0] : v])),
        ]),
    );
}

function writeStatement(s: ModelStatement): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const set = (key: string, value: unknown) => {
        if (value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0)) out[key] = value;
    };
    set("Sid", s.Sid);
    set("Effect", s.Effect);
    set("Action", s.Action);
    set("NotAction", s.NotAction);
    set("Resource", s.Resource);
    set("NotResource", s.NotResource);
    if (s.Principal?.length) out.Principal = writePrincipals(s.Principal);
    if (s.NotPrincipal?.length) out.NotPrincipal = writePrincipals(s.NotPrincipal);
    if (s.Condition?.length) out.Condition = writeConditions(s.Condition);
    return out;
}

/** The data source's `json` (indented) and `minifiedJson`, or the error the provider would return. */
export function renderPolicyDocument(args: PolicyDocumentArgs): { json: string; minifiedJson: string; id: string } {
    const version = args.version ?? "2012-10-17";
    const merged: ModelDoc = { Version: "", Statement: [] };
    const sourceSids = new Set<string>();
    (args.sourcePolicyDocuments ?? []).forEach((text, i) => {
        const doc = fromJson(text, `source document ${i}`);
        doc.Statement.forEach((s, j) => {
            if (!s.Sid) return;
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
    merge(merged, { Version: version, Id: args.policyId, Statement: (args.statements ?? []).map((s) => fromBlock(s, version)) });
    (args.overridePolicyDocuments ?? []).forEach((text, i) => merge(merged, fromJson(text, `override document ${i}`)));
    const doc: Record<string, unknown> = {};
    if (merged.Version) doc.Version = merged.Version;
    if (merged.Id) doc.Id = merged.Id;
    if (merged.Statement.length) doc.Statement = merged.Statement.map(writeStatement);
    const json = JSON.stringify(doc, null, 2);
    return { json, minifiedJson: JSON.stringify(doc), id: String(hashCode(json)) };
}

/** The provider's id: a hash of the JSON (its value is opaque; a stable number is all a program can rely on). */
function hashCode(text: string): number {
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
    return Math.abs(h);
}
