// The stack configuration: one zod schema per section, validated as a whole so every problem is reported at once.
import { z } from "zod";
import { analyticsProblems, analyticsSchema } from "./analytics";
import { budgetSchema, costProfileSchema } from "./cost";
import { ClickstreamConfig, clickstreamProblems, clickstreamSchema } from "./clickstream";
import { DataConfig, dataProblems, dataSchema } from "./data";
import { EventsConfig, eventsProblems, eventsSchema } from "./events";
import { governanceSchema } from "./governance";
import { IdentityConfig, identityProblems, identitySchema } from "./identity";
import { ingressSchema } from "./ingress";
import { networkSchema } from "./network";
import { OperationsConfig, operationsProblems, operationsSchema } from "./operations";
import { pbcsSchema } from "./pbcs";
import { awsRegion, obj, oneOf } from "./validators";

export { describeValue } from "./validators";
export type { PbcConfig } from "./pbcs";
export type { DataConfig } from "./data";
export type { EventsConfig } from "./events";
export type { IngressConfig } from "./ingress";
export type { AnalyticsConfig, RedshiftConfig } from "./analytics";
export type { GovernanceConfig } from "./governance";
export type { IdentityConfig } from "./identity";
export type { OperationsConfig } from "./operations";
export type { ClickstreamConfig } from "./clickstream";

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Tags every resource carries through `aws:defaultTags`. */
export const REQUIRED_TAGS = ["environment", "project", "owner", "cost-centre"] as const;

const defaultTags = obj({
    tags: z.record(z.string(), z.string({ error: "must be a string" }), { error: "must be a map of tag names to values" }),
}).superRefine((t, ctx) => {
    for (const tag of REQUIRED_TAGS) {
        if (!t.tags[tag])
            ctx.addIssue({
                code: "custom",
                path: ["tags", tag],
                message: `is required on every resource (tags ${REQUIRED_TAGS.join(", ")})`,
            });
    }
});

/** What the project namespace holds; keys are validated by their dotted path. */
export const projectConfigSchema = obj({
    environment: oneOf(["staging", "production"] as const),
    network: networkSchema,
    logRetentionDays: oneOf(LOG_RETENTION_DAYS).default(90),
    // Account-wide singletons (e.g. AWS Backup's DynamoDB advanced features) belong to one stack per account.
    accountSingletons: oneOf(["managed", "external"] as const).default("external"),
    pbcs: pbcsSchema,
    data: dataSchema,
    events: eventsSchema.default(() => eventsSchema.parse({})),
    ingress: ingressSchema,
    analytics: analyticsSchema.default(() => analyticsSchema.parse({})),
    governance: governanceSchema,
    identity: identitySchema.default(() => identitySchema.parse({})),
    operations: operationsSchema.default(() => operationsSchema.parse({})),
    // The usage the monthly cost estimate assumes, and the monthly budget (USD) it is held to.
    costProfile: costProfileSchema.default(() => costProfileSchema.parse({})),
    budget: budgetSchema.optional(),
    clickstream: clickstreamSchema.default(() => clickstreamSchema.parse({})),
});

export const awsConfigSchema = obj({
    region: awsRegion(),
    defaultTags,
});

export type ProjectConfig = z.output<typeof projectConfigSchema>;
export type NetworkConfig = ProjectConfig["network"];

/** The bootstrap placeholder image and the one port it listens on (its image's nginx configuration). */
export const PLACEHOLDER_IMAGE = { repository: "public.ecr.aws/nginx/nginx-unprivileged", port: 8080 } as const;

/** Rules across sections and namespaces, checked once each section is valid on its own. */
export function crossSectionProblems(project: ProjectConfig, region: string, tags: Record<string, string>): string[] {
    const problems: string[] = [];
    if (tags.environment !== project.environment) {
        problems.push(
            `aws:defaultTags.tags.environment: must equal environment (${JSON.stringify(project.environment)}), got ${JSON.stringify(tags.environment)}`,
        );
    }
    for (const [name, pbc] of Object.entries(project.pbcs)) {
        // A task on another port runs, answers nothing, and (without an ALB health check) is reported healthy.
        if (pbc.image.split(/[:@]/)[0] === PLACEHOLDER_IMAGE.repository && pbc.containerPort !== PLACEHOLDER_IMAGE.port) {
            problems.push(
                `pbcs.${name}.containerPort: must be ${PLACEHOLDER_IMAGE.port} while the image is the placeholder ${PLACEHOLDER_IMAGE.repository} (it listens only there), got ${pbc.containerPort}`,
            );
        }
    }
    for (const p of dataProblems(project.data as DataConfig, project.environment, region))
        problems.push(`data.${p.path.join(".")}: ${p.message}`);
    for (const p of analyticsProblems(project.analytics, project.network, 1 + project.data.aurora.readers))
        problems.push(`${p.path}: ${p.message}`);
    for (const p of identityProblems(project.identity as IdentityConfig, region))
        problems.push(`identity.${p.path.join(".")}: ${p.message}`);
    for (const p of eventsProblems(project.events as EventsConfig, project.environment))
        problems.push(`events.${p.path.join(".")}: ${p.message}`);
    for (const p of operationsProblems(project.operations as OperationsConfig, project.environment))
        problems.push(`operations.${p.path.join(".")}: ${p.message}`);
    for (const p of clickstreamProblems(project.clickstream as ClickstreamConfig, project.environment))
        problems.push(`clickstream.${p.path.join(".")}: ${p.message}`);
    return problems;
}

/** The validated stack configuration every tier reads. */
export interface StackConfig extends ProjectConfig {
    project: string;
    stack: string;
    region: string;
    defaultTags: Record<string, string>;
}
