import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { arnFromName, KeyGrantRef, keyStatement, policyDocument, PolicyStatement, serviceTrustPolicy } from "./iam";
import { throwArgumentErrors } from "./argumentErrors";

export interface HandlerFunctionArgs {
    /** The bundled handler (one `index.js`, AWS SDK left to the runtime). */
    readonly code: pulumi.Input<pulumi.asset.Archive>;
    /** Environment of the entry point (see each handler's documented variables). */
    readonly environment: Record<string, pulumi.Input<string>>;
    /** What the handler itself uses, beyond its logs, its VPC interfaces and its source queue. */
    readonly statements: pulumi.Input<PolicyStatement>[];
    /** Statements naming ids AWS assigns at creation (e.g. rds-db:connect); a policy of their own, so the rest is known at preview. */
    readonly assignedIdStatements?: pulumi.Input<PolicyStatement>[];
    /**
     * The queue the function consumes, with its KMS key; absent for a function whose event source is declared by
     * another component (a Kinesis stream: see KinesisEventSource).
     */
    readonly source?: { readonly queueArn: pulumi.Input<string>; readonly kmsKey: KeyGrantRef };
    /** Private application subnets. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The Lambda security group (no ingress). */
    readonly securityGroupId: pulumi.Input<string>;
    /** Key of the function's log group. */
    readonly logsKeyArn: pulumi.Input<string>;
    /** Retention of the log group (a CloudWatch Logs retention value). */
    readonly logRetentionDays: number;
    /** Seconds; the source queue's visibility timeout must be six times this plus the batching window. */
    readonly timeoutSeconds: number;
    /** MiB. */
    readonly memoryMb: number;
    /** Records per batch (1-10 for SQS without a batching window beyond 0). */
    readonly batchSize: number;
    /** Seconds the event source gathers records before invoking. */
    readonly maximumBatchingWindowSeconds: number;
    /** Concurrent invocations this event source may drive (2-1000). */
    readonly maximumConcurrency: number;
    /** Reserved concurrency; absent by default (it fails on accounts with small concurrency quotas). */
    readonly reservedConcurrency?: number;
    /** Home region and account, for ARNs and kms:ViaService. */
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
}

/**
 * One handler as a Lambda function: Node.js 22 on arm64 in the private application subnets, its own role with only
 * what it uses, its own encrypted log group (named in its logging config), and an SQS event source that reports
 * partial batch failures, so one bad message never fails the batch.
 */
export class HandlerFunction extends pulumi.ComponentResource {
    readonly function: aws.lambda.Function;
    readonly role: aws.iam.Role;
    /** The role's inline policy (what the function may do); an event source declared elsewhere waits for it. */
    readonly policy: aws.iam.RolePolicy;

    constructor(name: string, args: HandlerFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        // Used by more than one tier, so the token names none; the alias on the old token keeps every URN deployed
        // under it (children inherit their parent's aliases), so nothing is replaced.
        super(
            "retail:shared:HandlerFunction",
            name,
            {},
            {
                ...opts,
                aliases: [{ type: "retail:events:HandlerFunction" }, ...(opts?.aliases ?? [])],
            },
        );
        const problems: string[] = [];
        if (args.source && (args.maximumConcurrency < 2 || args.maximumConcurrency > 1000)) {
            problems.push(`maximumConcurrency must be from 2 to 1000, got ${args.maximumConcurrency}`);
        }
        if (args.source && args.batchSize > 10 && args.maximumBatchingWindowSeconds < 1) {
            problems.push("batchSize above 10 needs a batching window of at least 1 second");
        }
        throwArgumentErrors(this, problems);
        const parent = { parent: this };
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: `/aws/lambda/${name}`,
                retentionInDays: args.logRetentionDays,
                kmsKeyId: args.logsKeyArn,
            },
            parent,
        );
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `Lambda handler ${name}`,
                assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", args.accountId),
            },
            parent,
        );
        const source = args.source;
        const logGroupArn = arnFromName("logs", args.region, args.accountId, `log-group:/aws/lambda/${name}`);
        const base = pulumi.all([logGroupArn, source?.queueArn]).apply(([logs, queue]): pulumi.Output<PolicyStatement[]> =>
            pulumi.all<PolicyStatement>([
                { Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logs}:*` },
                {
                    // ENI management for a VPC function: these actions take no resource scope.
                    Sid: "VpcNetworkInterfaces",
                    Effect: "Allow",
                    Action: [
                        "ec2:CreateNetworkInterface",
                        "ec2:DescribeNetworkInterfaces",
                        "ec2:DescribeSubnets",
                        "ec2:DeleteNetworkInterface",
                        "ec2:AssignPrivateIpAddresses",
                        "ec2:UnassignPrivateIpAddresses",
                    ],
                    Resource: "*",
                },
                ...(queue && source
                    ? [
                          {
                              Sid: "ConsumeSourceQueue",
                              Effect: "Allow",
                              Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"],
                              Resource: queue,
                          } satisfies PolicyStatement,
                          keyStatement(source.kmsKey, { sid: "DecryptSourceQueue", actions: "kms:Decrypt", viaServices: ["sqs"] }),
                      ]
                    : []),
            ]),
        );
        // Created before the main policy is updated, so a statement moving into it is never missing in between.
        const assignedIdPolicy =
            args.assignedIdStatements && args.assignedIdStatements.length > 0
                ? new aws.iam.RolePolicy(
                      `${name}-ids-policy`,
                      { role: this.role.id, policy: policyDocument(args.assignedIdStatements) },
                      parent,
                  )
                : undefined;
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: this.role.id,
                policy: policyDocument(pulumi.all([base, pulumi.all(args.statements)]).apply(([b, extra]) => [...b, ...extra])),
            },
            { parent: this, dependsOn: assignedIdPolicy ? [assignedIdPolicy] : [] },
        );
        this.function = new aws.lambda.Function(
            `${name}-function`,
            {
                name,
                runtime: "nodejs22.x",
                architectures: ["arm64"],
                handler: "index.handler",
                code: args.code,
                role: this.role.arn,
                timeout: args.timeoutSeconds,
                memorySize: args.memoryMb,
                reservedConcurrentExecutions: args.reservedConcurrency,
                environment: { variables: args.environment },
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            },
            { parent: this, dependsOn: [policy, ...(assignedIdPolicy ? [assignedIdPolicy] : [])] },
        ); // the role must be able to create ENIs before the function is created
        this.policy = policy;
        if (source)
            new aws.lambda.EventSourceMapping(
                `${name}-source`,
                {
                    eventSourceArn: source.queueArn,
                    functionName: this.function.arn,
                    batchSize: args.batchSize,
                    maximumBatchingWindowInSeconds: args.maximumBatchingWindowSeconds,
                    functionResponseTypes: ["ReportBatchItemFailures"],
                    scalingConfig: { maximumConcurrency: args.maximumConcurrency },
                },
                parent,
            );
        this.registerOutputs({ functionArn: this.function.arn, roleArn: this.role.arn });
    }
}
