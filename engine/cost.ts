// The plan's monthly cost: the stack's costProfile and budget read from its config, the estimate over the recorded
// resources (policy/lib/cost, the same pure module the monthly-budget policy runs), and its printed form.
import { costProfileSchema, budgetSchema } from "../config/cost";
import { CostEstimate, estimateCost, UsageProfile, withDefaults } from "../policy/lib/cost";
import type { ProgramInfo } from "./evaluate";
import type { PlannedResource } from "./types";

export interface CostSettings {
    region: string;
    profile: UsageProfile;
    budgetUsd?: number;
    environment?: string;
}

function decode(raw: string | undefined): unknown {
    if (raw === undefined) return undefined;
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/**
 * The stack's cost settings from its config (`<project>:costProfile`, `<project>:budget`, `aws:region`).
 * Invalid values fall back to defaults here: the program's own config validation reports them (exit 2).
 */
export function costSettings(info: Pick<ProgramInfo, "project" | "config">): CostSettings {
    const region = decode(info.config["aws:region"]);
    const profile = costProfileSchema.safeParse(decode(info.config[`${info.project}:costProfile`]) ?? {});
    const budget = budgetSchema.safeParse(decode(info.config[`${info.project}:budget`]));
    const environment = decode(info.config[`${info.project}:environment`]);
    return {
        region: typeof region === "string" ? region : "us-east-1",
        profile: profile.success ? profile.data : withDefaults(undefined),
        budgetUsd: info.config[`${info.project}:budget`] !== undefined && budget.success ? budget.data : undefined,
        environment: typeof environment === "string" ? environment : undefined,
    };
}

export const BUDGET_POLICY = "monthly-budget";

/**
 * The monthly-budget policy's config for this stack: advisory (a warning) outside production, mandatory in
 * production. Merged over the pack's config file, as `pulumi preview --policy-pack-config` would be given it.
 */
export function budgetPolicyConfig(settings: CostSettings): Record<string, unknown> {
    if (settings.budgetUsd === undefined) return {};
    return {
        [BUDGET_POLICY]: {
            enforcementLevel: settings.environment === "production" ? "mandatory" : "advisory",
            budgetUsd: settings.budgetUsd,
            region: settings.region,
            profile: settings.profile,
        },
    };
}

export function planCost(resources: PlannedResource[], settings: CostSettings): CostEstimate {
    // rawInputs: real values, so a secret does not hide a size (no secret is a price driver today).
    return estimateCost(
        resources.map((r) => ({ urn: r.urn, type: r.type, inputs: r.rawInputs ?? r.inputs })),
        { region: settings.region, profile: settings.profile },
    );
}

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const TIER_ORDER = ["networking", "security", "ingress", "application", "data", "events", "clickstream", "analytics", "operations"];
const rank = (t: string) => (TIER_ORDER.indexOf(t) === -1 ? TIER_ORDER.length : TIER_ORDER.indexOf(t));

/** The plan summary's cost section: total, fixed/usage split, per tier, the largest resources, the budget. */
export function formatCost(estimate: CostEstimate, budgetUsd?: number, top = 10): string {
    const lines = [
        "",
        `Monthly cost estimate: ${usd(estimate.monthlyUsd)} (${usd(estimate.fixedUsd)} fixed, ${usd(estimate.usageUsd)} from the usage profile)`,
    ];
    if (budgetUsd !== undefined) {
        const over = estimate.monthlyUsd > budgetUsd;
        lines.push(
            `  budget ${usd(budgetUsd)}: ${over ? `over by ${usd(estimate.monthlyUsd - budgetUsd)}` : `${usd(budgetUsd - estimate.monthlyUsd)} left`}`,
        );
    }
    const tiers = Object.entries(estimate.byTier).sort((a, b) => rank(a[0]) - rank(b[0]));
    const width = Math.max(0, ...tiers.map(([t]) => t.length));
    for (const [tier, amount] of tiers) lines.push(`  ${tier.padEnd(width)}  ${usd(amount).padStart(10)}`);
    lines.push("  largest:");
    for (const r of estimate.byResource.slice(0, top)) {
        lines.push(
            `    ${usd(r.monthlyUsd).padStart(9)}  ${r.urn.split("::").pop()}  (${r.lines.map((l) => `${l.item}: ${usd(l.usd)}`).join("; ")})`,
        );
    }
    return lines.join("\n") + "\n";
}
