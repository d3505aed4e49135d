// Each PBC's access to the data tier, exactly as its `dataAccess` settings declare it (issue 5): the task role gets
// these statements and nothing else of the data tier.
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "../components/iam";
import { StackKeys } from "../components/stackKeys";
import { PbcConfig } from "../config/pbcs";
import { pbcDatabaseRole } from "../handlers/migration-runner/roles";
import { PlatformContext } from "./context";
import { Databases } from "./databases";
import { Storage } from "./storage";

const TABLE_ACTIONS = {
    read: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"],
    write: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
};
const OBJECT_ACTIONS = { read: ["s3:GetObject"], write: ["s3:PutObject"] };
const KMS_ACTIONS = { read: ["kms:Decrypt"], write: ["kms:GenerateDataKey"] };

function actionsFor<T>(access: "read" | "write" | "readwrite", table: { read: T[]; write: T[] }): T[] {
    return [...(access !== "write" ? table.read : []), ...(access !== "read" ? table.write : [])];
}

/** IAM statements per PBC name, from each PBC's declared `dataAccess`. */
export function pbcDataGrants(ctx: PlatformContext, keys: StackKeys, storage: Storage, databases: Databases): Record<string, pulumi.Input<PolicyStatement>[]> {
    const { config, accountId } = ctx;
    const region = config.region;
    const tables = { cart: databases.tables.cart, featureFlags: databases.tables.featureFlags, assetIndex: databases.tables.assetIndex };
    const buckets = { assets: storage.assets, invoices: storage.invoices, dataLake: storage.dataLake };
    const grants: Record<string, pulumi.Input<PolicyStatement>[]> = {};
    for (const [name, pbc] of Object.entries(config.pbcs) as [string, PbcConfig][]) {
        const statements: pulumi.Input<PolicyStatement>[] = [];
        const kms = new Set<string>();
        const access = pbc.dataAccess;
        if (access.database) statements.push(databases.aurora.connectStatement(region, accountId, ctx.partition, pbcDatabaseRole(name)));
        for (const [table, level] of Object.entries(access.tables)) {
            if (!level) continue;
            const arn = tables[table as keyof typeof tables].arn;
            statements.push(arn.apply((a): PolicyStatement => ({ Sid: `Table${table}`, Effect: "Allow", Action: actionsFor(level, TABLE_ACTIONS), Resource: [a, `${a}/index/*`] })));
            actionsFor(level, KMS_ACTIONS).forEach((k) => kms.add(`dynamodb ${k}`));
        }
        for (const [bucket, grant] of Object.entries(access.buckets)) {
            if (!grant) continue;
            const arn = buckets[bucket as keyof typeof buckets].arn;
            statements.push(arn.apply((a): PolicyStatement => ({ Sid: `Bucket${bucket}`, Effect: "Allow", Action: actionsFor(grant.access, OBJECT_ACTIONS), Resource: grant.prefixes.map((p) => `${a}/${p}`) })));
            actionsFor(grant.access, KMS_ACTIONS).forEach((k) => kms.add(`s3 ${k}`));
        }
        // The stack's key, only through the services the PBC was granted.
        for (const service of ["dynamodb", "s3"]) {
            const actions = [...kms].filter((k) => k.startsWith(`${service} `)).map((k) => k.split(" ")[1]);
            if (actions.length > 0) statements.push(keys.useThroughServices(region, [service], actions));
        }
        grants[name] = statements;
    }
    return grants;
}
