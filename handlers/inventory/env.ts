// The environment variables this handler reads, by name: the infrastructure that sets them (stacks/) and the local
// bundle loader import them from here (no runtime dependencies, so the Pulumi program does not load the handler).
/** The environment variables the inventory handler reads (besides DATABASE_ENV and REDIS_ENV). */
export const INVENTORY_ENV = { productCacheKeyTemplate: "PRODUCT_CACHE_KEY_TEMPLATE" } as const;
