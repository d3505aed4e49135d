// Loads the stack configuration from Pulumi config and validates all of it before any resource is declared.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { awsConfigSchema, crossSectionProblems, describeValue, projectConfigSchema, StackConfig } from "./schema";

/** Every problem in a stack's configuration, one line each: `dotted.key.path: what was expected, got what`. */
export class ConfigValidationError extends Error {
    constructor(
        readonly problems: string[],
        stack: string,
    ) {
        super(
            `invalid configuration for stack "${stack}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigValidationError";
    }
}

/** Config values are strings; structured ones are JSON (what `pulumi config set --path` and YAML maps store). */
function decode(raw: string): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

function formatIssues(issues: z.core.$ZodIssue[], prefix: string, rootLabel: string): string[] {
    return issues.map((iss) => {
        const path = prefix + iss.path.map(String).join(".");
        let message = iss.message;
        if (iss.code === "invalid_type")
            message = `must be ${article(iss.expected)}, got ${describeValue((iss as { input?: unknown }).input)}`;
        return `${path || rootLabel}: ${message}`;
    });
}

function article(expected: string): string {
    return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/**
 * Validates raw config (key "namespace:name" -> string value, as Pulumi stores it).
 * Exported for tests; programs call {@link loadStackConfig}.
 */
export function validateStackConfig(raw: Record<string, string>, project: string, stack: string): StackConfig {
    const projectValues: Record<string, unknown> = {};
    const awsValues: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        const [namespace, ...rest] = key.split(":");
        const name = rest.join(":");
        if (namespace === project) projectValues[name] = decode(value);
        else if (namespace === "aws" && (name === "region" || name === "defaultTags")) awsValues[name] = decode(value);
    }
    const projectResult = projectConfigSchema.safeParse(projectValues, { reportInput: true });
    const awsResult = awsConfigSchema.safeParse(awsValues, { reportInput: true });
    const problems = [
        ...(projectResult.success ? [] : formatIssues(projectResult.error.issues, "", project)),
        ...(awsResult.success ? [] : formatIssues(awsResult.error.issues, "aws:", "aws")),
    ];
    if (projectResult.success && awsResult.success) {
        problems.push(...crossSectionProblems(projectResult.data, awsResult.data.region, awsResult.data.defaultTags.tags));
    }
    if (problems.length > 0 || !projectResult.success || !awsResult.success) throw new ConfigValidationError(problems, stack);
    return {
        ...projectResult.data,
        project,
        stack,
        region: awsResult.data.region,
        defaultTags: awsResult.data.defaultTags.tags,
    };
}

/** Reads and validates the selected stack's configuration. Throws {@link ConfigValidationError} listing every problem. */
export function loadStackConfig(): StackConfig {
    return validateStackConfig(pulumi.runtime.allConfig(), pulumi.getProject(), pulumi.getStack());
}
