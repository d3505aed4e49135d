// The environment variables this handler reads, by name: the infrastructure that sets them (stacks/) and the local
// bundle loader import them from here (no runtime dependencies, so the Pulumi program does not load the handler).
/** The environment variables crawlerTriggerConfigFromEnv reads (besides REDIS_ENV). */
export const CRAWLER_TRIGGER_ENV = {
    crawlerNamePrefix: "GLUE_CRAWLER_PREFIX",
    domains: "CRAWLER_DOMAINS",
    startWindowSeconds: "CRAWLER_START_WINDOW_SECONDS",
} as const;
