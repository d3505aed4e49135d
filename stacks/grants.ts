// Each PBC's access to the data and events tiers, exactly as its `dataAccess` settings declare it: the task role gets
// these statements and nothing else of those tiers, and the container gets the endpoints and names to use.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/aws";
import { knownArn, PolicyStatement } from "../components/iam";
import { RuntimeParameter } from "../components/runtimeParameter";
import { StackKeys } from "../components/stackKeys";
import { PBC_BUCKETS, PBC_TABLES, PbcConfig } from "../config/pbcs";
import { SecureBucket } from "../components/secureBucket";
import { REDIS_ENV } from "../handlers/lib/env";
import { pbcDatabaseRole } from "../handlers/migration-runner/roles";
import { PlatformContext } from "./context";
import { cacheEnvironment, DATABASE_NAME, Databases, PRODUCT_CACHE_KEY_TEMPLATE } from "./databases";
import { Storage } from "./storage";

/** What one PBC is granted: task-role statements and the environment that names what they grant. */
export interface PbcAccess {
    statements: pulumi.Input<PolicyStatement>[];
    /**
     * Statements that name an id AWS assigns when it creates the resource (an Aurora cluster's resource id, a user
     * pool's id): unknown on a stack's first preview, they go to a policy of their own so the rest stays judgeable.
     */
    assignedIdStatements?: pulumi.Input<PolicyStatement>[];
    /** Variables whose values are known before anything is created (names the program chose, settings). */
    environment: Record<string, pulumi.Input<string>>;
    /** Variables whose values AWS assigns at creation (endpoints, ids): ECS injects them from these parameters. */
    parameters: Record<string, RuntimeParameter>;
}

const TABLE_ACTIONS = {
    read: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"],
    write: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
};
const OBJECT_ACTIONS = { read: ["s3:GetObject"], write: ["s3:PutObject"] };
const KMS_ACTIONS = { read: ["kms:Decrypt"], write: ["kms:GenerateDataKey"] };

/** A table a PBC may declare access to (`pbcs.<name>.dataAccess.tables`). */
export type PbcTable = (typeof PBC_TABLES)[number];
/** A bucket a PBC may declare access to (`pbcs.<name>.dataAccess.buckets`). */
export type PbcBucket = (typeof PBC_BUCKETS)[number];

/** Something a PBC can be granted: the resource, and the environment variable that tells the PBC its name. */
export interface Grantable<R> {
    readonly resource: R;
    readonly env: string;
}

/**
 * Every grantable table and bucket, declared once. Total over PBC_TABLES and PBC_BUCKETS: a name added to either
 * list without its resource here does not compile.
 */
export interface GrantCatalogue {
    readonly tables: Record<PbcTable, Grantable<aws.dynamodb.Table>>;
    readonly buckets: Record<PbcBucket, Grantable<SecureBucket>>;
}

export function grantCatalogue(storage: Storage, databases: Databases): GrantCatalogue {
    return {
        tables: {
            cart: { resource: databases.tables.cart, env: "CART_TABLE" },
            featureFlags: { resource: databases.tables.featureFlags, env: "FEATURE_FLAGS_TABLE" },
            assetIndex: { resource: databases.tables.assetIndex, env: "ASSET_INDEX_TABLE" },
        },
        buckets: {
            assets: { resource: storage.assets, env: "ASSETS_BUCKET" },
            invoices: { resource: storage.invoices, env: "INVOICES_BUCKET" },
            dataLake: { resource: storage.dataLake, env: "DATA_LAKE_BUCKET" },
        },
    };
}

export interface GrantsDeps {
    readonly keys: StackKeys;
    readonly databases: Databases;
    /** What a PBC's `dataAccess.tables` and `.buckets` name (the data tier's `grantables`). */
    readonly grantables: GrantCatalogue;
    /** The retail domain event bus, for PBCs that publish events. */
    readonly bus: { arn: pulumi.Input<string>; name: pulumi.Input<string> };
}

