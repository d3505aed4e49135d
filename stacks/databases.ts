// Data tier, databases: Aurora Serverless v2 and its migration runner, ElastiCache Serverless, the DynamoDB tables and
// AWS Backup — each PBC's data in the store that fits it (relational, key-value, cache).
import * as pulumi from "@pulumi/pulumi";
import { AuroraCluster } from "../components/auroraCluster";
import * as aws from "../components/aws";
import { BackupPlan } from "../components/backupPlan";
import { MigrationRunner } from "../components/migrationRunner";
import { Network } from "../components/network";
import { RuntimeParameter, runtimeParameter } from "../components/runtimeParameter";
import { SecurityGroups } from "../components/securityGroups";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { REDIS_ENV } from "../handlers/lib/env";
import { HANDLER_DATABASE_ROLE, pbcDatabaseRole } from "../handlers/migration-runner/roles";
import { PlatformContext } from "./context";

/** The handlers' own database roles (granted their tables by migrations/003_handler_roles.sql). */
export const HANDLER_DATABASE_ROLES = Object.values(HANDLER_DATABASE_ROLE);

export const DATABASE_NAME = "retail";

/**
 * The cache key of a product, shared by the PBCs that cache products and the inventory handler that evicts them:
 * owned here, with the cache.
 */
export const PRODUCT_CACHE_KEY_TEMPLATE = "product:{sku}";

export interface Databases {
    aurora: AuroraCluster;
    migrationRunner: MigrationRunner;
    cache: aws.elasticache.ServerlessCache;
    /** The cache's endpoint address (a serverless cache has one endpoint; empty until it is created). */
    cacheHost: pulumi.Output<string>;
    tables: { cart: aws.dynamodb.Table; featureFlags: aws.dynamodb.Table; assetIndex: aws.dynamodb.Table };
    backup: BackupPlan;
    /** What AWS assigns these stores at creation, for containers (ECS injects them): see RuntimeParameter. */
    parameters: DataParameters;
}

/** The data tier's runtime parameters (`/<prefix>/runtime/data/…`). */
export interface DataParameters {
    /** Aurora's writer (cluster) endpoint. */
    writerEndpoint: RuntimeParameter;
    /** Aurora's reader endpoint. */
    readerEndpoint: RuntimeParameter;
    /** The serverless cache's endpoint address. */
    cacheEndpoint: RuntimeParameter;
    /** ARN of Aurora's RDS-managed master secret (the migration runner's only). */
    masterSecretArn: RuntimeParameter;
}

export interface DatabasesDeps {
    readonly keys: StackKeys;
    readonly network: Network;
    readonly securityGroups: SecurityGroups;
}

