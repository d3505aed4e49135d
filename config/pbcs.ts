// pbcs: the packaged business capabilities, one map entry per service.
import { z } from "zod";
import { checkListenerRules, MAX_PRIORITY, PRIORITY_BAND } from "./listenerRules";
import { describeValue, int, obj, oneOf, range, str } from "./validators";

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

const MAX_TASKS = 20;

function describeSizes(sizes: readonly number[]): string {
    return sizes.length <= 4 ? sizes.join(", ") : `${sizes[0]}-${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
}

// registry/repository[:tag][@sha256:digest] — at least a tag or a digest, lower-case repository path.
const IMAGE_REF =
    /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(?::[A-Za-z0-9_-]*){0,3}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// A numeric uid:gid (names need /etc/passwd in the image and say nothing to a reviewer); uid 0 is refused.
const USER = /^[1-9]\d{0,9}:\d{1,10}$/;
const BEDROCK_MODEL_ID = /^[a-z0-9-]+\.[A-Za-z0-9._:-]{1,120}$/;
const ABSOLUTE_PATH = /^\/[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

const permission = obj({
    actions: z
        .array(str('an IAM action like "s3:GetObject"', (s) => /^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(s)))
        .min(1, "must list at least one action"),
    resources: z.array(str('an ARN or "*"', (s) => s === "*" || s.startsWith("arn:"))).min(1, "must list at least one resource"),
});

/** The data tier's tables and buckets a PBC may declare access to (by their role in the platform). */
export const PBC_TABLES = ["cart", "featureFlags", "assetIndex"] as const;
export const PBC_BUCKETS = ["assets", "invoices", "dataLake"] as const;
const ACCESS = ["read", "write", "readwrite"] as const;

const bucketAccess = obj({
    // Object key patterns inside the bucket, e.g. "customers/*/orders/*".
    prefixes: z
        .array(
            str(
                'an object key pattern without a leading "/" (e.g. "customers/*/orders/*")',
                (k) => k.length > 0 && k.length <= 512 && !k.startsWith("/"),
            ),
        )
        .min(1, "must list at least one key pattern"),
    access: oneOf(ACCESS),
});

// The data access a PBC declares; its task role gets exactly this (stacks/grants.ts), nothing by hand.
const dataAccess = obj({
    // Connect to Aurora as the PBC's own IAM-auth database role (pbc_<name>).
    database: z.boolean({ error: "must be true or false" }).default(false),
    // Use the ElastiCache endpoint (cache-aside; product entries under the key the inventory handler evicts).
    cache: z.boolean({ error: "must be true or false" }).default(false),
    // Publish retail domain events to the stack's RetailEventBus.
    publishEvents: z.boolean({ error: "must be true or false" }).default(false),
    tables: obj(
        Object.fromEntries(PBC_TABLES.map((t) => [t, oneOf(ACCESS).optional()])) as Record<
            (typeof PBC_TABLES)[number],
            z.ZodOptional<ReturnType<typeof oneOf<(typeof ACCESS)[number]>>>
        >,
    ).default({}),
    buckets: obj(
        Object.fromEntries(PBC_BUCKETS.map((b) => [b, bucketAccess.optional()])) as Record<
            (typeof PBC_BUCKETS)[number],
            z.ZodOptional<typeof bucketAccess>
        >,
    ).default({}),
});

const pbc = obj({
    image: str(
        'a container image reference with a tag or digest (e.g. "public.ecr.aws/nginx/nginx:1.27")',
        (s) => IMAGE_REF.test(s) && /[:@]/.test(s.split("/").pop() ?? ""),
    ),
    cpu: oneOf(Object.keys(FARGATE_MEMORY_BY_CPU).map(Number)),
    memory: int(512, 122880),
    desiredCount: int(1, MAX_TASKS),
    minCount: int(1, MAX_TASKS),
    maxCount: int(1, MAX_TASKS),
    containerPort: int(1024, 65535),
    healthCheckPath: str('an absolute path like "/health"', (s) => /^\/[A-Za-z0-9/_.-]*$/.test(s)).default("/health"),
    pathPatterns: z.array(str('an ALB path pattern starting with "/"', (s) => s.startsWith("/") && s.length <= 128)).default([]),
    network: oneOf(["application", "payment"] as const).default("application"),
    // First priority of the PBC's band of listener rules; derived from its name and patterns when absent.
    listenerPriority: int(1, MAX_PRIORITY - PRIORITY_BAND + 1).optional(),
    // Reached only through Cloud Map by other PBCs (no ALB route); payment PBCs are internal by their network.
    internal: z.boolean({ error: "must be true or false" }).default(false),
    environment: z
        .record(
            str("an environment variable name", (s) => ENV_NAME.test(s)),
            z.string({ error: "must be a string" }),
        )
        .default({}),
    secrets: z
        .record(
            str("an environment variable name", (s) => ENV_NAME.test(s)),
            str("a Secrets Manager secret ARN", (s) => SECRET_ARN.test(s)),
        )
        .default({}),
    permissions: z.array(permission).default([]),
    dataAccess: dataAccess.default({ database: false, cache: false, publishEvents: false, tables: {}, buckets: {} }),
    // The container runs as this non-root user; the default suits most images (nginx-unprivileged included).
    user: str('a non-root numeric user like "1000:1000" (uid:gid, uid not 0)', (s) => USER.test(s)).default("1000:1000"),
    // Writable paths besides /tmp: the root filesystem is read-only, so each gets its own bind-mount volume.
    writablePaths: z
        .array(str('an absolute directory path like "/var/cache/app"', (s) => ABSOLUTE_PATH.test(s) && s !== "/tmp"))
        .max(8, "must list at most 8 paths")
        .default([]),

    // Validates shopper tokens itself: gets the shoppers pool's issuer, JWKS URL and client ids ("admin": also the
    // pool's admin user actions, e.g. for the customer PBC).
    identity: z
        .unknown()
        .superRefine((v, ctx) => {
            if (v !== true && v !== false && v !== "admin")
                ctx.addIssue({ code: "custom", message: `must be true, false or "admin", got ${describeValue(v)}` });
        })
        .transform((v) => v as boolean | "admin")
        .default(false),
    // Bedrock foundation model ids the task role may invoke (with streaming) in the home region.
    bedrockModels: z
        .array(str('a Bedrock foundation model id like "amazon.titan-embed-text-v2:0"', (s) => BEDROCK_MODEL_ID.test(s)))
        .max(10, "must list at most 10 models")
        .default([]),
}).superRefine((p, ctx) => {
    const allowed = FARGATE_MEMORY_BY_CPU[p.cpu];
    if (allowed && typeof p.memory === "number" && !allowed.includes(p.memory)) {
        ctx.addIssue({
            code: "custom",
            path: ["memory"],
            message: `must be one of Fargate's sizes for cpu ${p.cpu} (${describeSizes(allowed)} MiB), got ${p.memory}`,
        });
    }
    if (p.minCount > p.desiredCount)
        ctx.addIssue({
            code: "custom",
            path: ["minCount"],
            message: `must be at most desiredCount (${p.desiredCount}), got ${p.minCount}`,
        });
    if (p.desiredCount > p.maxCount)
        ctx.addIssue({
            code: "custom",
            path: ["maxCount"],
            message: `must be at least desiredCount (${p.desiredCount}), got ${p.maxCount}`,
        });
    if (p.network === "payment" && p.pathPatterns.length > 0) {
        ctx.addIssue({
            code: "custom",
            path: ["pathPatterns"],
            message: "must be empty for a payment-isolated PBC (it is never routed by the public load balancer)",
        });
    }
    if (p.internal && p.pathPatterns.length > 0) {
        ctx.addIssue({
            code: "custom",
            path: ["pathPatterns"],
            message:
                "must be empty for an internal PBC (internal: true means it is reached through Cloud Map only, never routed by the public load balancer)",
        });
    }
    // Without a pattern the ALB has no rule for the PBC: it would run, healthy, and unreachable.
    if (p.network === "application" && !p.internal && p.pathPatterns.length === 0) {
        ctx.addIssue({
            code: "custom",
            path: ["pathPatterns"],
            message:
                'must list at least one ALB path pattern (e.g. "/api/reviews/*"); only a PBC with network: payment or internal: true (reached through Cloud Map only) has no route',
        });
    }
    p.writablePaths.forEach((path, i) => {
        if (p.writablePaths.indexOf(path) !== i)
            ctx.addIssue({ code: "custom", path: ["writablePaths", i], message: `${JSON.stringify(path)} is listed twice` });
    });
    for (const name of Object.keys(p.environment)) {
        if (name in p.secrets)
            ctx.addIssue({
                code: "custom",
                path: ["environment", name],
                message: "is also a secret; a variable comes from one place only",
            });
    }
});

