import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { InvalidMessageError } from "./errors";
import { errorMessage, type HandlerLogger } from "./logger";

/**
 * Runs one SQS batch through Powertools' BatchProcessor: records are processed in parallel and every
 * record whose handler throws is returned in batchItemFailures (the event source mapping needs
 * ReportBatchItemFailures), so one bad message never fails the rest of the batch.
 * A fresh processor per call keeps concurrent calls (tests, benchmarks) from sharing state.
 */
export async function processSqsBatch(
    event: SQSEvent,
    recordHandler: (record: SQSRecord) => Promise<unknown>,
    logger: HandlerLogger,
): Promise<SQSBatchResponse> {
    const processor = new BatchProcessor(EventType.SQS);
    const loggingHandler = async (record: SQSRecord): Promise<unknown> => {
        try {
            return await recordHandler(record);
        } catch (error) {
            const level = error instanceof InvalidMessageError ? "warn" : "error";
            logger[level]("record failed; reported as a batch item failure", {
                messageId: record.messageId,
                receiveCount: record.attributes?.ApproximateReceiveCount,
                error: errorMessage(error),
            });
            throw error;
        }
    };
    // A batch where every record failed is reported item by item as well (the default would throw,
    // which has the same retry effect but hides which records failed from the logs and tests).
    return processPartialResponse(event, loggingHandler, processor, { throwOnFullBatchFailure: false });
}
