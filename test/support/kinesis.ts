// Builders for Kinesis records and windowed events as Lambda delivers them to the clickstream consumers.
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import type { TrendingEvent } from "../../handlers/trending-products/trending-products";

// Kinesis sequence numbers are long decimal strings; the tail increases within a shard.
const BASE = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n;

export function sequenceNumber(i: number): string {
    return String(BASE + BigInt(i));
}

export function kinesisRecord(payload: unknown, i: number, partitionKey = "pk"): KinesisStreamRecord {
    const data = typeof payload === "string" ? payload : JSON.stringify(payload);
    return {
        kinesis: {
            kinesisSchemaVersion: "1.0",
            partitionKey,
            sequenceNumber: sequenceNumber(i),
            data: Buffer.from(data).toString("base64"),
            approximateArrivalTimestamp: 1_764_640_000 + i,
        },
        eventSource: "aws:kinesis",
        eventVersion: "1.0",
        eventID: `shardId-000000000000:${sequenceNumber(i)}`,
        eventName: "aws:kinesis:record",
        invokeIdentityArn: "arn:aws:iam::123456789012:role/consumer",
        awsRegion: "eu-west-1",
        eventSourceARN: "arn:aws:kinesis:eu-west-1:123456789012:stream/clickstream",
    };
}

export function streamEvent(records: KinesisStreamRecord[]): KinesisStreamEvent {
    return { Records: records };
}

export function windowEvent(
    records: KinesisStreamRecord[],
    state: unknown,
    options: { start?: string; final?: boolean; early?: boolean; shardId?: string } = {},
): TrendingEvent {
    return {
        Records: records,
        window: { start: options.start ?? "2026-12-01T10:00:00Z", end: "2026-12-01T10:05:00Z" },
        state: state as TrendingEvent["state"],
        shardId: options.shardId ?? "shardId-000000000000",
        eventSourceARN: "arn:aws:kinesis:eu-west-1:123456789012:stream/clickstream",
        isFinalInvokeForWindow: options.final ?? false,
        isWindowTerminatedEarly: options.early ?? false,
    };
}

export function view(sessionId: string, productId: string, second: number, eventId = `${sessionId}-${productId}-${second}`) {
    return {
        eventId,
        eventType: "product_view",
        eventTime: new Date(Date.UTC(2026, 11, 1, 10, 0, second)).toISOString(),
        sessionId,
        productId,
    };
}
