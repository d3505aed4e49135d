// Data tier: the buckets (storage.ts), the databases, cache and tables (databases.ts), the lake's Glue database
// (catalog.ts), and the catalogue of what a PBC can be granted (grants.ts).
import * as pulumi from "@pulumi/pulumi";
import { Network } from "../components/network";
import { SecurityGroups } from "../components/securityGroups";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { declareLakeCatalog, LakeCatalog } from "./catalog";
import { PlatformContext } from "./context";
import { DATABASE_NAME, declareDatabases, Databases } from "./databases";
import { GrantCatalogue, grantCatalogue } from "./grants";
import { declareStorage, Storage } from "./storage";

export interface DataDeps {
    readonly keys: StackKeys;
    readonly network: Network;
    readonly securityGroups: SecurityGroups;
}

export interface Data {
    readonly tier: Tier;
    readonly storage: Storage;
    readonly databases: Databases;
    readonly catalog: LakeCatalog;
    /** Every table and bucket a PBC can be granted, with the variable that names it. */
    readonly grantables: GrantCatalogue;
    readonly outputs: ReturnType<typeof dataOutputs>;
}

export function declareData(ctx: PlatformContext, deps: DataDeps): Data {
    const tier = new Tier("data");
    const storage = declareStorage(ctx, tier, { keys: deps.keys });
    const databases = declareDatabases(ctx, tier, deps);
    const catalog = declareLakeCatalog(ctx, tier);
    tier.complete({ bucketNames: storage.all.map((b) => b.name), auroraWriter: databases.aurora.writerEndpoint });
    return {
        tier,
        storage,
        databases,
        catalog,
        grantables: grantCatalogue(storage, databases),
        outputs: dataOutputs(storage, databases, catalog),
    };
}

function dataOutputs(storage: Storage, databases: Databases, catalog: LakeCatalog) {
    const buckets: Record<string, pulumi.Output<string>> = {
        assets: storage.assets.name,
        invoices: storage.invoices.name,
        complianceArchive: storage.archive.name,
        dataLake: storage.dataLake.name,
        logs: storage.logs.name,
        ...(storage.replica ? { assetsReplica: storage.replica.bucket.name } : {}),
    };
    return {
        buckets,
        database: {
            writerEndpoint: databases.aurora.writerEndpoint,
            readerEndpoint: databases.aurora.readerEndpoint,
            name: DATABASE_NAME,
            migrationTaskDefinitionArn: databases.migrationRunner.taskDefinition.arn,
            migrationRepositoryUrl: databases.migrationRunner.repository.repositoryUrl,
        },
        cacheEndpoint: databases.cacheHost,
        lakeDatabase: catalog.database.name,
        tables: {
            cart: databases.tables.cart.name,
            featureFlags: databases.tables.featureFlags.name,
            assetIndex: databases.tables.assetIndex.name,
        },
    };
}
