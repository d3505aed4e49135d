import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as aws from "./aws";
import { KeyGrantRef, keyStatement, policyDocument, PolicyStatement } from "./iam";
import { throwArgumentErrors } from "./argumentErrors";

/** PutRecords accepts at most 500 records per request. */
export const PUT_RECORDS_MAX = 500;

/** The request body the beacon sends: `{ "events": [ … ] }`, validated by API Gateway (JSON Schema draft 4). */
export function collectRequestSchema(eventTypes: readonly string[]): object {
    return {
        $schema: "http://json-schema.org/draft-04/schema#",
        title: "ClickstreamBatch",
        type: "object",
        required: ["events"],
        additionalProperties: false,
        properties: {
            events: {
                type: "array",
                minItems: 1,
                maxItems: PUT_RECORDS_MAX,
                items: {
                    type: "object",
                    required: ["eventId", "eventType", "eventTime", "sessionId"],
                    properties: {
                        eventId: { type: "string", minLength: 1, maxLength: 64 },
                        eventType: { type: "string", enum: [...eventTypes] },
                        eventTime: { type: "string", minLength: 20, maxLength: 40 },
                        // The partition key: Kinesis takes 1-256 characters; the pattern keeps it free of quoting.
                        sessionId: { type: "string", pattern: "^[A-Za-z0-9_-]{1,128}$" },
                        customerId: { type: "string", maxLength: 128 },
                        productId: { type: "string", maxLength: 128 },
                        searchQuery: { type: "string", maxLength: 512 },
                        quantity: { type: "integer", minimum: 1, maximum: 1000 },
                        checkoutStep: { type: "string", maxLength: 32 },
                        pageUrl: { type: "string", maxLength: 2048 },
                    },
                },
            },
        },
    };
}

/**
 * The integration request template (VTL): one PutRecords body, each event base64-encoded as one record whose
 * partition key is its session id (a session's events stay in order on one shard).
 */
export function putRecordsTemplate(streamName: string): string {
    return [
        "#set($events = $input.path('$.events'))",
        "{",
        `  "StreamName": "${streamName}",`,
        '  "Records": [',
        "#foreach($event in $events)",
        "    {",
        '      "Data": "$util.base64Encode($input.json("$.events[$foreach.index]"))",',
        '      "PartitionKey": "$util.escapeJavaScript($event.sessionId)"',
        "    }#if($foreach.hasNext),#end",
        "#end",
        "  ]",
        "}",
    ].join("\n");
}

/**
 * 200 from PutRecords may still carry failed records (FailedRecordCount > 0): answered 503 so the beacon retries,
 * else those events are lost silently. A response is selected by status code only for AWS integrations, so the
 * template overrides the status.
 */
export const SUCCESS_RESPONSE_TEMPLATE = [
    "#set($failed = $input.path('$.FailedRecordCount'))",
    "#if($failed > 0)",
    "#set($context.responseOverride.status = 503)",
    "#end",
    '{"failed": $failed}',
].join("\n");

/** Throttling (by the stream or its key) is worth retrying: 429. Any other 4xx is permanent: 400. */
export const CLIENT_ERROR_RESPONSE_TEMPLATE = [
    "#set($type = \"$input.path('$.__type')\")",
    '#if($type.indexOf("ProvisionedThroughputExceededException") >= 0 || $type.indexOf("KMSThrottlingException") >= 0)',
    "#set($context.responseOverride.status = 429)",
    '{"message": "throttled, retry later"}',
    "#else",
    '{"message": "rejected"}',
    "#end",
].join("\n");

export const SERVER_ERROR_RESPONSE_TEMPLATE = '{"message": "unavailable, retry later"}';

/** The content types the beacon sends: fetch with JSON, and navigator.sendBeacon with a string (text/plain). */
export const COLLECT_CONTENT_TYPES = ["application/json", "text/plain"] as const;

export interface ClickstreamApiArgs {
    /** Prefix of physical names. */
    readonly namePrefix: string;
    /** The stream PutRecords writes to, and the key that encrypts it. */
    readonly streamName: pulumi.Input<string>;
    readonly streamArn: pulumi.Input<string>;
    readonly streamKey: KeyGrantRef;
    /** Event types the request model admits. */
    readonly eventTypes: readonly string[];
    /** Stage name (the CloudFront origin path is "/<stage>"). */
    readonly stageName: string;
    /** Stage-wide and usage-plan throttle. */
    readonly rateLimit: number;
    readonly burstLimit: number;
    /**
     * Execution and access logging: "managed" declares the region's API Gateway CloudWatch role (an account
     * setting) and waits for it; "existing" relies on a role already set; "off" keeps metrics only.
     */
    readonly logging: "managed" | "existing" | "off";
    /** Key of the access log group and of the API keys' secret. */
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
    /** Which usage-plan key CloudFront sends. */
    readonly activeKey: "a" | "b";
    /** Days a deleted secret can be restored (7-30). */
    readonly recoveryWindowInDays: number;
    readonly region: string;
    readonly partition: pulumi.Input<string>;
}

