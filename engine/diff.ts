// Compares two plan JSONs (`npm run plan -- --json`): resources matched by URN (or by an alias that links them),
// changed fields with those that force a replacement, new and resolved policy violations, and the cost delta;
// printed as text or as Markdown for a pull-request comment.
//   npm run plan -- --stack staging --base old.json [--diff-markdown diff.md]
//   node -r ./engine/register.js engine/diff.ts old.json new.json [--markdown diff.md]
import * as fs from "fs";
import { mockAssignedIds } from "./mocks";
import { autonameFor, NAME_RULES } from "./naming";
import { mayReplace } from "./replacement";

export interface DiffResource {
    urn: string;
    type: string;
    name: string;
    parent?: string | null;
    inputs: Record<string, unknown>;
    /** Alias URNs the engine resolved for the resource (optional: older plans do not carry them). */
    aliases?: string[];
    options?: { deleteBeforeReplace?: boolean; aliases?: string[]; ignoreChanges?: string[] };
}

export interface DiffPlan {
    project?: string;
    stack: string;
    resources: DiffResource[];
    outputs?: Record<string, unknown>;
    policies?: { violations: { policy: string; urn: string; message: string; enforcement: string }[] };
    cost?: { monthlyUsd: number; byTier?: Record<string, number> };
}

/** Does changing `field` (an input name, or a dotted path into nested blocks) replace a resource of `type`? */
export type ForcesReplacement = (
    type: string,
    field: string,
    before?: unknown,
    after?: unknown,
    inputs?: Record<string, unknown>,
) => boolean;

/**
 * Fields marked ForceNew in terraform-provider-aws v6 (bridged by @pulumi/aws 7.x) for the stateful and most-changed
 * types, written before engine/forceNew.json was read from the provider source. Kept as a floor under that data:
 * some stored schema snapshots predate a field (the bucket's `objectLockEnabled`), and reporting a replacement that
 * does not happen is the safe error.
 */
export const LOCAL_FORCE_NEW: Record<string, readonly string[]> = {
    "aws:rds/cluster:Cluster": [
        "clusterIdentifier",
        "engine",
        "engineMode",
        "databaseName",
        "masterUsername",
        "storageEncrypted",
        "kmsKeyId",
        "dbSubnetGroupName",
        "availabilityZones",
        "snapshotIdentifier",
    ],
    "aws:rds/clusterInstance:ClusterInstance": ["identifier", "clusterIdentifier", "engine", "dbSubnetGroupName", "availabilityZone"],
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"],
    "aws:dynamodb/table:Table": ["name", "hashKey", "rangeKey"],
    "aws:elasticache/serverlessCache:ServerlessCache": ["name", "kmsKeyId", "subnetIds"],
    "aws:kinesis/stream:Stream": ["name"],
    "aws:kms/key:Key": ["customerMasterKeySpec", "keyUsage", "multiRegion"],
    "aws:secretsmanager/secret:Secret": ["name", "namePrefix"],
    "aws:sqs/queue:Queue": ["name", "fifoQueue"],
    "aws:sns/topic:Topic": ["name", "fifoTopic"],
    "aws:ec2/vpc:Vpc": ["cidrBlock", "instanceTenancy"],
    "aws:ec2/subnet:Subnet": ["cidrBlock", "vpcId", "availabilityZone"],
    "aws:lb/loadBalancer:LoadBalancer": ["name", "internal", "loadBalancerType"],
    "aws:lb/targetGroup:TargetGroup": ["name", "port", "protocol", "targetType", "vpcId"],
    "aws:ecs/service:Service": ["name", "cluster", "launchType"],
    // A task definition revision is immutable: every change registers a new one.
    "aws:ecs/taskDefinition:TaskDefinition": ["*"],
    "aws:lambda/function:Function": ["name"],
    "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix"],
    "aws:cloudwatch/eventBus:EventBus": ["name"],
    "aws:redshiftserverless/namespace:Namespace": ["namespaceName"],
    "aws:redshiftserverless/workgroup:Workgroup": ["workgroupName", "namespaceName"],
};

export const localForcesReplacement: ForcesReplacement = (type, field) => {
    const fields = LOCAL_FORCE_NEW[type];
    return !!fields && (fields.includes("*") || fields.includes(field));
};

