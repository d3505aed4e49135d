// The stack configuration: one zod schema per key, validated as a whole so every problem is reported at once.
import { z } from "zod";
import { parseIpv4Cidr, planSubnets, SubnetClass } from "./cidr";

/** Short names of the interface endpoints a stack may ask for (`com.amazonaws.<region>.<name>`). */
export const INTERFACE_ENDPOINT_SERVICES = [
    "application-autoscaling", "athena", "autoscaling", "bedrock", "bedrock-runtime", "cloudformation", "ec2",
    "ec2messages", "ecr.api", "ecr.dkr", "ecs", "ecs-agent", "ecs-telemetry", "elasticache", "elasticloadbalancing",
    "events", "execute-api", "glue", "kinesis-firehose", "kinesis-streams", "kms", "lambda", "logs", "monitoring",
    "rds", "rds-data", "redshift-data", "secretsmanager", "servicediscovery", "sns", "sqs", "ssm", "ssmmessages",
    "states", "sts", "xray",
] as const;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Fargate's valid task CPU units and the memory (MiB) each allows. */
export const FARGATE_MEMORY_BY_CPU: Record<number, readonly number[]> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

/** The minimum sizes the subnet plan guarantees per AZ (largest allowed prefix length). */
export const MAX_SUBNET_PREFIX: Record<SubnetClass, number> = { application: 24, public: 27, data: 27, payment: 27 };

/** Tags every resource carries through `aws:defaultTags`. */
export const REQUIRED_TAGS = ["environment", "project", "owner", "cost-centre"] as const;

const MAX_TASKS = 20;

function range(from: number, to: number, step: number): number[] {
    const out: number[] = [];
    for (let v = from; v <= to; v += step) out.push(v);
    return out;
}

function describeSizes(sizes: readonly number[]): string {
    return sizes.length <= 4 ? sizes.join(", ") : `${sizes[0]}-${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
}

/** A short, readable rendering of a rejected value for error messages. */
export function describeValue(v: unknown): string {
    if (v === undefined) return "nothing";
    const text = JSON.stringify(v);
    return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

const int = (min: number, max: number) =>
    z.unknown().superRefine((v, ctx) => {
        if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
            ctx.addIssue({ code: "custom", message: `must be an integer from ${min} to ${max}, got ${describeValue(v)}` });
        }
    }).transform((v) => v as number);

const oneOf = <T extends string | number>(values: readonly T[]) =>
    z.unknown().superRefine((v, ctx) => {
        if (!values.includes(v as T)) {
            ctx.addIssue({ code: "custom", message: `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")}, got ${describeValue(v)}` });
        }
    }).transform((v) => v as T);

const str = (what: string, test: (s: string) => boolean) =>
    z.unknown().superRefine((v, ctx) => {
        if (typeof v !== "string" || !test(v)) ctx.addIssue({ code: "custom", message: `must be ${what}, got ${describeValue(v)}` });
    }).transform((v) => v as string);

const bool = () =>
    z.unknown().superRefine((v, ctx) => {
        if (typeof v !== "boolean") ctx.addIssue({ code: "custom", message: `must be true or false, got ${describeValue(v)}` });
    }).transform((v) => v as boolean);

/** Objects reject unknown keys (a typo must not silently fall back to a default). */
const obj = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, { error: (iss) => objectError(iss) });

function objectError(iss: { code?: string; keys?: string[]; input?: unknown }): string {
    if (iss.code === "unrecognized_keys") return `unknown key(s) ${(iss.keys ?? []).map((k) => JSON.stringify(k)).join(", ")}`;
    return `must be an object, got ${describeValue(iss.input)}`;
}

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
// registry/repository[:tag][@sha256:digest] — at least a tag or a digest, lower-case repository path.
const IMAGE_REF = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(?::[A-Za-z0-9_-]*){0,3}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const subnetPrefixLengths = obj({
    application: int(16, MAX_SUBNET_PREFIX.application).default(24),
    public: int(16, MAX_SUBNET_PREFIX.public).default(27),
    data: int(16, MAX_SUBNET_PREFIX.data).default(27),
    payment: int(16, MAX_SUBNET_PREFIX.payment).default(27),
});

const network = obj({
    cidr: str("an IPv4 network in CIDR form from /16 to /22 (e.g. \"10.20.0.0/16\")", (s) => {
        const c = parseIpv4Cidr(s);
        return !!c && c.prefix >= 16 && c.prefix <= 22;
    }),
    azCount: int(2, 6),
    natGateways: oneOf(["single", "per-az"] as const),
    interfaceEndpoints: z.array(oneOf(INTERFACE_ENDPOINT_SERVICES), { error: "must be a list of endpoint short names" })
        .superRefine((list, ctx) => {
            const seen = new Set<string>();
            list.forEach((name, i) => {
                if (seen.has(name)) ctx.addIssue({ code: "custom", path: [i], message: `duplicate endpoint ${JSON.stringify(name)}` });
                seen.add(name);
            });
        })
        .default([]),
    subnetPrefixLengths: subnetPrefixLengths.default({ application: 24, public: 27, data: 27, payment: 27 }),
}).superRefine((n, ctx) => {
    // Only judge the plan when its inputs are individually valid; their own errors are already reported.
    if (!parseIpv4Cidr(n.cidr) || typeof n.azCount !== "number") return;
    if (!planSubnets(n.cidr, n.azCount, n.subnetPrefixLengths)) {
        const p = n.subnetPrefixLengths;
        ctx.addIssue({
            code: "custom",
            path: ["cidr"],
            message: `${n.cidr} cannot hold ${n.azCount} AZs x (application /${p.application}, public /${p.public}, data /${p.data}, payment /${p.payment}); use a larger block or fewer AZs`,
        });
    }
});

