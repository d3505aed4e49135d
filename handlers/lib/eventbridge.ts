import * as z from "zod/mini";
import { en } from "zod/locales";
import { InvalidMessageError } from "./errors";

// Every SQS record these handlers consume was put on its queue by an EventBridge rule, so the record
// body is an EventBridge event envelope. This module parses the envelope and the detail for the
// detail-types a handler accepts; anything else is an InvalidMessageError (a failed batch item).
// zod/mini with only the English messages keeps each bundle ~400 KiB smaller than classic zod.

z.config(en());

export const eventEnvelopeSchema = z.object({
    version: z.string(),
    id: z.string().check(z.minLength(1), z.maxLength(128)),
    "detail-type": z.string().check(z.minLength(1)),
    source: z.string().check(z.minLength(1)),
    account: z.string(),
    time: z.iso.datetime({ offset: true }),
    region: z.string(),
    resources: z.array(z.string()),
    detail: z.unknown(),
});

export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export type DetailSchemas = Record<string, z.ZodMiniType>;

export type ParsedEvent<M extends DetailSchemas> = {
    [K in keyof M & string]: { detailType: K; detail: z.infer<M[K]>; envelope: EventEnvelope };
}[keyof M & string];

export function describeIssues(error: z.core.$ZodError): string {
    return error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
        .join("; ");
}

export function parseEventBridgeBody<M extends DetailSchemas>(body: string, detailSchemas: M): ParsedEvent<M> {
    let json: unknown;
    try {
        json = JSON.parse(body);
    } catch {
        throw new InvalidMessageError(`record body is not JSON (${body.length} bytes)`);
    }
    const envelope = eventEnvelopeSchema.safeParse(json);
    if (!envelope.success) {
        throw new InvalidMessageError(`record body is not an EventBridge event: ${describeIssues(envelope.error)}`);
    }
    const detailType = envelope.data["detail-type"];
    const schema = Object.prototype.hasOwnProperty.call(detailSchemas, detailType) ? detailSchemas[detailType] : undefined;
    if (!schema) {
        throw new InvalidMessageError(
            `event ${envelope.data.id} has detail-type ${JSON.stringify(detailType)}; this handler accepts ${Object.keys(detailSchemas).join(", ")}`,
        );
    }
    const detail = schema.safeParse(envelope.data.detail);
    if (!detail.success) {
        throw new InvalidMessageError(`event ${envelope.data.id} (${detailType}) has an invalid detail: ${describeIssues(detail.error)}`);
    }
    return { detailType, detail: detail.data, envelope: envelope.data } as ParsedEvent<M>;
}