/**
 * The default: a field replaces when the provider schema (engine/forceNew.json) or the local floor says so; a type in
 * neither may replace on any change, so the diff never calls an unread change an in-place update.
 */
export const schemaForcesReplacement: ForcesReplacement = (type, field, before, after, inputs) => {
    const schema = mayReplace(type, field, before, after, inputs);
    if (schema === undefined && LOCAL_FORCE_NEW[type] === undefined) return true;
    return localForcesReplacement(type, field) || (schema ?? false);
};

/** Types holding data that a replacement loses (or must be restored from backup). */
export const STATEFUL_TYPES = new Set([
    "aws:rds/cluster:Cluster",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:rds/instance:Instance",
    "aws:dynamodb/table:Table",
    "aws:s3/bucket:Bucket",
    "aws:elasticache/serverlessCache:ServerlessCache",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:kinesis/stream:Stream",
    "aws:kms/key:Key",
    "aws:secretsmanager/secret:Secret",
    "aws:sqs/queue:Queue",
    "aws:backup/vault:Vault",
    "aws:redshiftserverless/namespace:Namespace",
    "aws:efs/fileSystem:FileSystem",
    "aws:cognito/userPool:UserPool",
    "aws:route53/zone:Zone",
    "aws:cloudwatch/logGroup:LogGroup",
]);

/** Inputs that give a resource its physical name: set explicitly, the provider must delete the old one first. */
const NAME_FIELDS = [
    "name",
    "bucket",
    "clusterIdentifier",
    "identifier",
    "functionName",
    "roleName",
    "workgroupName",
    "namespaceName",
    "tableName",
    "streamName",
];

const SECRET = "[secret]";

export type ChangeKind = "update" | "replace";

export interface FieldChange {
    field: string;
    /** "replacement": changing it replaces the resource; "secret": not compared. */
    mark?: "replacement" | "secret — not compared";
}

export interface ResourceChange {
    urn: string;
    type: string;
    kind: ChangeKind;
    fields: FieldChange[];
    /** Replacement with delete-before-replace (an explicit physical name, or the option). */
    deleteBeforeReplace: boolean;
    /** The earlier URN when an alias linked them. */
    aliasedFrom?: string;
    stateful: boolean;
}

export interface ViolationKey {
    policy: string;
    urn: string;
    enforcement: string;
    message: string;
}

export interface PlanDiff {
    stack: string;
    production: boolean;
    created: DiffResource[];
    deleted: DiffResource[];
    /** URN on one side only, same type and name on the other, no alias between them: delete + create. */
    replacedByUrn: { from: DiffResource; to: DiffResource; stateful: boolean }[];
    changed: ResourceChange[];
    aliased: { from: string; to: string }[];
    newViolations: ViolationKey[];
    resolvedViolations: ViolationKey[];
    cost?: { before: number; after: number; delta: number; byTier: Record<string, number> };
}

function canonical(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
    if (v && typeof v === "object")
        return `{${Object.keys(v)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
            .join(",")}}`;
    return JSON.stringify(v ?? null);
}

function containsSecret(v: unknown): boolean {
    if (v === SECRET) return true;
    if (Array.isArray(v)) return v.some(containsSecret);
    if (v && typeof v === "object") return Object.values(v).some(containsSecret);
    return false;
}

/** Dotted leaf paths under a value (lists are looked through, as a nested block's attributes are). */
function leafPaths(v: unknown, prefix: string, out: Set<string>): void {
    if (Array.isArray(v)) {
        for (const e of v) leafPaths(e, prefix, out);
    } else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) leafPaths(x, `${prefix}.${k}`, out);
    }
    out.add(prefix);
}

function valueAt(v: unknown, path: string[]): unknown {
    let value = v;
    for (const key of path) {
        if (Array.isArray(value)) value = value.map((e) => (e as Record<string, unknown> | undefined)?.[key]);
        else value = (value as Record<string, unknown> | undefined)?.[key];
    }
    return value;
}

function parentAliasUrns(r: DiffResource, byUrn: Map<string, DiffResource>, seen = new Set<string>()): string[] {
    // The Pulumi engine gives a child every alias of its parent: the child's URN with the parent's type chain replaced.
    const own = [...(r.aliases ?? []), ...(r.options?.aliases ?? [])].filter((a) => a.startsWith("urn:"));
    if (!r.parent || seen.has(r.urn)) return own;
    seen.add(r.urn);
    const parent = byUrn.get(r.parent);
    if (!parent) return own;
    const parentAliases = parentAliasUrns(parent, byUrn, seen);
    const [, , , name] = splitUrn(r.urn);
    const inherited = parentAliases.map((pa) => {
        const [stackPart, project, parentChain] = splitUrn(pa);
        return `${stackPart}::${project}::${parentChain}$${r.type}::${name}`;
    });
    return [...own, ...inherited];
}

