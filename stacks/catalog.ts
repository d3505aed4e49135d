// The data lake's Glue database: one per stack, shared by the clickstream tier (its declared table) and the analytics
// tier (crawler-owned raw tables, declared curated tables). Declared once, by the data tier, and passed on.
import * as aws from "../components/aws";
import { Tier } from "../components/tier";
import { PlatformContext } from "./context";

export interface LakeCatalog {
    /** The stack's Glue database. */
    readonly database: aws.glue.CatalogDatabase;
    /** Its name: lower case with underscores (Athena needs quoting for hyphens). */
    readonly databaseName: string;
}

/** Glue database names: lower-case letters, digits and underscores (hyphens would need quoting in every query). */
export function lakeDatabaseName(namePrefix: string): string {
    return namePrefix.toLowerCase().replace(/[^a-z0-9_]/g, "_");
}

export function declareLakeCatalog(ctx: PlatformContext, tier: Tier): LakeCatalog {
    const databaseName = lakeDatabaseName(ctx.namePrefix);
    const database = new aws.glue.CatalogDatabase(
        `${ctx.namePrefix}-lake-catalog`,
        {
            name: databaseName,
            description: `Data lake tables of ${ctx.namePrefix}`,
        },
        { parent: tier },
    );
    return { database, databaseName };
}
