// The clickstream's Glue table: the contract between the clickstream tier (Firehose converts JSON to Parquet
// against it), the analytics tier (Athena named queries, the dashboard) and the storefront's beacon payload.
// Event time stays a column; the `dt` partition is Firehose's arrival date.

/** The table's name in the stack's lake database. */
export const CLICKSTREAM_TABLE = "clickstream_events";

/** The lake prefix Firehose writes under (the table's location); partitions are `dt=YYYY-MM-DD/`. */
export const CLICKSTREAM_PREFIX = "raw/clickstream/";

/** Event types the storefront sends. */
export const CLICKSTREAM_EVENT_TYPES = ["product_view", "search", "cart_add", "checkout_step"] as const;
export type ClickstreamEventType = (typeof CLICKSTREAM_EVENT_TYPES)[number];

/** Columns, in Hive/Glue types; a new field is one line here (and in the handlers' zod schema). */
export const CLICKSTREAM_COLUMNS: readonly { readonly name: string; readonly type: string; readonly comment: string }[] = [
    { name: "event_id", type: "string", comment: "client-generated unique id (idempotency key)" },
    { name: "event_type", type: "string", comment: CLICKSTREAM_EVENT_TYPES.join(" | ") },
    { name: "event_time", type: "timestamp", comment: "when the shopper acted (client clock, ISO-8601)" },
    { name: "session_id", type: "string", comment: "storefront session; the Kinesis partition key" },
    { name: "customer_id", type: "string", comment: "signed-in customer, if any" },
    { name: "product_id", type: "string", comment: "product_view, cart_add" },
    { name: "search_query", type: "string", comment: "search" },
    { name: "quantity", type: "int", comment: "cart_add" },
    { name: "checkout_step", type: "string", comment: "checkout_step: cart | address | payment | confirmation" },
    { name: "page_url", type: "string", comment: "storefront path" },
];

/** The partition key (arrival date, `yyyy-MM-dd`). */
export const CLICKSTREAM_PARTITION_KEY = { name: "dt", type: "string" } as const;
