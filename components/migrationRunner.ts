import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { arnFromName, KeyGrantRef, keyStatement, policyDocument, PolicyStatement, serviceTrustPolicy } from "./iam";
import { RuntimeParameter } from "./runtimeParameter";

export interface MigrationRunnerArgs {
    /** Image tag of the runner in its ECR repository (tags are immutable; CI pushes before `pulumi up`). */
    readonly imageTag: string;
    /** The parameter holding the cluster's writer endpoint (ECS injects it as DB_HOST). */
    readonly dbHost: RuntimeParameter;
    /** Database name. */
    readonly dbName: string;
    /**
     * The cluster's RDS-managed master secret; the runner is its only consumer. Its ARN is AWS-assigned: the container
     * gets it from `arnParameter` and reads the secret with its task role, which may read only the `rds!cluster-*`
     * secret RDS tagged with this cluster's ARN.
     */
    readonly masterSecret: { readonly arnParameter: RuntimeParameter; readonly clusterIdentifier: string };
    /** Database roles to ensure (one per PBC and handler). */
    readonly dbRoles: readonly string[];
    /** The stack's key (secret, log group, repository). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The same key as the roles' policies name it (by alias, known at a first preview). */
    readonly kmsKey: KeyGrantRef;
    /** Home region, for the awslogs driver and kms:ViaService. */
    readonly region: string;
    /** Account id, for the roles' trust condition and the ARNs built from names. */
    readonly accountId: pulumi.Input<string>;
    /** Retention of the runner's log group. */
    readonly logRetentionDays: number;
}

/**
 * A one-off Fargate task definition that applies `migrations/` and creates the IAM-auth database roles
 * (`handlers/migration-runner`). Run it after `pulumi up` with the command in the README. It reads the managed
 * master secret when it starts (with its task role), so the secret's 7-day rotation never breaks it; services never
 * see that secret.
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
        // The repository and log group have explicit names: their ARNs are built from them, known at a first preview.
        const repositoryArn = arnFromName("ecr", args.region, args.accountId, `repository/${name}`);
        const logGroupArn = arnFromName("logs", args.region, args.accountId, `log-group:/ecs/${name}`);
        const parameterArns = [args.dbHost.arn, args.masterSecret.arnParameter.arn];
        const executionPolicy = new aws.iam.RolePolicy(
            `${name}-execution-policy`,
            {
                role: executionRole.id,
                policy: policyDocument(
                    pulumi.all([repositoryArn, logGroupArn, pulumi.all(parameterArns)]).apply(([repo, logs, parameters]) =>
                        pulumi.all<PolicyStatement>([
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
                            // String parameters: no key to decrypt them with.
                            {
                                Sid: "ReadRuntimeParameters",
                                Effect: "Allow",
                                Action: "ssm:GetParameters",
                                Resource: [...parameters].sort(),
                            },
                            // The image layers, encrypted with the key in the repository: decrypted through ECR only.
                            keyStatement(args.kmsKey, { sid: "DecryptThroughEcr", actions: "kms:Decrypt", viaServices: ["ecr"] }),
                        ]),
                    ),
                ),
            },
            { ...parent, aliases: [{ name: `${name}-execution` }] },
        );

        // Task role: the runner itself reads the master secret. Its ARN is AWS-assigned (`rds!cluster-<uuid>-<suffix>`),
        // but RDS names and tags the secret it manages: `aws:secretsmanager:owningService` = rds and
        // `aws:rds:primaryDBClusterArn` = the cluster's ARN (AWS CLI reference, `secretsmanager list-secrets`, example
        // 3; the AmazonRDSServiceRolePolicy may set exactly those tags on `rds!*`). Tags with the `aws:` prefix cannot
        // be set or changed by an account's principals, so the condition pins this cluster's secret, known at preview.
        const taskRole = new aws.iam.Role(
            `${name}-task-role`,
            {
                description: "The migration runner: reads its cluster's RDS-managed master secret",
                assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", args.accountId),
            },
            parent,
        );
        const taskPolicy = new aws.iam.RolePolicy(
            `${name}-task-policy`,
            {
                role: taskRole.id,
                policy: policyDocument(
                    pulumi
                        .all([
                            arnFromName("secretsmanager", args.region, args.accountId, "secret:rds!cluster-*"),
                            arnFromName("rds", args.region, args.accountId, `cluster:${args.masterSecret.clusterIdentifier}`),
                        ])
                        .apply(([secrets, cluster]) =>
                            pulumi.all<PolicyStatement>([
                                {
                                    Sid: "ReadOwnClusterMasterSecret",
                                    Effect: "Allow",
                                    Action: "secretsmanager:GetSecretValue",
                                    Resource: secrets,
                                    Condition: {
                                        StringEquals: {
                                            "secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn": cluster,
                                            "secretsmanager:ResourceTag/aws:secretsmanager:owningService": "rds",
                                        },
                                    },
                                },
                                keyStatement(args.kmsKey, {
                                    sid: "DecryptThroughSecretsManager",
                                    actions: "kms:Decrypt",
                                    viaServices: ["secretsmanager"],
                                }),
                            ]),
                        ),
                ),
            },
            parent,
        );
        // The image by the repository's explicit name (`<account>.dkr.ecr.<region>.<dns suffix>/<name>`), not by its
        // `repositoryUrl` output: the definition is then known at a first preview.
        const image = pulumi.interpolate`${args.accountId}.dkr.ecr.${args.region}.${aws.getPartitionOutput().dnsSuffix}/${name}:${args.imageTag}`;
        const container = pulumi
            .all([image, logGroup.name, args.dbHost.arn, args.masterSecret.arnParameter.arn])
            .apply(([imageRef, logs, dbHost, masterSecretArn]) =>
                JSON.stringify([
                    {
                        name: "migrations",
                        image: imageRef,
                        essential: true,
                        user: "1000:1000",
                        readonlyRootFilesystem: true,
                        environment: [
                            { name: "DB_PORT", value: "5432" },
                            { name: "DB_NAME", value: args.dbName },
                            { name: "DB_ROLES", value: args.dbRoles.join(",") },
                            { name: "DB_SSL", value: "verify-full" },
                            { name: "NODE_EXTRA_CA_CERTS", value: "/app/rds-global-bundle.pem" },
                        ],
                        secrets: [
                            { name: "DB_HOST", valueFrom: dbHost },
                            { name: "DB_MASTER_SECRET_ARN", valueFrom: masterSecretArn },
                        ],
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
                taskRoleArn: taskRole.arn,
                containerDefinitions: container,
            },
            // A run of this revision starts once the roles hold what it needs (its parameters, the master secret).
            { ...parent, dependsOn: [executionPolicy, taskPolicy] },
        );
        this.registerOutputs({ repositoryUrl: this.repository.repositoryUrl, taskDefinitionArn: this.taskDefinition.arn });
    }
}
