// analytics: the lake's crawlers, the daily ETL to curated Parquet, Athena and the optional Redshift Serverless warehouse.
import { z } from "zod";
import { blockSize } from "./cidr";
import { bool, int, obj, oneOf, str } from "./validators";

/** Athena refuses a per-query cutoff below 10 MB (BytesScannedCutoffPerQuery minimum, 10,485,760 bytes). */
export const ATHENA_MIN_CUTOFF_BYTES = 10_485_760;

/** The largest base capacity `analytics.redshift.baseCapacity` allows (AWS offers 1024 only in a few regions). */
export const REDSHIFT_MAX_BASE_CAPACITY = 512;

/** Redshift Serverless base capacity: 4, or 8 to 512 in steps of 8 (RPUs). */
export function validBaseCapacity(rpu: number): boolean {
    return rpu === 4 || (rpu >= 8 && rpu <= REDSHIFT_MAX_BASE_CAPACITY && rpu % 8 === 0);
}

/**
 * Free IP addresses each subnet must have to create a Redshift Serverless workgroup with enhanced VPC routing, by
 * base capacity in RPUs — AWS's table "With Enhanced VPC Routing (EVR)" in "Considerations when using Amazon Redshift
 * Serverless" (docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html). Without enhanced VPC
 * routing AWS asks only 3 free addresses per subnet at any base capacity; the warehouse always routes through the VPC.
 */
export const REDSHIFT_EVR_FREE_ADDRESSES: readonly (readonly [rpu: number, addresses: number])[] = [
    [4, 9],
    [8, 9],
    [16, 13],
    [32, 13],
    [64, 21],
    [128, 37],
    [256, 69],
    [512, 133],
    [1024, 261],
];

/**
 * Free addresses per subnet for a workgroup with enhanced VPC routing at `rpu` RPUs base capacity. A capacity between
 * two rows of AWS's table (24, 40, …) takes the next row up: AWS publishes no figure for it, and the larger is safe.
 */
export function redshiftAddressesPerSubnet(rpu: number): number {
    const row = REDSHIFT_EVR_FREE_ADDRESSES.find(([r]) => r >= rpu);
    if (!row) throw new RangeError(`Redshift Serverless base capacity is at most 1024 RPUs, got ${rpu}`);
    return row[1];
}

/** Addresses a data subnet of prefix `prefix` leaves for the warehouse: AWS reserves 5, Aurora and the cache use one per instance/endpoint. */
export function freeDataSubnetAddresses(prefix: number, auroraInstances: number): number {
    return blockSize(prefix) - 5 - auroraInstances - 2;
}

const domain = str('a data-lake domain like "orders" (lower case, digits, _ or -)', (s) => /^[a-z0-9][a-z0-9_-]{0,62}$/.test(s));
// Glue cron: six fields, evaluated in UTC ("cron(15 2 * * ? *)").
const glueCron = str('a Glue schedule like "cron(15 2 * * ? *)"', (s) => /^cron\((\S+\s){5}\S+\)$/.test(s));

const redshift = obj({
    enabled: bool(),
    // Never left unset: AWS's default base capacity is 128 RPU.
    baseCapacity: int(4, 512).default(8),
    maxCapacity: int(4, 5632).default(64),
    // RPU-hours per day before the usage limit acts.
    dailyRpuHourLimit: int(1, 100000).default(24),
    // Security groups (by the platform's group names) admitted to 5439.
    clientGroups: z.array(oneOf(["application", "lambda"] as const)).default([]),
    adminUsername: str("a Redshift user name (letters, digits, _; starts with a letter)", (s) => /^[a-z][a-z0-9_]{0,126}$/.test(s)).default(
        "warehouse_admin",
    ),
}).superRefine((r, ctx) => {
    if (typeof r.baseCapacity === "number" && !validBaseCapacity(r.baseCapacity)) {
        ctx.addIssue({
            code: "custom",
            path: ["baseCapacity"],
            message: `must be 4 or a multiple of 8 from 8 to 512 (RPUs), got ${r.baseCapacity}`,
        });
    }
    if (
        typeof r.maxCapacity === "number" &&
        typeof r.baseCapacity === "number" &&
        (r.maxCapacity < r.baseCapacity || (r.maxCapacity !== 4 && r.maxCapacity % 8 !== 0))
    ) {
        ctx.addIssue({
            code: "custom",
            path: ["maxCapacity"],
            message: `must be a multiple of 8 RPUs, at least baseCapacity (${r.baseCapacity}), got ${r.maxCapacity}`,
        });
    }
});

