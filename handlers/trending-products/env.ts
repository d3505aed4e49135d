// The environment variables this handler reads, by name: the infrastructure that sets them (stacks/) and the local
// bundle loader import them from here (no runtime dependencies, so the Pulumi program does not load the handler).
/** The environment variables trendingConfigFromEnv reads (besides REDIS_ENV). */
export const TRENDING_ENV = { ttlSeconds: "TRENDING_TTL_SECONDS" } as const;