/**
 * A resource moved by alias keeps the physical name the provider autonamed it at create: the provider's Check is
 * given the old state and reuses it (the name is in `__defaults`), so the name and every ARN built from it stay. The
 * offline autonamer derives a new name from the new URN; map it back to the old one (new → old), and so the ids the
 * mocks derive from the resource name.
 */
function keptAutonames(
    aliased: { from: string; to: string }[],
    baseBy: Map<string, DiffResource>,
    headAll: Map<string, DiffResource>,
): Map<string, string> {
    const kept = new Map<string, string>();
    for (const { from, to } of aliased) {
        const [old, r] = [baseBy.get(from)!, headAll.get(to)!];
        // The mocks derive the ids AWS assigns from the resource name; the moved resource keeps its own.
        const [oldIds, newIds] = [mockAssignedIds(old.type, lastName(from)), mockAssignedIds(r.type, lastName(to))];
        if (old.type === r.type && lastName(from) !== lastName(to)) newIds.forEach((id, i) => kept.set(id, oldIds[i]));
        const rule = NAME_RULES[r.type];
        if (!rule?.autoname || old.type !== r.type) continue;
        const [oldName, newName] = [old.inputs?.[rule.property], r.inputs?.[rule.property]];
        const made = (urn: string, inputs: Record<string, unknown>) =>
            autonameFor(r.type, urn, lastName(urn), rule.autoname!, inputs ?? {}).name;
        if (
            typeof oldName === "string" &&
            typeof newName === "string" &&
            oldName !== newName &&
            made(from, old.inputs) === oldName &&
            made(to, r.inputs) === newName
        )
            kept.set(newName, oldName);
    }
    return kept;
}

/** A head value with each kept autoname (and so each ARN or reference carrying it) written back as the old one. */
function keepNames(v: unknown, kept: Map<string, string>): unknown {
    if (kept.size === 0) return v;
    if (typeof v === "string") {
        let out = v;
        // Longest first: a shorter id can be the start of a longer one.
        for (const [newName, oldName] of [...kept].sort(([a], [b]) => b.length - a.length)) {
            if (out.includes(newName)) out = out.split(newName).join(oldName);
        }
        return out;
    }
    if (Array.isArray(v)) return v.map((e) => keepNames(e, kept));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, keepNames(x, kept)]));
    return v;
}

/** urn:pulumi:<stack>::<project>::<type chain>::<name> → [urn:pulumi:<stack>, project, type chain, name]. */
function splitUrn(urn: string): [string, string, string, string] {
    const parts = urn.split("::");
    return [parts[0], parts[1], parts[2], parts.slice(3).join("::")];
}

const lastName = (urn: string) => splitUrn(urn)[3];

function explicitName(r: DiffResource): boolean {
    return NAME_FIELDS.some((f) => typeof r.inputs?.[f] === "string");
}

export interface DiffOptions {
    forcesReplacement?: ForcesReplacement;
    /** Treat the stack as production (highlight stateful replacements); default: stack name or `environment` output. */
    production?: boolean;
}