export const analyticsSchema = obj({
    // Raw data-lake domains crawled by Glue (`<project>-<stack>-raw-<domain>`); the crawler trigger reads this list too.
    crawlerDomains: z.array(domain).min(1, { error: "must name at least one domain" }).default(["orders", "inventory", "products"]),
    etl: obj({
        schedule: glueCron.default("cron(15 2 * * ? *)"),
        // G.1X workers; 2 is Glue's minimum for Spark jobs.
        workers: int(2, 299).default(2),
        timeoutMinutes: int(10, 2880).default(60),
        maxRetries: int(0, 10).default(1),
    }).default({ schedule: "cron(15 2 * * ? *)", workers: 2, timeoutMinutes: 60, maxRetries: 1 }),
    athena: obj({
        bytesScannedCutoffPerQuery: int(ATHENA_MIN_CUTOFF_BYTES, Number.MAX_SAFE_INTEGER).default(10 * 1024 ** 3),
        resultsExpirationDays: int(1, 3650).default(30),
    }).default({ bytesScannedCutoffPerQuery: 10 * 1024 ** 3, resultsExpirationDays: 30 }),
    redshift: redshift.optional(),
}).superRefine((a, ctx) => {
    const seen = new Set<string>();
    (Array.isArray(a.crawlerDomains) ? a.crawlerDomains : []).forEach((d, i) => {
        if (d === "clickstream")
            ctx.addIssue({
                code: "custom",
                path: ["crawlerDomains", i],
                message: 'must not be "clickstream" (its table is declared, not crawled)',
            });
        if (seen.has(d)) ctx.addIssue({ code: "custom", path: ["crawlerDomains", i], message: `duplicate domain ${JSON.stringify(d)}` });
        seen.add(d);
    });
});

export type AnalyticsConfig = z.output<typeof analyticsSchema>;
export type RedshiftConfig = NonNullable<AnalyticsConfig["redshift"]>;

export const ANALYTICS_DEFAULTS = (): AnalyticsConfig => analyticsSchema.parse({});

/** Rules across sections: Redshift with enhanced VPC routing needs three AZs, a Glue endpoint and room for its addresses. */
export function analyticsProblems(
    analytics: AnalyticsConfig,
    network: { azCount: number; interfaceEndpoints: readonly string[]; subnetPrefixLengths: { data: number } },
    auroraInstances: number,
): { path: string; message: string }[] {
    const problems: { path: string; message: string }[] = [];
    const r = analytics.redshift;
    if (!r?.enabled) return problems;
    if (network.azCount < 3) {
        problems.push({
            path: "network.azCount",
            message: `must be at least 3 when analytics.redshift is enabled (Redshift Serverless with enhanced VPC routing needs subnets in three AZs), got ${network.azCount}`,
        });
    }
    if (!network.interfaceEndpoints.includes("glue")) {
        problems.push({
            path: "network.interfaceEndpoints",
            message:
                'must include "glue" when analytics.redshift is enabled (enhanced VPC routing sends Spectrum\'s catalog calls through the VPC)',
        });
    }
    // AWS sizes the addresses by base capacity. Checked at the largest base capacity maxCapacity admits, so raising
    // baseCapacity up to maxCapacity later (a day-2 change) never fails for want of addresses; this covers creation
    // at baseCapacity too, since the table only grows.
    const rpu = Math.min(r.maxCapacity, REDSHIFT_MAX_BASE_CAPACITY);
    const needed = redshiftAddressesPerSubnet(rpu);
    const free = freeDataSubnetAddresses(network.subnetPrefixLengths.data, auroraInstances);
    if (needed > free) {
        problems.push({
            path: "analytics.redshift.maxCapacity",
            message: `needs ${needed} free addresses per data subnet (AWS's minimum for enhanced VPC routing at ${rpu} RPUs base capacity), the /${network.subnetPrefixLengths.data} data subnets leave ${free}; lower it or widen network.subnetPrefixLengths.data, got ${r.maxCapacity}`,
        });
    }
    return problems;
}
