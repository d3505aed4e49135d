import * as z from "zod/mini";
import type { KinesisStreamRecord } from "aws-lambda";
import { CLICKSTREAM_EVENT_TYPES } from "../../stacks/clickstreamTable";

// One storefront clickstream event as the beacon sends it (API Gateway's request model admits the same fields).
// Unknown extra fields are dropped, so the storefront can add fields without breaking consumers.

export const clickstreamEventSchema = z.object({
    eventId: z.string().check(z.minLength(1), z.maxLength(64)),
    eventType: z.enum(CLICKSTREAM_EVENT_TYPES),
    eventTime: z.iso.datetime({ offset: true }),
    sessionId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/, "must be 1-128 characters of A-Z a-z 0-9 _ -")),
    customerId: z.optional(z.string().check(z.maxLength(128))),
    productId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    searchQuery: z.optional(z.string().check(z.maxLength(512))),
    quantity: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
    checkoutStep: z.optional(z.string().check(z.maxLength(32))),
    pageUrl: z.optional(z.string().check(z.maxLength(2048))),
});

export type ClickstreamEvent = z.infer<typeof clickstreamEventSchema>;

export type Decoded = { ok: true; sequenceNumber: string; event: ClickstreamEvent } | { ok: false; sequenceNumber: string; reason: string };

/** Decodes one Kinesis record (base64 JSON). A record that can never succeed is returned as poison, never thrown. */
export function decodeRecord(record: KinesisStreamRecord): Decoded {
    const sequenceNumber = record.kinesis.sequenceNumber;
    let json: unknown;
    try {
        json = JSON.parse(Buffer.from(record.kinesis.data, "base64").toString("utf8"));
    } catch {
        return { ok: false, sequenceNumber, reason: "data is not JSON" };
    }
    const parsed = clickstreamEventSchema.safeParse(json);
    if (!parsed.success)
        return {
            ok: false,
            sequenceNumber,
            reason: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "),
        };
    return { ok: true, sequenceNumber, event: parsed.data };
}

/** Kinesis sequence numbers are decimal strings of up to 128 digits, increasing within a shard. */
export function compareSequence(a: string, b: string): number {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
}
