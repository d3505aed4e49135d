// The human-readable plan: resources per tier and per type, then the stack outputs.
import type { Evaluation } from "./evaluate";
import type { PolicyReport } from "./types";

function countBy<T>(items: T[], key: (t: T) => string): [string, number][] {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function table(rows: [string, number][], indent = "  "): string {
    const width = Math.max(...rows.map(([k]) => k.length), 0);
    return rows.map(([k, n]) => `${indent}${k.padEnd(width)}  ${String(n).padStart(4)}`).join("\n");
}

const TIER_ORDER = ["networking", "security", "ingress", "application", "data", "events", "analytics"];

export function formatSummary(evaluation: Evaluation, seconds: number): string {
    const resources = evaluation.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    const custom = resources.filter((r) => r.custom);
    const lines: string[] = [];
    lines.push(
        `${evaluation.project} / ${evaluation.stack}: ${custom.length} resources and ${resources.length - custom.length} components, planned offline in ${seconds.toFixed(2)} s`,
    );
    lines.push("", "Resources by tier");
    const byTier = countBy(custom, (r) => r.tier ?? "(no tier)");
    byTier.sort((a, b) => rank(a[0]) - rank(b[0]));
    lines.push(table(byTier));
    lines.push("", "Resources by type");
    lines.push(table(countBy(custom, (r) => r.type)));
    lines.push("", "Outputs");
    for (const [key, value] of Object.entries(evaluation.outputs)) {
        lines.push(`  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
    }
    return lines.join("\n") + "\n";
}

function rank(tier: string): number {
    const i = TIER_ORDER.indexOf(tier);
    return i === -1 ? TIER_ORDER.length : i;
}

/** Violations grouped by policy, each with its resource; then the exemptions used (the audit trail). */
export function formatPolicyReport(report: PolicyReport): string {
    const lines: string[] = ["", "Policies"];
    if (report.violations.length === 0) lines.push("  no violations");
    const byPolicy = new Map<string, PolicyReport["violations"]>();
    for (const v of report.violations) byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
    for (const [policy, violations] of byPolicy) {
        lines.push(
            `  ${policy} (${violations[0].enforcement}, ${violations[0].severity}): ${violations.length} violation${violations.length === 1 ? "" : "s"}`,
        );
        for (const v of violations) lines.push(`    ${v.urn || "(stack)"}`, `      ${v.message.split("\n").join("\n      ")}`);
    }
    for (const e of report.exempted) lines.push(`  exempted ${e.policy} for ${e.urn}: ${e.reason} (expires ${e.expires})`);
    const mandatory = report.violations.filter((v) => v.enforcement === "mandatory").length;
    lines.push(
        `  ${mandatory} mandatory, ${report.violations.length - mandatory} advisory violation(s); ${report.exempted.length} exemption(s) used`,
    );
    return lines.join("\n") + "\n";
}
