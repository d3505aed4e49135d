// analytics: the lake's crawlers, the daily ETL to curated Parquet, Athena and the optional Redshift Serverless warehouse.
import { z } from "zod";
import { blockSize } from "./cidr";
import { bool, int, obj, oneOf, str } from "./validators";

/** Athena refuses a per-query cutoff below 10 MB (BytesScannedCutoffPerQuery minimum, 10,485,760 bytes). */
export const ATHENA_MIN_CUTOFF_BYTES = 10_485_760;

/** Redshift Serverless base capacity: 4, or 8 to 512 in steps of 8 (RPUs). */
export function validBaseCapacity(rpu: number): boolean {
    return rpu === 4 || (rpu >= 8 && rpu <= 512 && rpu % 8 === 0);
}

/**
 * Free IP addresses each subnet needs for a workgroup with enhanced VPC routing at `rpu` RPUs (AWS's table in
 * "Considerations when using Amazon Redshift Serverless": 9 at 8 RPU, 10 at 16, 12 at 32, 16 at 64, 24 at 128, 40
 * at 256, 72 at 512, 136 at 1024 — 8 plus one per 8 RPU).
 */
export function redshiftAddressesPerSubnet(rpu: number): number {
    return 8 + Math.ceil(rpu / 8);
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
    const needed = redshiftAddressesPerSubnet(r.maxCapacity);
    const free = freeDataSubnetAddresses(network.subnetPrefixLengths.data, auroraInstances);
    if (needed > free) {
        problems.push({
            path: "analytics.redshift.maxCapacity",
            message: `needs ${needed} free addresses per data subnet, the /${network.subnetPrefixLengths.data} data subnets leave ${free}; lower it or widen network.subnetPrefixLengths.data, got ${r.maxCapacity}`,
        });
    }
    return problems;
}
