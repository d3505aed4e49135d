// operations: who hears the platform's alarms (the operations topic every alarm notifies).
import { z } from "zod";
import { subscriptionSchema } from "./events";
import { obj } from "./validators";

export const operationsSchema = obj({
    // E-mail, an https webhook (a chat or pager integration: AWS Chatbot, PagerDuty, Opsgenie, ...) or sms.
    // Required in production: the dead-letter-queue alarms are the only signal that orders were lost.
    subscriptions: z.array(subscriptionSchema(["email", "email-json", "https", "sms"])).default([]),
});

export type OperationsConfig = z.output<typeof operationsSchema>;

/** Rules that depend on the environment; path is relative to `operations`. */
export function operationsProblems(operations: OperationsConfig, environment: string): { path: (string | number)[]; message: string }[] {
    if (environment === "production" && operations.subscriptions.length === 0) {
        return [
            {
                path: ["subscriptions"],
                message:
                    "must list at least one subscription in production (e-mail, https chat/pager webhook or sms): every alarm notifies the operations topic, which otherwise reaches nobody",
            },
        ];
    }
    return [];
}
