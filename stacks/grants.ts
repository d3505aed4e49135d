// Each PBC's access to the data and events tiers, exactly as its `dataAccess` settings declare it (issue 5): the task
// role gets these statements and nothing else of those tiers, and the container gets the endpoints and names to use.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/aws";
import { PolicyStatement } from "../components/iam";
import { StackKeys } from "../components/stackKeys";
import { PbcConfig } from "../config/pbcs";
import { pbcDatabaseRole } from "../handlers/migration-runner/roles";
import { PlatformContext } from "./context";
import { DATABASE_NAME, Databases } from "./databases";
import { PRODUCT_CACHE_KEY_TEMPLATE } from "./events";
import { Storage } from "./storage";

/** What one PBC is granted: task-role statements and the environment that names what they grant. */
export interface PbcAccess {
    statements: pulumi.Input<PolicyStatement>[];
    environment: Record<string, pulumi.Input<string>>;
}

const TABLE_ACTIONS = {
    read: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"],
    write: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
};
const OBJECT_ACTIONS = { read: ["s3:GetObject"], write: ["s3:PutObject"] };
const KMS_ACTIONS = { read: ["kms:Decrypt"], write: ["kms:GenerateDataKey"] };
const TABLE_ENV = { cart: "CART_TABLE", featureFlags: "FEATURE_FLAGS_TABLE", assetIndex: "ASSET_INDEX_TABLE" } as const;
const BUCKET_ENV = { assets: "ASSETS_BUCKET", invoices: "INVOICES_BUCKET", dataLake: "DATA_LAKE_BUCKET" } as const;

function actionsFor<T>(access: "read" | "write" | "readwrite", table: { read: T[]; write: T[] }): T[] {
    return [...(access !== "write" ? table.read : []), ...(access !== "read" ? table.write : [])];
}

/** Access per PBC name, from each PBC's declared `dataAccess`. */
export function pbcAccess(ctx: PlatformContext, keys: StackKeys, storage: Storage, databases: Databases, bus: aws.cloudwatch.EventBus): Record<string, PbcAccess> {
    const { config, accountId } = ctx;
    const region = config.region;
    const tables = { cart: databases.tables.cart, featureFlags: databases.tables.featureFlags, assetIndex: databases.tables.assetIndex };
    const buckets = { assets: storage.assets, invoices: storage.invoices, dataLake: storage.dataLake };
    const access: Record<string, PbcAccess> = {};
    for (const [name, pbc] of Object.entries(config.pbcs) as [string, PbcConfig][]) {
        const statements: pulumi.Input<PolicyStatement>[] = [];
        const environment: Record<string, pulumi.Input<string>> = {};
        const kms = new Set<string>();
        const declared = pbc.dataAccess;
        if (declared.database) {
            statements.push(databases.aurora.connectStatement(region, accountId, ctx.partition, pbcDatabaseRole(name)));
            Object.assign(environment, {
                DB_HOST: databases.aurora.writerEndpoint,
                DB_READER_HOST: databases.aurora.readerEndpoint,
                DB_PORT: "5432",
                DB_NAME: DATABASE_NAME,
                DB_USER: pbcDatabaseRole(name),
                DB_AUTH: "iam",
            });
        }
        if (declared.cache) {
            Object.assign(environment, {
                REDIS_HOST: databases.cache.endpoints.apply((e) => e?.[0]?.address ?? ""),
                REDIS_PORT: "6379",
                REDIS_TLS: "true",
                PRODUCT_CACHE_KEY_TEMPLATE,
            });
        }
        if (declared.publishEvents) {
            statements.push(bus.arn.apply((arn): PolicyStatement => ({ Sid: "PublishDomainEvents", Effect: "Allow", Action: "events:PutEvents", Resource: arn })));
            environment.EVENT_BUS_NAME = bus.name;
        }
        for (const [table, level] of Object.entries(declared.tables)) {
            if (!level) continue;
            const t = tables[table as keyof typeof tables];
            statements.push(t.arn.apply((a): PolicyStatement => ({ Sid: `Table${table}`, Effect: "Allow", Action: actionsFor(level, TABLE_ACTIONS), Resource: [a, `${a}/index/*`] })));
            environment[TABLE_ENV[table as keyof typeof TABLE_ENV]] = t.name;
            actionsFor(level, KMS_ACTIONS).forEach((k) => kms.add(`dynamodb ${k}`));
        }
        for (const [bucket, grant] of Object.entries(declared.buckets)) {
            if (!grant) continue;
            const b = buckets[bucket as keyof typeof buckets];
            statements.push(b.arn.apply((a): PolicyStatement => ({ Sid: `Bucket${bucket}`, Effect: "Allow", Action: actionsFor(grant.access, OBJECT_ACTIONS), Resource: grant.prefixes.map((p) => `${a}/${p}`) })));
            environment[BUCKET_ENV[bucket as keyof typeof BUCKET_ENV]] = b.name;
            actionsFor(grant.access, KMS_ACTIONS).forEach((k) => kms.add(`s3 ${k}`));
        }
        // The stack's key, only through the services the PBC was granted.
        for (const service of ["dynamodb", "s3"]) {
            const actions = [...kms].filter((k) => k.startsWith(`${service} `)).map((k) => k.split(" ")[1]);
            if (actions.length > 0) statements.push(keys.useThroughServices(region, [service], actions));
        }
        access[name] = { statements, environment };
    }
    return access;
}
