// events: the event-driven tier: queues, their redrive contract, the handlers' Lambda settings.
import { z } from "zod";
import { int, obj, oneOf, str } from "./validators";

const ENDPOINT_BY_PROTOCOL = {
    email: ["an e-mail address", (s: string) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)],
    "email-json": ["an e-mail address", (s: string) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)],
    sms: ['a phone number in E.164 form like "+353861234567"', (s: string) => /^\+[1-9]\d{6,14}$/.test(s)],
    https: ["an https:// URL", (s: string) => /^https:\/\/[^\s/]+(\/\S*)?$/.test(s)],
    sqs: ["an SQS queue ARN", (s: string) => /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[\w.-]+$/.test(s)],
    lambda: ["a Lambda function ARN", (s: string) => /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(s)],
} as const;

/** An SNS topic subscription: the endpoint must suit the protocol (SNS refuses, or never delivers to, any other). */
export const subscriptionSchema = (protocols: readonly (keyof typeof ENDPOINT_BY_PROTOCOL)[]) =>
    obj({
        protocol: oneOf(protocols),
        endpoint: z.string({ error: "must be a string" }).max(2048, "must be at most 2048 characters"),
    }).superRefine((s, ctx) => {
        const [what, test] = ENDPOINT_BY_PROTOCOL[s.protocol];
        if (!test(s.endpoint))
            ctx.addIssue({
                code: "custom",
                path: ["endpoint"],
                message: `must be ${what} for protocol ${s.protocol}, got ${JSON.stringify(s.endpoint)}`,
            });
    });

const subscription = subscriptionSchema(["email", "email-json", "sms", "https", "sqs", "lambda"]);

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
    // The order-notifications topic's delivery path (the notification service: https, sqs or lambda; e-mail for tests).
    // Required in production: without one, publishing succeeds and every customer notification is dropped.
    notificationSubscriptions: z.array(subscription).default([]),
    // Who may assume the order management system's consumer role: a role ARN, or an account root together with
    // omsConsumerExternalId (sts:ExternalId). Required in production; without it (staging) only roles of this
    // account named "<project>-<stack>-oms-*" may assume it (aws:PrincipalArn).
    omsConsumerPrincipal: str("an IAM role ARN (arn:aws:iam::<account>:role/<name>) or account root (arn:aws:iam::<account>:root)", (s) =>
        /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+)$/.test(s),
    ).optional(),
    // The external id the OMS presents when assuming the role (sts:ExternalId); required with an account-root principal.
    omsConsumerExternalId: str("an external id of 2-1224 characters from [\\w+=,.@:/-]", (s) =>
        /^[\w+=,.@:/-]{2,1224}$/.test(s),
    ).optional(),
}).superRefine((e, ctx) => {
    if (e.omsConsumerPrincipal?.endsWith(":root") && !e.omsConsumerExternalId) {
        ctx.addIssue({
            code: "custom",
            path: ["omsConsumerExternalId"],
            message: `is required when omsConsumerPrincipal is an account root (${e.omsConsumerPrincipal}): without an sts:ExternalId condition every principal of that account allowed sts:AssumeRole could read every order`,
        });
    }
});

/** Rules that depend on the environment; path is relative to `events`. */
export function eventsProblems(events: EventsConfig, environment: string): { path: (string | number)[]; message: string }[] {
    const problems: { path: (string | number)[]; message: string }[] = [];
    if (environment === "production") {
        if (events.notificationSubscriptions.length === 0) {
            problems.push({
                path: ["notificationSubscriptions"],
                message:
                    "must list at least one subscription in production (the notification service's https, sqs or lambda endpoint): without one every customer notification is published to nobody",
            });
        }
        if (!events.omsConsumerPrincipal) {
            problems.push({
                path: ["omsConsumerPrincipal"],
                message:
                    "is required in production: the order management system's role ARN (or its account root with omsConsumerExternalId)",
            });
        }
    }
    return problems;
}

export type EventsConfig = z.output<typeof eventsSchema>;

/** SQS's visibility timeout must cover six function timeouts plus the batching window (AWS's Lambda guidance). */
export function visibilityTimeoutFor(events: Pick<EventsConfig, "lambdaTimeoutSeconds" | "maximumBatchingWindowSeconds">): number {
    return 6 * events.lambdaTimeoutSeconds + events.maximumBatchingWindowSeconds;
}
