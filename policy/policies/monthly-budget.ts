import type { PackStackPolicy } from "../lib/types";
import { estimateCost } from "../lib/cost";
import { knownCopy } from "../lib/util";

interface BudgetConfig {
    budgetUsd?: number;
    region?: string;
    profile?: Record<string, number>;
}

/**
 * The stack's monthly cost estimate must stay within its budget. The estimate is computed here from the resources'
 * inputs with the same pure module the plan prints (policy/lib/cost); the budget, the region and the usage profile
 * come from this policy's config, which the offline plan derives from the stack config (`budget`, `costProfile`,
 * `aws:region`) and `scripts/policy-config.ts` writes for `pulumi preview --policy-pack-config`. Advisory in staging,
 * mandatory in production (the config sets the level per stack).
 */
export const monthlyBudget: PackStackPolicy = {
    kind: "stack",
    id: "monthly-budget",
    description: "The stack's estimated monthly cost must not exceed its budget.",
    severity: "medium",
    enforcementLevel: "advisory",
    neverSuppressible: false,
    controls: {
        awsConfig: [],
        pciDss: [],
        // Cost, not a security control.
        securityHub: [],
    },
    remediation:
        "Lower the fixed costs the estimate lists first (task counts and sizes, NAT gateways, interface endpoints, minimum capacities) or raise the stack's budget in Pulumi.<stack>.yaml.",
    configSchema: {
        properties: {
            budgetUsd: { type: "number", exclusiveMinimum: 0 },
            region: { type: "string" },
            profile: { type: "object", additionalProperties: { type: "number", minimum: 0 } },
        },
    },
    validateStack: (args, report) => {
        const config = args.getConfig<BudgetConfig>();
        if (typeof config.budgetUsd !== "number") {
            args.notApplicable("no budget configured for this stack");
            return;
        }
        // At a first preview, values AWS computes are unknown: price from what is known, and find a service's task
        // definition through its dependency (its ARN is unknown) so its size is still priced.
        const resources = args.resources.map((r) => {
            const inputs = (knownCopy(r.props) ?? {}) as Record<string, unknown>;
            const taskDefinition = r.propertyDependencies?.taskDefinition?.[0];
            if (r.type === "aws:ecs/service:Service" && inputs.taskDefinition === undefined && taskDefinition) {
                const family = knownCopy(taskDefinition.props.family);
                if (typeof family === "string") inputs.taskDefinition = `task-definition/${family}`;
            }
            return { urn: r.urn, type: r.type, inputs };
        });
        const estimate = estimateCost(resources, { region: config.region ?? "us-east-1", profile: config.profile });
        if (estimate.monthlyUsd <= config.budgetUsd) return;
        const top = estimate.byResource
            .slice(0, 3)
            .map((r) => `${r.urn.split("::").pop()} $${r.monthlyUsd.toFixed(2)}`)
            .join(", ");
        report(
            `Estimated monthly cost $${estimate.monthlyUsd.toFixed(2)} exceeds the budget of $${config.budgetUsd.toFixed(2)} by $${(estimate.monthlyUsd - config.budgetUsd).toFixed(2)} (largest: ${top}).`,
        );
    },
};