export function diffPlans(base: DiffPlan, head: DiffPlan, opts: DiffOptions = {}): PlanDiff {
    const forces = opts.forcesReplacement ?? schemaForcesReplacement;
    const custom = (p: DiffPlan) => p.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    const baseBy = new Map(custom(base).map((r) => [r.urn, r]));
    const headAll = new Map(custom(head).map((r) => [r.urn, r]));
    const production = opts.production ?? (head.stack === "production" || head.outputs?.environment === "production");

    const matched = new Map<string, DiffResource>(); // head URN -> base resource
    const aliased: PlanDiff["aliased"] = [];
    for (const r of headAll.values()) {
        const old = baseBy.get(r.urn);
        if (old) {
            matched.set(r.urn, old);
            continue;
        }
        const alias = parentAliasUrns(r, headAll).find((a) => baseBy.has(a) && !headAll.has(a));
        if (alias) {
            matched.set(r.urn, baseBy.get(alias)!);
            aliased.push({ from: alias, to: r.urn });
        }
    }
    const kept = keptAutonames(aliased, baseBy, headAll);
    const matchedBase = new Set([...matched.values()].map((r) => r.urn));
    const headOnly = [...headAll.values()].filter((r) => !matched.has(r.urn));
    const baseOnly = [...baseBy.values()].filter((r) => !matchedBase.has(r.urn));

    // Same type and name under another parent, with no alias: Pulumi deletes the old URN and creates the new one.
    const replacedByUrn: PlanDiff["replacedByUrn"] = [];
    const pairedBase = new Set<string>();
    const pairedHead = new Set<string>();
    for (const r of headOnly) {
        const old = baseOnly.find((b) => !pairedBase.has(b.urn) && b.type === r.type && lastName(b.urn) === lastName(r.urn));
        if (!old) continue;
        pairedBase.add(old.urn);
        pairedHead.add(r.urn);
        replacedByUrn.push({ from: old, to: r, stateful: STATEFUL_TYPES.has(r.type) });
    }

    const changed: ResourceChange[] = [];
    for (const [urn, old] of matched) {
        const r = headAll.get(urn)!;
        const keys = [...new Set([...Object.keys(old.inputs ?? {}), ...Object.keys(r.inputs ?? {})])].sort();
        const fields: FieldChange[] = [];
        for (const key of keys) {
            const [a, b] = [old.inputs?.[key], keepNames(r.inputs?.[key], kept)];
            if (containsSecret(a) || containsSecret(b)) {
                fields.push({ field: key, mark: "secret — not compared" });
                continue;
            }
            if (canonical(a) === canonical(b)) continue;
            // The program tells the engine to ignore it after creation (e.g. desiredCount, which auto scaling owns).
            if (r.options?.ignoreChanges?.includes(key)) continue;
            const paths = new Set<string>();
            leafPaths(a, key, paths);
            leafPaths(b, key, paths);
            const replaces =
                forces(r.type, key, a, b, r.inputs) ||
                [...paths].some((p) => {
                    if (p === key) return false;
                    const [pa, pb] = [valueAt(a, p.split(".").slice(1)), valueAt(b, p.split(".").slice(1))];
                    return canonical(pa) !== canonical(pb) && forces(r.type, p, pa, pb, r.inputs);
                });
            fields.push(replaces ? { field: key, mark: "replacement" } : { field: key });
        }
        const real = fields.filter((f) => f.mark !== "secret — not compared");
        if (real.length === 0) continue; // moved by alias only (listed under aliased), or only secrets
        const kind: ChangeKind = fields.some((f) => f.mark === "replacement") ? "replace" : "update";
        changed.push({
            urn,
            type: r.type,
            kind,
            fields,
            deleteBeforeReplace: kind === "replace" && (r.options?.deleteBeforeReplace === true || explicitName(r)),
            aliasedFrom: old.urn === urn ? undefined : old.urn,
            stateful: STATEFUL_TYPES.has(r.type),
        });
    }

    const vkey = (v: { policy: string; urn: string }) => `${v.policy}\u0000${v.urn}`;
    const baseV = new Map((base.policies?.violations ?? []).map((v) => [vkey(v), v]));
    const headV = new Map((head.policies?.violations ?? []).map((v) => [vkey(v), v]));
    const pick = (v: ViolationKey) => ({ policy: v.policy, urn: v.urn, enforcement: v.enforcement, message: v.message });
    const newViolations = [...headV].filter(([k]) => !baseV.has(k)).map(([, v]) => pick(v));
    const resolvedViolations = [...baseV].filter(([k]) => !headV.has(k)).map(([, v]) => pick(v));

    let cost: PlanDiff["cost"];
    if (base.cost && head.cost) {
        const tiers = new Set([...Object.keys(base.cost.byTier ?? {}), ...Object.keys(head.cost.byTier ?? {})]);
        const byTier: Record<string, number> = {};
        for (const t of tiers) {
            const d = round((head.cost.byTier?.[t] ?? 0) - (base.cost.byTier?.[t] ?? 0));
            if (d !== 0) byTier[t] = d;
        }
        cost = {
            before: base.cost.monthlyUsd,
            after: head.cost.monthlyUsd,
            delta: round(head.cost.monthlyUsd - base.cost.monthlyUsd),
            byTier,
        };
    }
    const byUrn = (a: { urn: string }, b: { urn: string }) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0);
    return {
        stack: head.stack,
        production,
        created: headOnly.filter((r) => !pairedHead.has(r.urn)).sort(byUrn),
        deleted: baseOnly.filter((r) => !pairedBase.has(r.urn)).sort(byUrn),
        replacedByUrn: replacedByUrn.sort((a, b) => byUrn(a.to, b.to)),
        changed: changed.sort(byUrn),
        aliased,
        newViolations: newViolations.sort(byUrn),
        resolvedViolations: resolvedViolations.sort(byUrn),
        cost,
    };
}