export const pbcsSchema = z
    .record(
        str("a PBC name of lower-case letters, digits and dashes (at most 24)", (s) => /^[a-z][a-z0-9-]{0,23}$/.test(s)),
        pbc,
        { error: "must be a map from PBC name to its settings" },
    )
    .superRefine((pbcs, ctx) => {
        // Path patterns are unique across PBCs: the ALB would route a shared pattern to whichever rule comes first.
        const owner = new Map<string, string>();
        for (const [name, p] of Object.entries(pbcs)) {
            p.pathPatterns.forEach((pattern, i) => {
                const other = owner.get(pattern);
                if (other)
                    ctx.addIssue({
                        code: "custom",
                        path: [name, "pathPatterns", i],
                        message: `${JSON.stringify(pattern)} is already routed to PBC ${JSON.stringify(other)}`,
                    });
                else owner.set(pattern, name);
            });
        }
        // Stable, unique listener-rule priorities with narrower patterns first (config/listenerRules.ts).
        const routed = Object.entries(pbcs).filter(([, p]) => p.network === "application" && p.pathPatterns.length > 0);
        for (const issue of checkListenerRules(
            routed.map(([name, p]) => ({ name, pathPatterns: p.pathPatterns, listenerPriority: p.listenerPriority })),
        ).issues) {
            ctx.addIssue({ code: "custom", path: [issue.pbc, ...issue.key], message: issue.message });
        }
    })
    .default({});

export type PbcConfig = z.output<typeof pbc>;
