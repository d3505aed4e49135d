// Error kinds a record handler throws. Both make the record a batch item failure (SQS redelivers it
// after the visibility timeout, then moves it to the DLQ after maxReceiveCount); the distinction is for logs.

/** The message can never succeed as sent (bad JSON, schema violation). It reaches the DLQ after its retries. */
export class InvalidMessageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InvalidMessageError";
    }
}

/** A transient condition (another consumer holds the same message, a dependency is briefly unavailable). */
export class RetryLaterError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RetryLaterError";
    }
}