const round = (n: number) => Math.round(n * 100) / 100;
const money = (n: number) =>
    `${n < 0 ? "-" : ""}$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const signed = (n: number) => (n > 0 ? `+${money(n)}` : money(n));

/** Stateful resources the change deletes or replaces (what a production reviewer must see first). */
export function dangerous(d: PlanDiff): string[] {
    const out: string[] = [];
    for (const c of d.changed)
        if (c.kind === "replace" && c.stateful)
            out.push(
                `${c.urn} is replaced (${c.fields
                    .filter((f) => f.mark === "replacement")
                    .map((f) => f.field)
                    .join(", ")})${c.deleteBeforeReplace ? ", deleted before its replacement exists" : ""}`,
            );
    for (const r of d.replacedByUrn)
        if (r.stateful) out.push(`${r.from.urn} is deleted and re-created as ${r.to.urn} (URN changed without an alias)`);
    for (const r of d.deleted) if (STATEFUL_TYPES.has(r.type)) out.push(`${r.urn} is deleted`);
    return out;
}

function summaryLine(d: PlanDiff): string {
    const replaces = d.changed.filter((c) => c.kind === "replace").length + d.replacedByUrn.length;
    const updates = d.changed.filter((c) => c.kind === "update").length;
    const parts = [`${d.created.length} to create`, `${updates} to update`, `${replaces} to replace`, `${d.deleted.length} to delete`];
    if (d.aliased.length) parts.push(`${d.aliased.length} moved by alias`);
    return parts.join(", ");
}

function fieldText(f: FieldChange): string {
    return f.mark ? `${f.field} (${f.mark})` : f.field;
}

function changeLines(d: PlanDiff, bullet: (s: string) => string, code: (s: string) => string): { title: string; lines: string[] }[] {
    const sections: { title: string; lines: string[] }[] = [];
    const replace = d.changed.filter((c) => c.kind === "replace");
    const update = d.changed.filter((c) => c.kind === "update");
    if (d.replacedByUrn.length)
        sections.push({
            title: "Replaced (delete + create): URN changed without an alias",
            lines: d.replacedByUrn.map((r) => bullet(`${code(r.from.urn)} → ${code(r.to.urn)}`)),
        });
    if (replace.length)
        sections.push({
            title: "Replaced (fields that force replacement)",
            lines: replace.map((c) =>
                bullet(
                    `${code(c.urn)}${c.deleteBeforeReplace ? " — delete-before-replace (explicit name)" : ""}: ${c.fields.map(fieldText).join(", ")}`,
                ),
            ),
        });
    if (update.length)
        sections.push({
            title: "Updated in place",
            lines: update.map((c) =>
                bullet(`${code(c.urn)}${c.aliasedFrom ? ` (alias of ${code(c.aliasedFrom)})` : ""}: ${c.fields.map(fieldText).join(", ")}`),
            ),
        });
    if (d.created.length) sections.push({ title: "Created", lines: d.created.map((r) => bullet(code(r.urn))) });
    if (d.deleted.length) sections.push({ title: "Deleted", lines: d.deleted.map((r) => bullet(code(r.urn))) });
    if (d.aliased.length)
        sections.push({ title: "Moved by alias (no replacement)", lines: d.aliased.map((a) => bullet(`${code(a.from)} → ${code(a.to)}`)) });
    if (d.newViolations.length)
        sections.push({
            title: "New policy violations",
            lines: d.newViolations.map((v) =>
                bullet(`${v.policy} (${v.enforcement}) ${code(v.urn || "(stack)")}: ${v.message.split("\n")[0]}`),
            ),
        });
    if (d.resolvedViolations.length)
        sections.push({
            title: "Resolved policy violations",
            lines: d.resolvedViolations.map((v) => bullet(`${v.policy} ${code(v.urn || "(stack)")}`)),
        });
    return sections;
}

function costLine(d: PlanDiff): string | undefined {
    if (!d.cost) return undefined;
    const tiers = Object.entries(d.cost.byTier)
        .map(([t, v]) => `${t} ${signed(v)}`)
        .join(", ");
    return `Monthly cost: ${money(d.cost.before)} → ${money(d.cost.after)} (${signed(d.cost.delta)})${tiers ? `; ${tiers}` : ""}`;
}

export function formatDiffText(d: PlanDiff): string {
    const lines: string[] = [];
    const danger = d.production ? dangerous(d) : [];
    for (const x of danger) lines.push(`!! STATEFUL PRODUCTION RESOURCE: ${x}`);
    lines.push(`Plan diff for ${d.stack}: ${summaryLine(d)}`);
    const c = costLine(d);
    if (c) lines.push(c);
    lines.push(`Policy violations: ${d.newViolations.length} new, ${d.resolvedViolations.length} resolved`);
    for (const s of changeLines(
        d,
        (x) => `  ${x}`,
        (x) => x,
    ))
        lines.push("", s.title, ...s.lines);
    return lines.join("\n") + "\n";
}

/** GitHub rejects issue and pull-request comments longer than 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export function formatDiffMarkdown(d: PlanDiff, opts: { limit?: number; heading?: string } = {}): string {
    const limit = opts.limit ?? GITHUB_COMMENT_LIMIT;
    const head: string[] = [];
    head.push(`### ${opts.heading ?? `Plan diff: \`${d.stack}\``}`, "");
    const danger = d.production ? dangerous(d) : [];
    if (danger.length) {
        head.push("> [!CAUTION]", "> **Stateful production resources are replaced or deleted:**");
        for (const x of danger) head.push(`> - ${x}`);
        head.push("");
    }
    head.push(`**${summaryLine(d)}**`, "");
    const c = costLine(d);
    if (c) head.push(`- ${c}`);
    head.push(`- Policy violations: ${d.newViolations.length} new, ${d.resolvedViolations.length} resolved`, "");
    const body: string[] = [];
    for (const s of changeLines(
        d,
        (x) => `- ${x}`,
        (x) => `\`${x}\``,
    ))
        body.push(`#### ${s.title}`, "", ...s.lines, "");
    return truncate(head.join("\n") + "\n", body, limit);
}

