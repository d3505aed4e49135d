import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { serviceTrustPolicy } from "./iam";

export interface BackupPlanArgs {
    /** ARNs of what to back up (the Aurora cluster, the DynamoDB tables). */
    readonly resourceArns: pulumi.Input<string>[];
    /** The home vault's key. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Days each recovery point is kept. */
    readonly retentionDays: number;
    /** A copy of every recovery point in another region's vault, under that region's key. */
    readonly copyTo?: { readonly region: string; readonly kmsKeyArn: pulumi.Input<string> };
    /** This stack owns the account's Backup region settings (DynamoDB advanced features, needed for copies). */
    readonly manageRegionSettings: boolean;
    /** Account id, for the backup role's trust condition. */
    readonly accountId: pulumi.Input<string>;
    /** The partition, for the AWS managed policy ARNs. */
    readonly partition: pulumi.Input<string>;
}

/** AWS Backup: an encrypted vault, a daily plan with retention, an optional cross-region copy, one selection. */
export class BackupPlan extends pulumi.ComponentResource {
    readonly vault: aws.backup.Vault;
    readonly plan: aws.backup.Plan;

    constructor(name: string, args: BackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:data:BackupPlan", name, {}, opts);
        if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1) {
            throw new pulumi.ResourceError(`retentionDays must be a positive whole number, got ${args.retentionDays}`, this);
        }
        const parent = { parent: this };
        const dependsOn: pulumi.Resource[] = [];
        if (args.manageRegionSettings) {
            // Account-wide singleton per region: only the stack whose config says `accountSingletons: managed` owns it.
            dependsOn.push(
                new aws.backup.RegionSettings(
                    `${name}-region-settings`,
                    {
                        resourceTypeOptInPreference: { Aurora: true, DynamoDB: true },
                        resourceTypeManagementPreference: { DynamoDB: true },
                        // AWS reads back every resource type; only the two this plan needs are set, the rest left as they are.
                    },
                    { parent: this, ignoreChanges: ["resourceTypeOptInPreference"] },
                ),
            );
        }
        this.vault = new aws.backup.Vault(`${name}-vault`, { name: `${name}`, kmsKeyArn: args.kmsKeyArn }, parent);
        const copyVault = args.copyTo
            ? new aws.backup.Vault(
                  `${name}-vault-${args.copyTo.region}`,
                  { region: args.copyTo.region, name: `${name}-copy`, kmsKeyArn: args.copyTo.kmsKeyArn },
                  parent,
              )
            : undefined;
        this.plan = new aws.backup.Plan(
            `${name}-plan`,
            {
                name: `${name}-daily`,
                rules: [
                    {
                        ruleName: "daily",
                        targetVaultName: this.vault.name,
                        // Clear of Aurora's own backup window (02:00-03:00) and the Sunday maintenance window (04:00-05:00).
                        schedule: "cron(30 5 * * ? *)",
                        startWindow: 60,
                        completionWindow: 360,
                        lifecycle: { deleteAfter: args.retentionDays },
                        copyActions: copyVault
                            ? [{ destinationVaultArn: copyVault.arn, lifecycle: { deleteAfter: args.retentionDays } }]
                            : undefined,
                    },
                ],
            },
            { parent: this, dependsOn },
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: "AWS Backup: back up and restore the stack's databases",
                assumeRolePolicy: serviceTrustPolicy("backup.amazonaws.com", args.accountId),
            },
            parent,
        );
        for (const policy of ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"]) {
            new aws.iam.RolePolicyAttachment(
                `${name}-${policy}`,
                {
                    role: role.name,
                    policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/service-role/${policy}`,
                },
                parent,
            );
        }
        new aws.backup.Selection(
            `${name}-selection`,
            {
                name: `${name}-databases`,
                planId: this.plan.id,
                iamRoleArn: role.arn,
                resources: args.resourceArns,
            },
            parent,
        );
        this.registerOutputs({ vaultArn: this.vault.arn, planId: this.plan.id, copyVaultArn: copyVault?.arn });
    }
}
