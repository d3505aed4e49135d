import * as z from "zod/mini";

// Detail schemas of the retail domain events (published by the ECS application on the RetailEventBus)
// and of S3 "Object Created" events (default bus). Unknown extra fields are accepted and dropped, so
// publishers can add fields without breaking consumers; money is integer minor units (cents).

/** Ids used as SQS FIFO group/deduplication ids, S3 key segments and SQL keys: a safe, bounded alphabet. */
export const identifier = z
    .string()
    .check(
        z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "must be 1-128 characters of A-Z a-z 0-9 . _ : - (not starting with punctuation)"),
    );
export const skuSchema = z
    .string()
    .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be 1-64 characters of A-Z a-z 0-9 . _ - (not starting with punctuation)"));
const currency = z.string().check(z.regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD"));
const timestamp = z.iso.datetime({ offset: true });
const cents = z.int().check(z.minimum(0), z.maximum(100_000_000_000));

export const orderPlacedSchema = z
    .object({
        orderId: identifier,
        customerId: identifier,
        currency,
        placedAt: timestamp,
        lines: z
            .array(
                z.object({
                    sku: skuSchema,
                    quantity: z.int().check(z.minimum(1), z.maximum(10_000)),
                    unitPriceCents: cents,
                }),
            )
            .check(z.minLength(1), z.maxLength(500)),
        totalCents: cents,
    })
    .check(
        z.refine((order) => order.totalCents === order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0), {
            message: "totalCents must equal the sum of quantity * unitPriceCents over the lines",
            path: ["totalCents"],
        }),
    );
export type OrderPlaced = z.infer<typeof orderPlacedSchema>;

export const paymentStatuses = ["authorized", "captured", "failed", "refunded"] as const;
export const paymentProcessedSchema = z.object({
    orderId: identifier,
    paymentId: identifier,
    status: z.enum(paymentStatuses),
    amountCents: cents,
    currency,
    processedAt: timestamp,
});
export type PaymentProcessed = z.infer<typeof paymentProcessedSchema>;

export const inventoryReservedSchema = z.object({
    reservationId: identifier,
    orderId: identifier,
    sku: skuSchema,
    quantity: z.int().check(z.minimum(1), z.maximum(10_000)),
    reservedAt: z.optional(timestamp),
});
export type InventoryReserved = z.infer<typeof inventoryReservedSchema>;

export const orderShippedSchema = z.object({
    orderId: identifier,
    customerId: identifier,
    carrier: z.string().check(z.minLength(1), z.maxLength(64)),
    trackingNumber: z.string().check(z.minLength(1), z.maxLength(64)),
    shippedAt: timestamp,
});
export type OrderShipped = z.infer<typeof orderShippedSchema>;

export const s3ObjectCreatedSchema = z.object({
    bucket: z.object({ name: z.string().check(z.minLength(3), z.maxLength(63)) }),
    object: z.object({
        key: z.string().check(z.minLength(1), z.maxLength(2048)),
        size: z.optional(z.int().check(z.minimum(0))),
        etag: z.optional(z.string()),
        "version-id": z.optional(z.string()),
    }),
    reason: z.optional(z.string()),
});
export type S3ObjectCreated = z.infer<typeof s3ObjectCreatedSchema>;

/**
 * S3 writes object keys in event notifications URL-encoded (space as '+'). The keys this platform
 * produces never contain '+' or '%', so decoding is a no-op for them; a key that does not decode is
 * used as-is.
 */
export function decodeS3Key(key: string): string {
    try {
        return decodeURIComponent(key.replace(/\+/g, " "));
    } catch {
        return key;
    }
}