/** Keeps whole lines under the limit and says how many were left out. */
export function truncate(head: string, body: string[], limit: number): string {
    let out = head;
    for (let i = 0; i < body.length; i++) {
        const line = body[i] + "\n";
        const rest = body.length - i;
        const note = `\n_… truncated: ${rest} more line(s) of the diff are not shown (GitHub comments are limited to ${limit.toLocaleString("en-US")} characters); the full diff is in the workflow's artifacts._\n`;
        if (out.length + line.length + note.length > limit) return out + note;
        out += line;
    }
    return out;
}

/** For `npm run plan -- --base <file>`: the diff of the plan just made against an earlier one, as text. */
export function diffAgainstBase(baseFile: string, head: DiffPlan, markdownFile?: string): string {
    const d = diffPlans(readPlan(baseFile), head);
    if (markdownFile) fs.writeFileSync(markdownFile, formatDiffMarkdown(d));
    return formatDiffText(d);
}

export function readPlan(file: string): DiffPlan {
    const doc = JSON.parse(fs.readFileSync(file, "utf8")) as DiffPlan;
    if (!doc || !Array.isArray(doc.resources) || typeof doc.stack !== "string")
        throw new Error(`${file} is not a plan JSON (npm run plan -- --json)`);
    return doc;
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const md = args.indexOf("--markdown");
    const mdFile = md >= 0 ? args[md + 1] : undefined;
    const files = args.filter((a, i) => !a.startsWith("--") && !(md >= 0 && i === md + 1));
    if (files.length !== 2) {
        process.stderr.write("usage: engine/diff.ts <base.json> <head.json> [--markdown <file>]\n");
        process.exit(2);
    }
    const d = diffPlans(readPlan(files[0]), readPlan(files[1]));
    process.stdout.write(formatDiffText(d));
    if (mdFile) fs.writeFileSync(mdFile, formatDiffMarkdown(d));
}
