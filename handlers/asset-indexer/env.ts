// The environment variables this handler reads, by name: the infrastructure that sets them (stacks/) and the local
// bundle loader import them from here (no runtime dependencies, so the Pulumi program does not load the handler).
/** The environment variables assetIndexerConfigFromEnv reads. */
export const ASSET_INDEXER_ENV = { tableName: "ASSET_INDEX_TABLE" } as const;
