// Compile-time checks, run by `tsc --noEmit -p .` (npm test): the grant catalogue is total over the grantable names,
// so a table or bucket added to PBC_TABLES / PBC_BUCKETS (config/pbcs.ts) without its resource in grantCatalogue
// (stacks/grants.ts) fails to compile instead of crashing the plan on `undefined.arn`. Each `@ts-expect-error` below
// fails the compile if the line under it ever compiles.
import * as aws from "@pulumi/aws";
import { PBC_BUCKETS, PBC_TABLES } from "../../config/pbcs";
import { SecureBucket } from "../../components/secureBucket";
import { Grantable, GrantCatalogue, PbcBucket, PbcTable } from "../../stacks/grants";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// The catalogue's keys are exactly the names a PBC may declare access to.
export const tablesAreGrantable: Equal<keyof GrantCatalogue["tables"], (typeof PBC_TABLES)[number]> = true;
export const bucketsAreGrantable: Equal<keyof GrantCatalogue["buckets"], (typeof PBC_BUCKETS)[number]> = true;

declare const table: Grantable<aws.dynamodb.Table>;
declare const bucket: Grantable<SecureBucket>;

// A grantable table without its catalogue entry does not compile.
// @ts-expect-error featureFlags and assetIndex are missing
export const missingTable: Record<PbcTable, Grantable<aws.dynamodb.Table>> = { cart: table };

// Neither does a grantable bucket without one.
// @ts-expect-error dataLake is missing
export const missingBucket: Record<PbcBucket, Grantable<SecureBucket>> = { assets: bucket, invoices: bucket };

// A new grantable name (here "wishlist") makes the catalogue type demand its entry.
// @ts-expect-error wishlist is missing
export const unwiredTable: Record<PbcTable | "wishlist", Grantable<aws.dynamodb.Table>> = {
    cart: table,
    featureFlags: table,
    assetIndex: table,
};
