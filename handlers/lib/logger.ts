import { Logger } from "@aws-lambda-powertools/logger";

/** The part of the Powertools Logger the handlers use; tests pass a recording implementation. */
export type HandlerLogger = Pick<Logger, "debug" | "info" | "warn" | "error">;

/**
 * Powertools Logger for one handler. Level and service name follow the standard Powertools
 * variables POWERTOOLS_LOG_LEVEL and POWERTOOLS_SERVICE_NAME; the service name defaults to the handler name.
 */
export function createLogger(handlerName: string): Logger {
    return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || handlerName });
}

export function errorMessage(error: unknown): string {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
