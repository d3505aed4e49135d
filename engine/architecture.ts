// The architecture picture of a plan: tiers as clusters, one node per component under a tier (a PBC, a consumer,
// a bucket, the network…) or per resource type declared directly in a tier, each with its resource count, and the
// request flow DNS → WAF → CloudFront → ALB → PBCs → cache/Aurora → events → analytics as the main edges.
// Rendered to SVG by Graphviz compiled to WebAssembly (@viz-js/viz, pinned), without a browser.

import { TIERS } from "../components/tierNames";

export interface GraphResource {
    urn: string;
    type: string;
    name: string;
    parent?: string | null;
    tier: string | null;
    custom: boolean;
    inputs: Record<string, unknown>;
}

const TIER_ORDER: readonly string[] = TIERS;
const rank = (t: string) => (TIER_ORDER.indexOf(t) === -1 ? TIER_ORDER.length : TIER_ORDER.indexOf(t));
const isTier = (type: string) => /^retail:[A-Za-z0-9-]+:Tier$/.test(type);

interface Group {
    id: string;
    tier: string;
    label: string;
    /** Component types the node stands for (none: resources declared in the tier itself). */
    kinds: Set<string>;
    members: GraphResource[];
}

const shortType = (type: string) => type.split(":").pop()!.split("/").pop()!;

function groupsOf(resources: GraphResource[], prefix: string): Group[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const groups = new Map<string, Group>();
    for (const r of resources) {
        if (!r.custom || r.type.startsWith("pulumi:")) continue;
        // The ancestor directly under the tier component is the group; a resource declared in the tier itself is
        // grouped with the others of its type. Components of one name in a tier (a consumer's queue and its
        // function) are one node.
        let cur = r;
        let top: GraphResource | undefined;
        while (cur.parent) {
            const parent = byUrn.get(cur.parent);
            if (!parent) break;
            if (isTier(parent.type)) {
                top = cur;
                break;
            }
            cur = parent;
        }
        const tier = r.tier ?? "(no tier)";
        const direct = !top || top === r;
        const stripped = direct
            ? ""
            : top!.name.startsWith(prefix)
              ? top!.name.slice(prefix.length)
              : top!.name === prefix.replace(/-$/, "")
                ? ""
                : top!.name;
        const key = `${tier}/${direct ? `type:${r.type}` : `name:${stripped}`}`;
        let g = groups.get(key);
        if (!g) {
            g = { id: `n${groups.size}`, tier, label: direct ? shortType(r.type) : stripped, kinds: new Set(), members: [] };
            groups.set(key, g);
        }
        if (!direct) g.kinds.add(shortType(top!.type));
        g.members.push(r);
    }
    return [...groups.values()];
}

const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');

function label(g: Group): string {
    const kinds = new Map<string, number>();
    for (const m of g.members) kinds.set(shortType(m.type), (kinds.get(shortType(m.type)) ?? 0) + 1);
    const top = [...kinds]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 3)
        .map(([k, n]) => `${n} ${k}`)
        .join(", ");
    const n = g.members.length;
    if (g.kinds.size === 0) return `${g.label} × ${n}`;
    const head = [[...g.kinds].sort().join(" + "), g.label].filter(Boolean).join(" ");
    return `${esc(head)}\\n${n} resource${n === 1 ? "" : "s"}: ${esc(top)}${kinds.size > 3 ? ", …" : ""}`;
}

const has = (g: Group, ...types: string[]) => g.members.some((m) => types.includes(m.type));

function taskEnvironment(g: Group): Record<string, string> {
    const env: Record<string, string> = {};
    for (const m of g.members) {
        if (m.type !== "aws:ecs/taskDefinition:TaskDefinition" || typeof m.inputs.containerDefinitions !== "string") continue;
        try {
            // A variable ECS injects from a parameter or secret (`secrets`) is as much the container's as a plain one.
            for (const c of JSON.parse(m.inputs.containerDefinitions) as {
                environment?: { name: string; value: string }[];
                secrets?: { name: string; valueFrom: string }[];
            }[]) {
                for (const e of c.environment ?? []) env[e.name] = e.value;
                for (const s of c.secrets ?? []) env[s.name] = s.valueFrom;
            }
        } catch {
            // not JSON: no edges from it
        }
    }
    return env;
}

