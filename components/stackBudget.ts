import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";

export interface StackBudgetArgs {
    /** Budget name, unique in the account. */
    readonly budgetName: string;
    /** Monthly limit in USD. */
    readonly limitUsd: number;
    /** Cost-allocation tag key and value the budget counts (e.g. environment=staging). */
    readonly tag: { readonly key: string; readonly value: string };
    /** Percent of the limit at which actual spend notifies. */
    readonly actualAlertPercent: number;
    /** Percent of the limit at which the forecast notifies. */
    readonly forecastAlertPercent: number;
    /** Topic both notifications publish to. */
    readonly topicArn: pulumi.Input<string>;
}

/**
 * A monthly cost budget over the stack's tagged resources. Budgets filters by a user-defined cost-allocation tag as
 * "user:<key>$<value>"; the tag counts only once the payer account has activated it for cost allocation.
 */
export class StackBudget extends pulumi.ComponentResource {
    readonly budget: aws.budgets.Budget;

    constructor(name: string, args: StackBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:governance:StackBudget", name, {}, opts);
        if (!(args.limitUsd > 0)) throw new pulumi.ResourceError(`limitUsd must be positive, got ${args.limitUsd}`, this);
        const notify = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
            notificationType,
            comparisonOperator: "GREATER_THAN",
            threshold,
            thresholdType: "PERCENTAGE",
            subscriberSnsTopicArns: [args.topicArn],
        });
        this.budget = new aws.budgets.Budget(
            `${name}-budget`,
            {
                name: args.budgetName,
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: args.limitUsd.toFixed(2),
                limitUnit: "USD",
                costFilters: [{ name: "TagKeyValue", values: [`user:${args.tag.key}$${args.tag.value}`] }],
                notifications: [notify("ACTUAL", args.actualAlertPercent), notify("FORECASTED", args.forecastAlertPercent)],
            },
            { parent: this },
        );
        this.registerOutputs({ budgetName: this.budget.name });
    }
}
