// costProfile and budget: the usage a stack expects each month (what usage-driven prices are multiplied by) and
// the monthly spend it may reach. The estimate itself is policy/lib/cost (shared with the monthly-budget policy).
import { z } from "zod";
import { DEFAULT_PROFILE, PROFILE_KEYS, UsageProfile } from "../policy/lib/cost/profile";
import { describeValue, obj } from "./validators";

const nonNegative = (max: number) =>
    z
        .unknown()
        .superRefine((v, ctx) => {
            if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > max) {
                ctx.addIssue({ code: "custom", message: `must be a number from 0 to ${max}, got ${describeValue(v)}` });
            }
        })
        .transform((v) => v as number);

// hoursPerMonth is a calendar fact (AWS's examples use 730), bounded so a typo cannot scale every fixed price.
const limits: Record<keyof UsageProfile, number> = Object.fromEntries(
    PROFILE_KEYS.map((k) => [k, k === "hoursPerMonth" ? 744 : 1e9]),
) as Record<keyof UsageProfile, number>;

export const costProfileSchema = obj(
    Object.fromEntries(PROFILE_KEYS.map((k) => [k, nonNegative(limits[k]).optional()])) as Record<
        keyof UsageProfile,
        z.ZodOptional<ReturnType<typeof nonNegative>>
    >,
)
    .superRefine((p, ctx) => {
        if (p.hoursPerMonth !== undefined && p.hoursPerMonth < 672)
            ctx.addIssue({
                code: "custom",
                path: ["hoursPerMonth"],
                message: `must be from 672 to 744 (hours in a month), got ${p.hoursPerMonth}`,
            });
    })
    .transform(
        (p) => ({ ...DEFAULT_PROFILE, ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) }) as UsageProfile,
    );

/** The monthly budget in USD: the monthly-budget policy warns (staging) or blocks (production) above it. */
export const budgetSchema = z
    .unknown()
    .superRefine((v, ctx) => {
        if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > 1e7)
            ctx.addIssue({ code: "custom", message: `must be a monthly amount in USD above 0, got ${describeValue(v)}` });
    })
    .transform((v) => v as number);

export type CostProfileConfig = z.output<typeof costProfileSchema>;
