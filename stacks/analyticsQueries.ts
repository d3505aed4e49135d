// The curated tables' schema (read from the ETL's schema mapping, one source for the job and the catalog) and the
// Athena named queries that answer the business's questions. Every column reference in a query is qualified by a
// table alias (`o.product_id`), so a test can check each one against the declared tables.
import * as fs from "fs";
import * as path from "path";
import { CLICKSTREAM_TABLE } from "./clickstreamTable";

export const ETL_DIR = path.resolve(__dirname, "..", "analytics", "etl");
export const ETL_SCRIPT = path.join(ETL_DIR, "curated_etl.py");
export const CURATED_SCHEMA_FILE = path.join(ETL_DIR, "curated_schema.json");

export interface CuratedColumn {
    readonly name: string;
    readonly type: string;
    readonly source: string;
    readonly required?: boolean;
}
export interface CuratedDomain {
    readonly description: string;
    readonly columns: readonly CuratedColumn[];
}

/** The schema mapping, by raw domain (`curated_schema.json`). */
export function curatedSchema(): Record<string, CuratedDomain> {
    return JSON.parse(fs.readFileSync(CURATED_SCHEMA_FILE, "utf8"));
}

/** Curated tables are `curated_<domain>`; the partition key is the event's UTC date. */
export const CURATED_TABLE_PREFIX = "curated_";
export const CURATED_PARTITION_KEY = "dt";
export const curatedTableName = (domain: string) => `${CURATED_TABLE_PREFIX}${domain.replace(/-/g, "_")}`;

export interface NamedQuerySpec {
    readonly id: string;
    readonly description: string;
    /** Tables the query reads; it is declared only when the stack declares them all. */
    readonly tables: readonly string[];
    readonly sql: string;
}

const lastDays = (alias: string, days: number) => `${alias}.dt >= date_format(current_date - interval '${days}' day, '%Y-%m-%d')`;

export const NAMED_QUERIES: readonly NamedQuerySpec[] = [
    {
        id: "carted-not-bought",
        description: "Top products added to cart but not bought, last 30 days",
        tables: [CLICKSTREAM_TABLE, curatedTableName("orders")],
        sql: `SELECT c.product_id AS product_id,
       COUNT(*) AS cart_adds,
       COALESCE(MAX(b.units_bought), 0) AS units_bought,
       COUNT(*) - COALESCE(MAX(b.units_bought), 0) AS carted_not_bought
FROM ${CLICKSTREAM_TABLE} c
LEFT JOIN (
    SELECT o.product_id AS product_id, SUM(o.quantity) AS units_bought
    FROM ${curatedTableName("orders")} o
    WHERE ${lastDays("o", 30)}
    GROUP BY o.product_id
) b ON b.product_id = c.product_id
WHERE c.event_type = 'cart_add' AND c.product_id IS NOT NULL AND ${lastDays("c", 30)}
GROUP BY c.product_id
ORDER BY carted_not_bought DESC
LIMIT 20`,
    },
    {
        id: "orders-per-day",
        description: "Orders, units and revenue per day, last 90 days",
        tables: [curatedTableName("orders")],
        sql: `SELECT o.dt AS day,
       COUNT(DISTINCT o.order_id) AS orders,
       SUM(o.quantity) AS units,
       SUM(o.quantity * o.unit_price_cents) / 100.0 AS revenue
FROM ${curatedTableName("orders")} o
WHERE ${lastDays("o", 90)}
GROUP BY o.dt
ORDER BY o.dt`,
    },
    {
        id: "trending-products-by-day",
        description: "Trending products by day: views and units sold per product and day, last 14 days, ranked",
        tables: [CLICKSTREAM_TABLE, curatedTableName("orders")],
        sql: `SELECT v.dt AS day,
       v.product_id AS product_id,
       COUNT(*) AS views,
       COALESCE(MAX(s.units_sold), 0) AS units_sold,
       RANK() OVER (PARTITION BY v.dt ORDER BY COUNT(*) DESC) AS rank_by_views
FROM ${CLICKSTREAM_TABLE} v
LEFT JOIN (
    SELECT o.dt AS dt, o.product_id AS product_id, SUM(o.quantity) AS units_sold
    FROM ${curatedTableName("orders")} o
    WHERE ${lastDays("o", 14)}
    GROUP BY o.dt, o.product_id
) s ON s.dt = v.dt AND s.product_id = v.product_id
WHERE v.event_type = 'product_view' AND v.product_id IS NOT NULL AND ${lastDays("v", 14)}
GROUP BY v.dt, v.product_id
ORDER BY v.dt DESC, views DESC`,
    },
];