export function declareDatabases(ctx: PlatformContext, tier: Tier, deps: DatabasesDeps): Databases {
    const { keys, network, securityGroups } = deps;
    const { config, namePrefix, isProduction, accountId } = ctx;
    const parent = { parent: tier };
    const key = keys.home.arn;

    const clusterIdentifier = `${namePrefix}-aurora`;
    const aurora = new AuroraCluster(
        `${namePrefix}-aurora`,
        {
            clusterIdentifier,
            engineVersion: config.data.aurora.engineVersion,
            minCapacity: config.data.aurora.minCapacity,
            maxCapacity: config.data.aurora.maxCapacity,
            readers: config.data.aurora.readers,
            backupRetentionDays: config.data.aurora.backupRetentionDays,
            subnetIds: network.subnetIds.data,
            securityGroupId: securityGroups.data.id,
            kmsKeyArn: key,
            logRetentionDays: config.logRetentionDays,
            production: isProduction,
            databaseName: DATABASE_NAME,
        },
        parent,
    );

    const parameter = (role: string, description: string, value: pulumi.Input<string>) =>
        runtimeParameter(
            `${namePrefix}-runtime-${role}`,
            { name: `/${namePrefix}/runtime/data/${role}`, description, value, region: config.region, accountId },
            parent,
        );
    const auroraParameters = {
        writerEndpoint: parameter("writer-endpoint", "Aurora writer endpoint", aurora.writerEndpoint),
        readerEndpoint: parameter("reader-endpoint", "Aurora reader endpoint", aurora.readerEndpoint),
        masterSecretArn: parameter("master-secret-arn", "ARN of Aurora's RDS-managed master secret", aurora.masterUserSecretArn),
    };

    const pbcNames = Object.keys(config.pbcs).sort();
    const migrationRunner = new MigrationRunner(
        `${namePrefix}-migrations`,
        {
            imageTag: config.data.migrationRunnerImageTag,
            dbHost: auroraParameters.writerEndpoint,
            dbName: DATABASE_NAME,
            masterSecret: { arnParameter: auroraParameters.masterSecretArn, clusterIdentifier },
            dbRoles: [...pbcNames.map(pbcDatabaseRole), ...HANDLER_DATABASE_ROLES],
            kmsKeyArn: key,
            kmsKey: keys.home.grantRef,
            region: config.region,
            accountId,
            logRetentionDays: config.logRetentionDays,
        },
        parent,
    );

    const cacheConfig = config.data.cache;
    const cache = new aws.elasticache.ServerlessCache(
        `${namePrefix}-cache`,
        {
            name: `${namePrefix}-cache`,
            description: "Cache-aside for PBC reads and sessions (TLS always on)",
            engine: cacheConfig.engine,
            majorEngineVersion: cacheConfig.engine === "valkey" ? "8" : "7",
            kmsKeyId: key,
            // A serverless cache's subnets cannot be modified (ModifyServerlessCache has no SubnetIds; the provider
            // replaces the cache): pin it to the data subnets of the first three AZs, so raising azCount beyond 3 leaves
            // it alone. Going from 2 to 3 AZs still replaces it.
            subnetIds: network.subnetIds.data.slice(0, 3),
            securityGroupIds: [securityGroups.data.id], // never the VPC's default group
            snapshotRetentionLimit: cacheConfig.snapshotRetentionDays,
            dailySnapshotTime: "03:30",
            cacheUsageLimits: {
                dataStorage: { maximum: cacheConfig.maxDataStorageGb, unit: "GB" },
                ecpuPerSeconds: [{ maximum: cacheConfig.maxEcpuPerSecond }],
            },
        },
        parent,
    );

    const table = (role: string, spec: { hashKey: string; rangeKey?: string; ttlAttribute?: string }) =>
        new aws.dynamodb.Table(
            `${namePrefix}-${role}`,
            {
                name: `${namePrefix}-${role}`,
                billingMode: "PAY_PER_REQUEST",
                hashKey: spec.hashKey,
                rangeKey: spec.rangeKey,
                attributes: [spec.hashKey, ...(spec.rangeKey ? [spec.rangeKey] : [])].map((name) => ({ name, type: "S" })),
                ttl: spec.ttlAttribute ? { attributeName: spec.ttlAttribute, enabled: true } : undefined,
                pointInTimeRecovery: { enabled: true },
                serverSideEncryption: { enabled: true, kmsKeyArn: key },
                deletionProtectionEnabled: isProduction,
            },
            parent,
        );
    const tables = {
        // Carts and sessions expire by TTL (epoch seconds in expiresAt).
        cart: table("cart", { hashKey: "pk", ttlAttribute: "expiresAt" }),
        featureFlags: table("feature-flags", { hashKey: "flag" }),
        // The index of the assets bucket's product images, queried by SKU (handlers/asset-indexer writes it).
        assetIndex: table("asset-index", { hashKey: "sku", rangeKey: "s3Key" }),
    };

    const replicaRegion = config.data.replicaRegion;
    const backup = new BackupPlan(
        `${namePrefix}-backup`,
        {
            resourceArns: [aurora.cluster.arn, tables.cart.arn, tables.featureFlags.arn, tables.assetIndex.arn],
            kmsKeyArn: key,
            retentionDays: config.data.backup.retentionDays,
            copyTo: isProduction && replicaRegion ? { region: replicaRegion, kmsKeyArn: keys.forRegion(replicaRegion).arn } : undefined,
            manageRegionSettings: config.accountSingletons === "managed",
            accountId,
            partition: ctx.partition,
        },
        parent,
    );

    // AWS reports the endpoint once the cache exists; an empty value would only fail later, in SSM's PutParameter.
    const cacheHost = cache.endpoints.apply((e) => {
        const address = e?.[0]?.address;
        if (!address) throw new Error("the serverless cache reported no endpoint address");
        return address;
    });
    const parameters = { ...auroraParameters, cacheEndpoint: parameter("cache-endpoint", "Serverless cache endpoint address", cacheHost) };
    return { aurora, migrationRunner, cache, cacheHost, tables, backup, parameters };
}

/** How a client reaches the cache (TLS always on), in the variables handlers/lib/redis.ts reads; PBCs get the same. */
export function cacheEnvironment(databases: Databases): Record<string, pulumi.Input<string>> {
    return { [REDIS_ENV.host]: databases.cacheHost, [REDIS_ENV.port]: "6379", [REDIS_ENV.tls]: "true" };
}
