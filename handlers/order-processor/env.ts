// The environment variables this handler reads, by name: the infrastructure that sets them (stacks/) and the local
// bundle loader import them from here (no runtime dependencies, so the Pulumi program does not load the handler).
/** The environment variables orderProcessorConfigFromEnv reads (besides DATABASE_ENV). */
export const ORDER_PROCESSOR_ENV = { dataLakeBucket: "DATA_LAKE_BUCKET", omsQueueUrl: "OMS_QUEUE_URL" } as const;