/**
 * The clickstream ingestion API: a REGIONAL REST API (request validation, usage plans and WAF exist only there)
 * with one `POST /collect` that writes the batch to Kinesis with PutRecords through an AWS integration. The method
 * requires an API key, which only CloudFront sends (two keys in the usage plan so one can rotate); an explicit
 * stage and a deployment redeployed whenever a method, integration, response or model changes.
 */
export class ClickstreamApi extends pulumi.ComponentResource {
    readonly api: aws.apigateway.RestApi;
    readonly stage: aws.apigateway.Stage;
    /** "<api id>.execute-api.<region>.amazonaws.com". */
    readonly host: pulumi.Output<string>;
    /** The key CloudFront sends (a secret). */
    readonly activeKeyValue: pulumi.Output<string>;
    readonly keysSecret: aws.secretsmanager.Secret;
    readonly accessLogGroup?: aws.cloudwatch.LogGroup;
    readonly account?: aws.apigateway.Account;

    constructor(name: string, args: ClickstreamApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:clickstream:ClickstreamApi", name, {}, opts);
        const problems: string[] = [];
        if (!/^[A-Za-z0-9_]{1,128}$/.test(args.stageName))
            problems.push(`stageName must be 1-128 letters, digits or underscores, got ${JSON.stringify(args.stageName)}`);
        if (!Number.isInteger(args.rateLimit) || args.rateLimit < 1)
            problems.push(`rateLimit must be a positive integer, got ${args.rateLimit}`);
        if (!Number.isInteger(args.burstLimit) || args.burstLimit < 1)
            problems.push(`burstLimit must be a positive integer, got ${args.burstLimit}`);
        if (!Number.isInteger(args.recoveryWindowInDays) || args.recoveryWindowInDays < 7 || args.recoveryWindowInDays > 30)
            problems.push(`recoveryWindowInDays must be an integer from 7 to 30, got ${args.recoveryWindowInDays}`);
        throwArgumentErrors(this, problems);
        const parent = { parent: this };
        // API Gateway assumes these roles as its service principal; no source condition is documented for it.
        const apiGatewayTrust = policyDocument([
            { Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);

        // The region's CloudWatch role for API Gateway is an account setting: declared only by the stack that owns
        // account singletons. Destroying this resource resets the region's setting.
        if (args.logging === "managed") {
            const cloudwatchRole = new aws.iam.Role(
                `${name}-cloudwatch`,
                {
                    description: "API Gateway's CloudWatch Logs role for this region (account setting)",
                    assumeRolePolicy: apiGatewayTrust,
                },
                parent,
            );
            const attachment = new aws.iam.RolePolicyAttachment(
                `${name}-cloudwatch-policy`,
                {
                    role: cloudwatchRole.name,
                    policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
                },
                { ...parent, aliases: [{ name: `${name}-cloudwatch` }] },
            );
            this.account = new aws.apigateway.Account(
                `${name}-account`,
                { cloudwatchRoleArn: cloudwatchRole.arn },
                { parent: this, dependsOn: [attachment] },
            );
        }
        const loggingOn = args.logging !== "off";

        const role = new aws.iam.Role(
            `${name}-kinesis`,
            {
                description: "API Gateway writes clickstream batches to Kinesis",
                assumeRolePolicy: apiGatewayTrust,
            },
            parent,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-kinesis-policy`,
            {
                role: role.id,
                policy: policyDocument(
                    pulumi.output(args.streamArn).apply((stream) =>
                        pulumi.all([
                            { Sid: "PutRecords", Effect: "Allow", Action: "kinesis:PutRecords", Resource: stream } as PolicyStatement,
                            keyStatement(args.streamKey, {
                                sid: "EncryptThroughKinesis",
                                actions: "kms:GenerateDataKey",
                                viaServices: ["kinesis"],
                            }),
                        ]),
                    ),
                ),
            },
            { ...parent, aliases: [{ name: `${name}-kinesis` }] },
        );

        this.api = new aws.apigateway.RestApi(
            `${name}-api`,
            {
                name,
                description: "Storefront clickstream ingestion (reached through CloudFront)",
                endpointConfiguration: { types: "REGIONAL" },
                apiKeySource: "HEADER",
            },
            parent,
        );
        const restApi = this.api.id;
        const resource = new aws.apigateway.Resource(
            `${name}-collect`,
            { restApi, parentId: this.api.rootResourceId, pathPart: "collect" },
            parent,
        );
        const schema = JSON.stringify(collectRequestSchema(args.eventTypes));
        const model = new aws.apigateway.Model(
            `${name}-batch`,
            {
                restApi,
                name: "ClickstreamBatch",
                contentType: "application/json",
                schema,
            },
            parent,
        );
        const validator = new aws.apigateway.RequestValidator(
            `${name}-body`,
            { restApi, name: "body", validateRequestBody: true, validateRequestParameters: false },
            parent,
        );
        const method = new aws.apigateway.Method(
            `${name}-post`,
            {
                restApi,
                resourceId: resource.id,
                httpMethod: "POST",
                authorization: "NONE",
                apiKeyRequired: true,
                requestValidatorId: validator.id,
                requestModels: Object.fromEntries(COLLECT_CONTENT_TYPES.map((t) => [t, model.name])),
            },
            parent,
        );
        const requestTemplate = pulumi.output(args.streamName).apply(putRecordsTemplate);
        const integration = new aws.apigateway.Integration(
            `${name}-put-records`,
            {
                restApi,
                resourceId: resource.id,
                httpMethod: method.httpMethod,
                type: "AWS",
                integrationHttpMethod: "POST",
                uri: pulumi.interpolate`arn:${args.partition}:apigateway:${args.region}:kinesis:action/PutRecords`,
                credentials: role.arn,
                // Kinesis's JSON protocol needs this content type whatever the viewer sent.
                requestParameters: { "integration.request.header.Content-Type": "'application/x-amz-json-1.1'" },
                requestTemplates: Object.fromEntries(COLLECT_CONTENT_TYPES.map((t) => [t, requestTemplate])),
                // Any other content type is refused (415) instead of being passed to Kinesis untransformed.
                passthroughBehavior: "NEVER",
            },
            { parent: this, dependsOn: [rolePolicy] },
        );

        const responses = [
            { statusCode: "200", selectionPattern: undefined, template: SUCCESS_RESPONSE_TEMPLATE },
            { statusCode: "400", selectionPattern: "4\\d{2}", template: CLIENT_ERROR_RESPONSE_TEMPLATE },
            { statusCode: "503", selectionPattern: "5\\d{2}", template: SERVER_ERROR_RESPONSE_TEMPLATE },
        ];
        const methodResponses = ["200", "400", "429", "503"].map(
            (statusCode) =>
                new aws.apigateway.MethodResponse(
                    `${name}-post-${statusCode}`,
                    {
                        restApi,
                        resourceId: resource.id,
                        httpMethod: method.httpMethod,
                        statusCode,
                        responseModels: { "application/json": "Empty" },
                    },
                    parent,
                ),
        );
        const integrationResponses = responses.map(
            (r) =>
                new aws.apigateway.IntegrationResponse(
                    `${name}-put-records-${r.statusCode}`,
                    {
                        restApi,
                        resourceId: resource.id,
                        httpMethod: method.httpMethod,
                        statusCode: r.statusCode,
                        selectionPattern: r.selectionPattern,
                        responseTemplates: { "application/json": r.template },
                    },
                    { parent: this, dependsOn: [integration, ...methodResponses] },
                ),
        );

        // A deployment is a snapshot: without a trigger that changes with every method, integration, response and
        // model, a change to them is never deployed.
        const triggerInputs = pulumi
            .all([
                resource.id,
                method.id,
                integration.id,
                model.id,
                validator.id,
                requestTemplate,
                ...integrationResponses.map((r) => r.id),
                ...methodResponses.map((r) => r.id),
            ])
            .apply((ids) =>
                createHash("sha256")
                    .update(JSON.stringify({ ids, schema, responses, contentTypes: COLLECT_CONTENT_TYPES, apiKeyRequired: true }))
                    .digest("hex"),
            );
        const deployment = new aws.apigateway.Deployment(
            `${name}-deployment`,
            {
                restApi,
                description: "Clickstream ingestion",
                triggers: { redeployment: triggerInputs },
            },
            { parent: this, dependsOn: [method, integration, ...methodResponses, ...integrationResponses] },
        );

        if (loggingOn) {
            this.accessLogGroup = new aws.cloudwatch.LogGroup(
                `${name}-access-logs`,
                {
                    name: `/aws/apigateway/${name}/access`,
                    retentionInDays: args.logRetentionDays,
                    kmsKeyId: args.kmsKeyArn,
                },
                parent,
            );
        }
        // Without the account's CloudWatch role, a stage or method setting that logs fails ("CloudWatch Logs role
        // ARN must be set in account settings"): with a managed role both wait for it.
        const afterAccount = this.account ? [this.account] : [];
        this.stage = new aws.apigateway.Stage(
            `${name}-stage`,
            {
                restApi,
                stageName: args.stageName,
                deployment: deployment.id,
                description: "Clickstream ingestion stage",
                ...(this.accessLogGroup
                    ? {
                          accessLogSettings: {
                              destinationArn: this.accessLogGroup.arn,
                              format: JSON.stringify({
                                  requestId: "$context.requestId",
                                  ip: "$context.identity.sourceIp",
                                  requestTime: "$context.requestTime",
                                  httpMethod: "$context.httpMethod",
                                  resourcePath: "$context.resourcePath",
                                  status: "$context.status",
                                  responseLength: "$context.responseLength",
                                  integrationStatus: "$context.integration.status",
                                  integrationError: "$context.integration.error",
                                  apiKeyId: "$context.identity.apiKeyId",
                              }),
                          },
                      }
                    : {}),
            },
            { parent: this, dependsOn: afterAccount },
        );
        new aws.apigateway.MethodSettings(
            `${name}-settings`,
            {
                restApi,
                stageName: this.stage.stageName,
                methodPath: "*/*",
                settings: {
                    metricsEnabled: true,
                    throttlingRateLimit: args.rateLimit,
                    throttlingBurstLimit: args.burstLimit,
                    ...(loggingOn ? { loggingLevel: "ERROR", dataTraceEnabled: false } : { loggingLevel: "OFF" }),
                },
            },
            { parent: this, dependsOn: afterAccount },
        );

        // Two keys, so one can be regenerated while CloudFront sends the other. Only CloudFront sends a key: a
        // request straight to execute-api gets 403.
        const values = {
            a: new random.RandomPassword(`${name}-key-a`, { length: 40, special: false }, parent),
            b: new random.RandomPassword(`${name}-key-b`, { length: 40, special: false }, parent),
        };
        const plan = new aws.apigateway.UsagePlan(
            `${name}-usage-plan`,
            {
                name: `${name}-cloudfront`,
                description: "CloudFront's keys for the clickstream API",
                apiStages: [{ apiId: restApi, stage: this.stage.stageName }],
                throttleSettings: { rateLimit: args.rateLimit, burstLimit: args.burstLimit },
            },
            parent,
        );
        for (const id of ["a", "b"] as const) {
            const key = new aws.apigateway.ApiKey(
                `${name}-key-${id}`,
                {
                    name: `${name}-cloudfront-${id}`,
                    description: `CloudFront origin key ${id}${id === args.activeKey ? " (sent)" : " (standby)"}`,
                    enabled: true,
                    value: values[id].result,
                },
                parent,
            );
            new aws.apigateway.UsagePlanKey(
                `${name}-key-${id}-plan`,
                { keyId: key.id, keyType: "API_KEY", usagePlanId: plan.id },
                { ...parent, aliases: [{ name: `${name}-key-${id}` }] },
            );
        }
        this.keysSecret = new aws.secretsmanager.Secret(
            `${name}-keys`,
            {
                name: `${name}-api-keys`,
                description: "The clickstream API's two usage-plan keys; CloudFront sends the active one as x-api-key",
                kmsKeyId: args.kmsKeyArn,
                recoveryWindowInDays: args.recoveryWindowInDays,
            },
            parent,
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-keys-version`,
            {
                secretId: this.keysSecret.id,
                secretString: pulumi.secret(
                    pulumi.all([values.a.result, values.b.result]).apply(([a, b]) => JSON.stringify({ a, b, active: args.activeKey })),
                ),
            },
            { ...parent, aliases: [{ name: `${name}-keys` }] },
        );
        this.activeKeyValue = pulumi.secret(values[args.activeKey].result);
        this.host = pulumi.interpolate`${restApi}.execute-api.${args.region}.amazonaws.com`;
        this.registerOutputs({ restApiId: restApi, stageName: this.stage.stageName, host: this.host, keysSecretArn: this.keysSecret.arn });
    }
}
