// Builders for the messages the handlers receive (EventBridge envelopes inside SQS records), seeded
// shuffling so a failing order can be replayed, and batch drivers that collect batch item failures.
import { randomUUID } from "crypto";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { HandlerLogger } from "../../handlers/lib/logger";

export interface EnvelopeOptions {
    id?: string;
    time?: string;
    source?: string;
}

export function eventBridgeEvent(detailType: string, detail: unknown, options: EnvelopeOptions = {}): Record<string, unknown> {
    return {
        version: "0",
        id: options.id ?? randomUUID(),
        "detail-type": detailType,
        source: options.source ?? (detailType === "Object Created" ? "aws.s3" : "retail.platform"),
        account: "123456789012",
        time: options.time ?? new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        region: "eu-west-1",
        resources: [],
        detail,
    };
}

let messageCounter = 0;

export function sqsRecord(body: string, messageId: string = `msg-${++messageCounter}`): SQSRecord {
    return {
        messageId,
        receiptHandle: `receipt-${messageId}`,
        body,
        attributes: {
            ApproximateReceiveCount: "1",
            SentTimestamp: String(Date.now()),
            SenderId: "AIDAEXAMPLE",
            ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:test-queue",
        awsRegion: "eu-west-1",
    };
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
    return { Records: records };
}

/** mulberry32: a small seeded PRNG so shuffles are reproducible from the printed seed. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
}

export function chunk<T>(items: T[], size: number): T[][] {
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
}

/**
 * Each body delivered 2 or 3 times as separate SQS messages (as when EventBridge or a publisher
 * delivers an event more than once), all deliveries shuffled together.
 */
export function duplicatedDeliveries(bodies: string[], random: () => number): SQSRecord[] {
    const records = bodies.flatMap((body) => Array.from({ length: 2 + Math.floor(random() * 2) }, () => sqsRecord(body)));
    return shuffle(records, random);
}

/** Runs records through a batch handler in batches of batchSize, `concurrency` batches at a time. */
export async function runInBatches(
    records: SQSRecord[],
    handle: (event: SQSEvent) => Promise<SQSBatchResponse>,
    options: { batchSize?: number; concurrency?: number } = {},
): Promise<Set<string>> {
    const batches = chunk(records, options.batchSize ?? 10);
    const failures = new Set<string>();
    let next = 0;
    const worker = async () => {
        while (next < batches.length) {
            const batch = batches[next++];
            const response = await handle(sqsEvent(batch));
            for (const failure of response.batchItemFailures) failures.add(failure.itemIdentifier);
        }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 1 }, worker));
    return failures;
}

export interface EventSourceOptions {
    /** Messages per invocation (the event source mapping's batchSize). */
    batchSize: number;
    /** Invocations in flight at once (the mapping's scalingConfig.maximumConcurrency). */
    maximumConcurrency: number;
    /** Receives before SQS moves a message to the dead-letter queue (the redrive policy's maxReceiveCount). */
    maxReceiveCount: number;
}

export interface EventSourceResult {
    /** Messages the handler settled (not reported as failures). */
    settled: number;
    /** Invocations made, and receives beyond each message's first. */
    invocations: number;
    redeliveries: number;
    /** Messages received maxReceiveCount times without being settled. */
    deadLettered: SQSRecord[];
}

/**
 * What a Lambda SQS event source mapping does with a queue: at most `maximumConcurrency` invocations at a time, each
 * receiving up to `batchSize` visible messages; every item the handler reports in batchItemFailures (all of them if
 * the invocation throws) becomes visible again and is received again with ApproximateReceiveCount + 1, until it is
 * settled or, after maxReceiveCount receives, moved to the dead-letter queue. `handlerFor(i)` is the handler of
 * execution environment i (one invocation at a time each, with its own clients and pool, as in Lambda).
 */
export async function runEventSource(
    records: SQSRecord[],
    handlerFor: (environment: number) => (event: SQSEvent) => Promise<SQSBatchResponse>,
    options: EventSourceOptions,
): Promise<EventSourceResult> {
    const queue = records.map((record) => ({ record, receives: 0 }));
    const result: EventSourceResult = { settled: 0, invocations: 0, redeliveries: 0, deadLettered: [] };
    let inFlight = 0;
    let wake: (() => void) | undefined;
    let changed = new Promise<void>((resolve) => (wake = resolve));
    const notify = () => {
        const resolve = wake;
        changed = new Promise<void>((r) => (wake = r));
        resolve?.();
    };
    const environment = async (index: number) => {
        const handle = handlerFor(index);
        for (;;) {
            if (queue.length === 0) {
                if (inFlight === 0) return;
                await changed; // a batch in flight may return failures to the queue
                continue;
            }
            const batch = queue.splice(0, options.batchSize);
            for (const message of batch) {
                message.receives++;
                if (message.receives > 1) result.redeliveries++;
            }
            inFlight++;
            result.invocations++;
            let failed: Set<string>;
            try {
                const response = await handle(
                    sqsEvent(
                        batch.map(({ record, receives }) => ({
                            ...record,
                            attributes: { ...record.attributes, ApproximateReceiveCount: String(receives) },
                        })),
                    ),
                );
                failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
            } catch {
                failed = new Set(batch.map(({ record }) => record.messageId));
            }
            for (const message of batch) {
                if (!failed.has(message.record.messageId)) result.settled++;
                else if (message.receives >= options.maxReceiveCount) result.deadLettered.push(message.record);
                else queue.push(message);
            }
            inFlight--;
            notify();
        }
    };
    await Promise.all(Array.from({ length: options.maximumConcurrency }, (_, i) => environment(i)));
    return result;
}

export interface LogEntry {
    level: "debug" | "info" | "warn" | "error";
    message: string;
    attributes: unknown[];
}

/** Captures log calls so tests can assert what was logged, without printing. */
export class RecordingLogger {
    readonly entries: LogEntry[] = [];
    debug = (message: string, ...attributes: unknown[]) => void this.entries.push({ level: "debug", message, attributes });
    info = (message: string, ...attributes: unknown[]) => void this.entries.push({ level: "info", message, attributes });
    warn = (message: string, ...attributes: unknown[]) => void this.entries.push({ level: "warn", message, attributes });
    error = (message: string, ...attributes: unknown[]) => void this.entries.push({ level: "error", message, attributes });
    asHandlerLogger(): HandlerLogger {
        return this as unknown as HandlerLogger;
    }
    messages(level: LogEntry["level"]): string[] {
        return this.entries.filter((entry) => entry.level === level).map((entry) => entry.message);
    }
}

export const fakeLambdaContext = {
    functionName: "test",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:test",
    memoryLimitInMB: "256",
    awsRequestId: "test-request",
    logGroupName: "/aws/lambda/test",
    logStreamName: "test",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
} as unknown as Context;
