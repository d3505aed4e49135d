import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { policyDocument, PolicyStatement, serviceTrustPolicy } from "./iam";

export interface MigrationRunnerArgs {
    /** Image tag of the runner in its ECR repository (tags are immutable; CI pushes before `pulumi up`). */
    readonly imageTag: string;
    /** The cluster's writer endpoint. */
    readonly dbHost: pulumi.Input<string>;
    /** Database name. */
    readonly dbName: string;
    /** ARN of the RDS-managed master secret; the runner is its only consumer. */
    readonly masterSecretArn: pulumi.Input<string>;
    /** Database roles to ensure (one per PBC and handler). */
    readonly dbRoles: readonly string[];
    /** The stack's key (secret, log group, repository). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Home region, for the awslogs driver and kms:ViaService. */
    readonly region: string;
    /** Account id, for the execution role's trust condition. */
    readonly accountId: pulumi.Input<string>;
    /** Retention of the runner's log group. */
    readonly logRetentionDays: number;
}

/**
 * A one-off Fargate task definition that applies `migrations/` and creates the IAM-auth database roles
 * (`handlers/migration-runner`). Run it after `pulumi up` with the command in the README. It reads the managed
 * master secret at task start, so the secret's 7-day rotation never breaks it; services never see that secret.
 */
export class MigrationRunner extends pulumi.ComponentResource {
    readonly repository: aws.ecr.Repository;
    readonly taskDefinition: aws.ecs.TaskDefinition;

    constructor(name: string, args: MigrationRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:data:MigrationRunner", name, {}, opts);
        for (const role of args.dbRoles) {
            if (!/^[a-z][a-z0-9_]{0,62}$/.test(role))
                throw new pulumi.ResourceError(
                    `database role ${JSON.stringify(role)} must be lower-case letters, digits and underscores`,
                    this,
                );
        }
        const parent = { parent: this };
        this.repository = new aws.ecr.Repository(
            `${name}-repo`,
            {
                name: `${name}`,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
            },
            parent,
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: `/ecs/${name}`,
                retentionInDays: args.logRetentionDays,
                kmsKeyId: args.kmsKeyArn,
            },
            parent,
        );
        const executionRole = new aws.iam.Role(
            `${name}-execution`,
            {
                description: "Pulls the migration runner image, writes its logs, injects the master secret",
                assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", args.accountId),
            },
            parent,
        );
        new aws.iam.RolePolicy(
            `${name}-execution-policy`,
            {
                role: executionRole.id,
                policy: policyDocument(
                    pulumi
                        .all([this.repository.arn, logGroup.arn, args.masterSecretArn, args.kmsKeyArn])
                        .apply(([repo, logs, secret, key]): PolicyStatement[] => [
                            { Sid: "EcrAuth", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }, // the action has no resource scope
                            {
                                Sid: "PullImage",
                                Effect: "Allow",
                                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                                Resource: repo,
                            },
                            {
                                Sid: "WriteLogs",
                                Effect: "Allow",
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                Resource: `${logs}:*`,
                            },
                            { Sid: "MasterSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secret },
                            {
                                Sid: "DecryptThroughSecretsManagerAndEcr",
                                Effect: "Allow",
                                Action: "kms:Decrypt",
                                Resource: key,
                                Condition: {
                                    StringEquals: {
                                        "kms:ViaService": [
                                            `secretsmanager.${args.region}.amazonaws.com`,
                                            `ecr.${args.region}.amazonaws.com`,
                                        ],
                                    },
                                },
                            },
                        ]),
                ),
            },
            { ...parent, aliases: [{ name: `${name}-execution` }] },
        );
        const container = pulumi
            .all([this.repository.repositoryUrl, args.dbHost, logGroup.name, args.masterSecretArn])
            .apply(([repoUrl, host, logs, secret]) =>
                JSON.stringify([
                    {
                        name: "migrations",
                        image: `${repoUrl}:${args.imageTag}`,
                        essential: true,
                        user: "1000:1000",
                        readonlyRootFilesystem: true,
                        environment: [
                            { name: "DB_HOST", value: host },
                            { name: "DB_PORT", value: "5432" },
                            { name: "DB_NAME", value: args.dbName },
                            { name: "DB_ROLES", value: args.dbRoles.join(",") },
                            { name: "DB_SSL", value: "verify-full" },
                            { name: "NODE_EXTRA_CA_CERTS", value: "/app/rds-global-bundle.pem" },
                        ],
                        secrets: [{ name: "DB_MASTER_SECRET", valueFrom: secret }],
                        logConfiguration: {
                            logDriver: "awslogs",
                            options: { "awslogs-group": logs, "awslogs-region": args.region, "awslogs-stream-prefix": "migrations" },
                        },
                    },
                ]),
            );
        this.taskDefinition = new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family: name,
                cpu: "256",
                memory: "512",
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" },
                executionRoleArn: executionRole.arn,
                containerDefinitions: container,
            },
            parent,
        );
        this.registerOutputs({ repositoryUrl: this.repository.repositoryUrl, taskDefinitionArn: this.taskDefinition.arn });
    }
}
