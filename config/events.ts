// events: the event-driven tier (seed 002 step 7): queues, their redrive contract, the handlers' Lambda settings.
import { z } from "zod";
import { int, obj, oneOf, str } from "./validators";

const subscription = obj({
    protocol: oneOf(["email", "email-json", "sms", "https", "sqs", "lambda"] as const),
    endpoint: str("a subscription endpoint (an address, a number, an https URL or an ARN)", (s) => s.length > 0 && s.length <= 2048),
});

export const eventsSchema = obj({
    // With fewer than 3 receives, throttling during a flash sale moves good messages to the DLQ.
    maxReceiveCount: int(3, 10).default(5),
    // Alarm when the oldest message of a source queue is older than this (seconds).
    maxMessageAgeSeconds: int(60, 345600).default(900),
    lambdaTimeoutSeconds: int(3, 900).default(30),
    lambdaMemoryMb: int(128, 10240).default(512),
    batchSize: int(1, 10).default(10),
    maximumBatchingWindowSeconds: int(0, 300).default(1),
    // Per event source mapping; 2 is the SQS minimum.
    maximumConcurrency: int(2, 1000).default(5),
    // Off by default: reserving concurrency fails on new accounts whose quota is small.
    reservedConcurrency: int(1, 1000).optional(),
    // A crawler starts at most once per window: crawlers bill a 10-minute minimum per run, and one daily crawl
    // registers the day's partition. (The crawled domains are `analytics.crawlerDomains`.)
    crawlerWindowSeconds: int(3600, 86400).default(86400),
    notificationSubscriptions: z.array(subscription).default([]),
    // Who may assume the order management system's consumer role (an account or role ARN); default this account.
    omsConsumerPrincipal: str("an IAM account or role ARN", (s) => /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+)$/.test(s)).optional(),
});

export type EventsConfig = z.output<typeof eventsSchema>;

/** SQS's visibility timeout must cover six function timeouts plus the batching window (AWS's Lambda guidance). */
export function visibilityTimeoutFor(events: Pick<EventsConfig, "lambdaTimeoutSeconds" | "maximumBatchingWindowSeconds">): number {
    return 6 * events.lambdaTimeoutSeconds + events.maximumBatchingWindowSeconds;
}
