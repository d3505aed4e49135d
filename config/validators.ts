// Small zod building blocks whose messages say what was expected and what was given.
import { z } from "zod";

/** A short, readable rendering of a rejected value for error messages. */
export function describeValue(v: unknown): string {
    if (v === undefined) return "nothing";
    const text = JSON.stringify(v);
    return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

export function range(from: number, to: number, step: number): number[] {
    const out: number[] = [];
    for (let v = from; v <= to; v += step) out.push(v);
    return out;
}

export const int = (min: number, max: number) =>
    z
        .unknown()
        .superRefine((v, ctx) => {
            if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
                ctx.addIssue({ code: "custom", message: `must be an integer from ${min} to ${max}, got ${describeValue(v)}` });
            }
        })
        .transform((v) => v as number);

/** A number from min to max in steps of `step` (e.g. Aurora capacity in 0.5 ACU steps). */
export const stepped = (min: number, max: number, step: number) =>
    z
        .unknown()
        .superRefine((v, ctx) => {
            if (typeof v !== "number" || v < min || v > max || Math.abs(v / step - Math.round(v / step)) > 1e-9) {
                ctx.addIssue({
                    code: "custom",
                    message: `must be a number from ${min} to ${max} in steps of ${step}, got ${describeValue(v)}`,
                });
            }
        })
        .transform((v) => v as number);

export const oneOf = <T extends string | number>(values: readonly T[]) =>
    z
        .unknown()
        .superRefine((v, ctx) => {
            if (!values.includes(v as T)) {
                ctx.addIssue({
                    code: "custom",
                    message: `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")}, got ${describeValue(v)}`,
                });
            }
        })
        .transform((v) => v as T);

export const str = (what: string, test: (s: string) => boolean) =>
    z
        .unknown()
        .superRefine((v, ctx) => {
            if (typeof v !== "string" || !test(v)) ctx.addIssue({ code: "custom", message: `must be ${what}, got ${describeValue(v)}` });
        })
        .transform((v) => v as string);

export const bool = () =>
    z
        .unknown()
        .superRefine((v, ctx) => {
            if (typeof v !== "boolean") ctx.addIssue({ code: "custom", message: `must be true or false, got ${describeValue(v)}` });
        })
        .transform((v) => v as boolean);

/** Objects reject unknown keys (a typo must not silently fall back to a default). */
export const obj = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, { error: (iss) => objectError(iss) });

function objectError(iss: { code?: string; keys?: string[]; input?: unknown }): string {
    if (iss.code === "unrecognized_keys") return `unknown key(s) ${(iss.keys ?? []).map((k) => JSON.stringify(k)).join(", ")}`;
    return `must be an object, got ${describeValue(iss.input)}`;
}

export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
export const awsRegion = () => str('an AWS region name like "eu-west-1"', (s) => AWS_REGION.test(s));
