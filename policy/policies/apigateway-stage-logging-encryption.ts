import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { known, setOrUnknown } from "../lib/util";

/**
 * API Gateway stages must write access logs (REST and HTTP/WebSocket stages), and a REST method cache must be
 * encrypted wherever caching is on (the stage's own methodSettings are MethodSettings resources).
 */
export const apigatewayStageLoggingEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "apigateway-stage-logging-encryption",
    description: "API Gateway stages must write access logs, and cached REST methods must encrypt their cache.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["api-gwv2-access-logs-enabled"],
        pciDss: ["10.2.1", "3.5.1"],
        // The policy also requires access logs on REST stages (APIGateway.1 is execution logging, a different setting).
        securityHub: [
            "APIGateway.5", // API Gateway REST API cache data should be encrypted at rest
            "APIGateway.9", // Access logging should be configured for API Gateway V2 Stages
        ],
    },
    remediation:
        "Set accessLogSettings { destinationArn: an encrypted log group, format } on the stage; set cacheDataEncrypted: true in every MethodSettings that sets cachingEnabled.",
    validateResource: [
        validateResourceOfType(aws.apigateway.Stage, (s, _args, report) => {
            if (!setOrUnknown(() => s.accessLogSettings?.destinationArn))
                report("accessLogSettings is not set: requests to the stage are not logged [platform rule].");
        }),
        validateResourceOfType(aws.apigatewayv2.Stage, (s, _args, report) => {
            if (!setOrUnknown(() => s.accessLogSettings?.destinationArn))
                report("accessLogSettings is not set: requests to the stage are not logged [AWS Config api-gwv2-access-logs-enabled].");
        }),
        validateResourceOfType(aws.apigateway.MethodSettings, (m, _args, report) => {
            if (known(() => m.settings?.cachingEnabled) === true && known(() => m.settings?.cacheDataEncrypted) !== true) {
                report(
                    `methodPath ${String(known(() => m.methodPath))}: cachingEnabled without cacheDataEncrypted: responses are cached unencrypted [platform rule].`,
                );
            }
        }),
    ],
};
