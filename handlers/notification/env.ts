// The environment variables this handler reads, by name: the infrastructure that sets them (stacks/) and the local
// bundle loader import them from here (no runtime dependencies, so the Pulumi program does not load the handler).
/** The environment variables notificationConfigFromEnv reads (besides REDIS_ENV). */
export const NOTIFICATION_ENV = {
    topicArn: "NOTIFICATION_TOPIC_ARN",
    inFlightTtlMs: "NOTIFICATION_IN_FLIGHT_TTL_MS",
    sentTtlMs: "NOTIFICATION_SENT_TTL_MS",
} as const;