function actionsFor<T>(access: "read" | "write" | "readwrite", table: { read: T[]; write: T[] }): T[] {
    return [...(access !== "write" ? table.read : []), ...(access !== "read" ? table.write : [])];
}

/** Access per PBC name, from each PBC's declared `dataAccess`. */
export function pbcAccess(ctx: PlatformContext, deps: GrantsDeps): Record<string, PbcAccess> {
    const { config, accountId } = ctx;
    const { keys, databases, bus } = deps;
    const region = config.region;
    const access: Record<string, PbcAccess> = {};
    for (const [name, pbc] of Object.entries(config.pbcs) as [string, PbcConfig][]) {
        const statements: pulumi.Input<PolicyStatement>[] = [];
        const assignedIdStatements: pulumi.Input<PolicyStatement>[] = [];
        const environment: Record<string, pulumi.Input<string>> = {};
        const parameters: Record<string, RuntimeParameter> = {};
        const kms = new Set<string>();
        const declared = pbc.dataAccess;
        if (declared.database) {
            assignedIdStatements.push(databases.aurora.connectStatement(region, accountId, ctx.partition, pbcDatabaseRole(name)));
            Object.assign(parameters, {
                DB_HOST: databases.parameters.writerEndpoint,
                DB_READER_HOST: databases.parameters.readerEndpoint,
            });
            Object.assign(environment, {
                DB_PORT: "5432",
                DB_NAME: DATABASE_NAME,
                DB_USER: pbcDatabaseRole(name),
                DB_AUTH: "iam",
            });
        }
        if (declared.cache) {
            // The same variables the handlers get (cacheEnvironment), the endpoint from its parameter.
            const { [REDIS_ENV.host]: _endpoint, ...settings } = cacheEnvironment(databases);
            parameters[REDIS_ENV.host] = databases.parameters.cacheEndpoint;
            Object.assign(environment, { ...settings, PRODUCT_CACHE_KEY_TEMPLATE });
        }
        if (declared.publishEvents) {
            statements.push(
                pulumi.output(bus.arn).apply((arn): PolicyStatement => ({
                    Sid: "PublishDomainEvents",
                    Effect: "Allow",
                    Action: "events:PutEvents",
                    Resource: arn,
                })),
            );
            environment.EVENT_BUS_NAME = bus.name;
        }
        for (const [table, level] of Object.entries(declared.tables) as [PbcTable, (typeof declared.tables)[PbcTable]][]) {
            if (!level) continue;
            const { resource: t, env } = deps.grantables.tables[table];
            statements.push(
                knownArn(t, region, accountId).apply((a): PolicyStatement => ({
                    Sid: `Table${table}`,
                    Effect: "Allow",
                    Action: actionsFor(level, TABLE_ACTIONS),
                    Resource: [a, `${a}/index/*`],
                })),
            );
            environment[env] = t.name;
            actionsFor(level, KMS_ACTIONS).forEach((k) => kms.add(`dynamodb ${k}`));
        }
        for (const [bucket, grant] of Object.entries(declared.buckets) as [PbcBucket, (typeof declared.buckets)[PbcBucket]][]) {
            if (!grant) continue;
            const { resource: b, env } = deps.grantables.buckets[bucket];
            statements.push(
                b.arn.apply((a): PolicyStatement => ({
                    Sid: `Bucket${bucket}`,
                    Effect: "Allow",
                    Action: actionsFor(grant.access, OBJECT_ACTIONS),
                    Resource: grant.prefixes.map((p) => `${a}/${p}`),
                })),
            );
            environment[env] = b.name;
            actionsFor(grant.access, KMS_ACTIONS).forEach((k) => kms.add(`s3 ${k}`));
        }
        // The stack's key, only through the services the PBC was granted.
        for (const service of ["dynamodb", "s3"]) {
            const actions = [...kms].filter((k) => k.startsWith(`${service} `)).map((k) => k.split(" ")[1]);
            if (actions.length > 0) statements.push(keys.useThroughServices(region, [service], actions));
        }
        access[name] = { statements, environment, parameters, ...(assignedIdStatements.length > 0 ? { assignedIdStatements } : {}) };
    }
    return access;
}