/** The DOT source: stable for a given plan (nodes and edges in plan order), so the picture diffs cleanly. */
export function architectureDot(resources: GraphResource[], opts: { project?: string; stack?: string } = {}): string {
    const prefix = opts.project && opts.stack ? `${opts.project}-${opts.stack}-` : "";
    const groups = groupsOf(resources, prefix);
    const lines = [
        "digraph architecture {",
        `  graph [rankdir=LR, compound=true, newrank=true, fontname="Helvetica", fontsize=12, label="${esc(`${opts.project ?? ""} / ${opts.stack ?? ""}: ${resources.filter((r) => r.custom).length} resources`)}", labelloc=t, nodesep=0.15, ranksep=0.6];`,
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=9];',
        '  edge [color="#9aa5b1", arrowsize=0.6];',
    ];
    const tiers = [...new Set(groups.map((g) => g.tier))].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
    for (const tier of tiers) {
        lines.push(
            `  subgraph "cluster_${esc(tier)}" {`,
            `    label="${esc(tier)}"; style="rounded,filled"; fillcolor="#f4f6f8"; color="#c5ccd3";`,
        );
        for (const g of groups.filter((x) => x.tier === tier)) lines.push(`    ${g.id} [label="${label(g)}"];`);
        lines.push("  }");
    }
    // The request flow (main edges), stage by stage; a missing stage is skipped.
    const main = (a: Group, b: Group, text?: string) =>
        lines.push(`  ${a.id} -> ${b.id} [color="#1f6feb", penwidth=2${text ? `, label="${text}", fontsize=8` : ""}];`);
    const side = (a: Group, b: Group) => lines.push(`  ${a.id} -> ${b.id} [style=dashed];`);
    const stage = (...types: string[]) => groups.filter((g) => has(g, ...types));
    const dns = stage("aws:route53/zone:Zone");
    const waf = stage("aws:wafv2/webAcl:WebAcl");
    const cdn = stage("aws:cloudfront/distribution:Distribution");
    const alb = stage("aws:lb/loadBalancer:LoadBalancer");
    const pbcs = stage("aws:ecs/service:Service");
    const aurora = stage("aws:rds/cluster:Cluster");
    const cache = stage("aws:elasticache/serverlessCache:ServerlessCache", "aws:elasticache/replicationGroup:ReplicationGroup");
    const tables = stage("aws:dynamodb/table:Table");
    const bus = stage("aws:cloudwatch/eventBus:EventBus");
    const consumers = groups.filter(
        (g) => g.tier === "events" && has(g, "aws:sqs/queue:Queue", "aws:lambda/function:Function") && !bus.includes(g),
    );
    const analytics = groups.filter((g) => g.tier === "analytics" || g.tier === "clickstream");
    const chain = [dns, waf, cdn, alb].filter((s) => s.length > 0);
    for (let i = 0; i + 1 < chain.length; i++) for (const a of chain[i]) for (const b of chain[i + 1]) main(a, b);
    const entry = chain.length ? chain[chain.length - 1] : [];
    for (const p of pbcs) {
        const routed = has(p, "aws:lb/listenerRule:ListenerRule", "aws:lb/targetGroup:TargetGroup");
        if (routed) for (const a of alb.length ? alb : entry) main(a, p);
        const env = taskEnvironment(p);
        if (env.DB_HOST) for (const a of aurora) main(p, a);
        if (env.REDIS_HOST) for (const c of cache) main(p, c);
        if (env.EVENT_BUS_NAME) for (const b of bus) main(p, b);
        if (Object.keys(env).some((k) => k.endsWith("_TABLE"))) for (const t of tables) side(p, t);
    }
    for (const b of bus) for (const c of consumers) side(b, c);
    const fromEvents = bus.length ? bus : consumers;
    for (const a of analytics
        .filter((g) =>
            has(
                g,
                "aws:kinesis/stream:Stream",
                "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
                "aws:glue/crawler:Crawler",
                "aws:redshiftserverless/workgroup:Workgroup",
                "aws:athena/workgroup:Workgroup",
            ),
        )
        .slice(0, 4)) {
        for (const e of fromEvents.slice(0, 1)) main(e, a);
    }
    lines.push("}");
    return lines.join("\n") + "\n";
}

/** Renders DOT to SVG with Graphviz (WebAssembly); about 0.1 s to load the module once, then milliseconds. */
let viz: ReturnType<typeof import("@viz-js/viz").instance> | undefined;

export async function renderSvg(dot: string): Promise<string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the WebAssembly module loads on first render only
    viz ??= (require("@viz-js/viz") as typeof import("@viz-js/viz")).instance();
    return (await viz).renderString(dot, { format: "svg", engine: "dot" });
}

export async function architectureSvg(resources: GraphResource[], opts: { project?: string; stack?: string } = {}): Promise<string> {
    return renderSvg(architectureDot(resources, opts));
}
