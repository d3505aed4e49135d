// governance: the per-stack budget, and the GuardDuty settings used where this stack owns the account singletons.
import { z } from "zod";
import { int, obj, oneOf } from "./validators";

/**
 * GuardDuty protection plans a detector may enable (DetectorFeature names; EKS plans are left out: no EKS here).
 * RUNTIME_MONITORING also enables GuardDuty's managed agent for ECS Fargate, a sidecar each task pulls with its
 * execution role from GuardDuty's own ECR repository.
 */
export const GUARDDUTY_FEATURES = [
    "S3_DATA_EVENTS",
    "EBS_MALWARE_PROTECTION",
    "RDS_LOGIN_EVENTS",
    "LAMBDA_NETWORK_LOGS",
    "RUNTIME_MONITORING",
] as const;

const budget = obj({
    // Monthly cost limit in USD of everything tagged environment=<stack>.
    limitUsd: int(1, 10_000_000),
    // Percent of the limit at which actual spend notifies the operations topic.
    actualAlertPercent: int(1, 1000).default(80),
    // Percent of the limit at which the month's forecast notifies the operations topic.
    forecastAlertPercent: int(1, 1000).default(100),
});

const guardDuty = obj({
    features: z
        .array(oneOf(GUARDDUTY_FEATURES), { error: "must be a list of GuardDuty feature names" })
        .superRefine((list, ctx) => {
            list.forEach((f, i) => {
                if (list.indexOf(f) !== i) ctx.addIssue({ code: "custom", path: [i], message: `duplicate feature ${JSON.stringify(f)}` });
            });
        })
        .default([]),
    // Findings at or above this severity reach the operations topic (GuardDuty rates 1.0-10.0; 7 = high).
    minSeverity: z
        .unknown()
        .superRefine((v, ctx) => {
            if (typeof v !== "number" || v < 1 || v > 10)
                ctx.addIssue({ code: "custom", message: `must be a number from 1 to 10, got ${JSON.stringify(v)}` });
        })
        .transform((v) => v as number)
        .default(7),
    findingPublishingFrequency: oneOf(["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"] as const).default("SIX_HOURS"),
});

export const governanceSchema = obj({
    budget,
    guardDuty: guardDuty.default({ features: [], minSeverity: 7, findingPublishingFrequency: "SIX_HOURS" }),
});

export type GovernanceConfig = z.output<typeof governanceSchema>;