const permission = obj({
    actions: z.array(str("an IAM action like \"s3:GetObject\"", (s) => /^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(s))).min(1, "must list at least one action"),
    resources: z.array(str("an ARN or \"*\"", (s) => s === "*" || s.startsWith("arn:"))).min(1, "must list at least one resource"),
});

const pbc = obj({
    image: str("a container image reference with a tag or digest (e.g. \"public.ecr.aws/nginx/nginx:1.27\")", (s) => IMAGE_REF.test(s) && /[:@]/.test(s.split("/").pop() ?? "")),
    cpu: oneOf(Object.keys(FARGATE_MEMORY_BY_CPU).map(Number)),
    memory: int(512, 122880),
    desiredCount: int(1, MAX_TASKS),
    minCount: int(1, MAX_TASKS),
    maxCount: int(1, MAX_TASKS),
    containerPort: int(1024, 65535),
    healthCheckPath: str("an absolute path like \"/health\"", (s) => /^\/[A-Za-z0-9/_.-]*$/.test(s)).default("/health"),
    pathPatterns: z.array(str("an ALB path pattern starting with \"/\"", (s) => s.startsWith("/") && s.length <= 128)).default([]),
    network: oneOf(["application", "payment"] as const).default("application"),
    environment: z.record(str("an environment variable name", (s) => ENV_NAME.test(s)), z.string({ error: "must be a string" })).default({}),
    secrets: z.record(str("an environment variable name", (s) => ENV_NAME.test(s)), str("a Secrets Manager secret ARN", (s) => SECRET_ARN.test(s))).default({}),
    permissions: z.array(permission).default([]),
}).superRefine((p, ctx) => {
    const allowed = FARGATE_MEMORY_BY_CPU[p.cpu];
    if (allowed && typeof p.memory === "number" && !allowed.includes(p.memory)) {
        ctx.addIssue({ code: "custom", path: ["memory"], message: `must be one of Fargate's sizes for cpu ${p.cpu} (${describeSizes(allowed)} MiB), got ${p.memory}` });
    }
    if (p.minCount > p.desiredCount) ctx.addIssue({ code: "custom", path: ["minCount"], message: `must be at most desiredCount (${p.desiredCount}), got ${p.minCount}` });
    if (p.desiredCount > p.maxCount) ctx.addIssue({ code: "custom", path: ["maxCount"], message: `must be at least desiredCount (${p.desiredCount}), got ${p.maxCount}` });
    if (p.network === "payment" && p.pathPatterns.length > 0) {
        ctx.addIssue({ code: "custom", path: ["pathPatterns"], message: "must be empty for a payment-isolated PBC (it is never routed by the public load balancer)" });
    }
    for (const name of Object.keys(p.environment)) {
        if (name in p.secrets) ctx.addIssue({ code: "custom", path: ["environment", name], message: "is also a secret; a variable comes from one place only" });
    }
});

const defaultTags = obj({
    tags: z.record(z.string(), z.string({ error: "must be a string" }), { error: "must be a map of tag names to values" }),
}).superRefine((t, ctx) => {
    for (const tag of REQUIRED_TAGS) {
        if (!t.tags[tag]) ctx.addIssue({ code: "custom", path: ["tags", tag], message: `is required on every resource (tags ${REQUIRED_TAGS.join(", ")})` });
    }
});

/** What the project namespace holds; keys are validated by their dotted path. */
export const projectConfigSchema = obj({
    environment: oneOf(["staging", "production"] as const),
    network,
    logRetentionDays: oneOf(LOG_RETENTION_DAYS).default(90),
    pbcs: z.record(str("a PBC name of lower-case letters, digits and dashes (at most 24)", (s) => /^[a-z][a-z0-9-]{0,23}$/.test(s)), pbc, { error: "must be a map from PBC name to its settings" })
        .default({}),
}).superRefine((c, ctx) => {
    // Path patterns are unique across PBCs: the ALB would route a shared pattern to whichever rule comes first.
    const owner = new Map<string, string>();
    for (const [name, p] of Object.entries(c.pbcs)) {
        p.pathPatterns.forEach((pattern, i) => {
            const other = owner.get(pattern);
            if (other) ctx.addIssue({ code: "custom", path: ["pbcs", name, "pathPatterns", i], message: `${JSON.stringify(pattern)} is already routed to PBC ${JSON.stringify(other)}` });
            else owner.set(pattern, name);
        });
    }
});

export const awsConfigSchema = obj({
    region: str("an AWS region name like \"eu-west-1\"", (s) => AWS_REGION.test(s)),
    defaultTags,
});

export type ProjectConfig = z.output<typeof projectConfigSchema>;
export type PbcConfig = ProjectConfig["pbcs"][string];
export type NetworkConfig = ProjectConfig["network"];

/** The validated stack configuration every tier reads. */
export interface StackConfig extends ProjectConfig {
    project: string;
    stack: string;
    region: string;
    defaultTags: Record<string, string>;
}
