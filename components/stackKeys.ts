import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { KeyGrantRef, keyStatement, policyDocument, PolicyStatement } from "./iam";

export interface StackKeysArgs {
    /** The stack's home region; its key is declared without a `region` argument. */
    readonly homeRegion: string;
    /** The account that owns the keys and whose services may use them. */
    readonly accountId: pulumi.Input<string>;
    /** The AWS partition ("aws", "aws-cn", ...), for ARNs. */
    readonly partition: pulumi.Input<string>;
    /** Prefix of the key aliases, e.g. "retail-platform-staging". */
    readonly aliasPrefix: string;
    /** Days a scheduled key deletion waits (7-30); production keeps the maximum. */
    readonly deletionWindowInDays: number;
}

/** A customer-managed key of the stack in one region. */
export interface RegionalKey {
    readonly region: string;
    readonly key: aws.kms.Key;
    readonly arn: pulumi.Output<string>;
    readonly alias: aws.kms.Alias;
    /** The key as IAM statements name it (by alias), known before the key exists. */
    readonly grantRef: KeyGrantRef;
}

/**
 * The stack's customer-managed KMS keys, one per region the stack uses, each with rotation and exactly one key
 * policy. Tiers contribute statements with {@link addStatement}; {@link seal} writes every key's single policy once
 * all tiers are declared (a separate KeyPolicy resource, so a statement may name a resource that itself uses the key,
 * such as the CloudFront distribution). The key is created with the base statements as its bootstrap policy — else
 * AWS's default policy would refuse CloudWatch Logs, and every encrypted log group created before the full policy
 * would fail — and then leaves the policy to the KeyPolicy (`ignoreChanges`), so the two never fight.
 */
export class StackKeys extends pulumi.ComponentResource {
    private readonly keys = new Map<string, RegionalKey>();
    private readonly statements = new Map<string, pulumi.Input<PolicyStatement>[]>();
    private readonly policies = new Map<string, { promise: Promise<aws.kms.KeyPolicy>; resolve: (p: aws.kms.KeyPolicy) => void }>();
    private sealed = false;

    constructor(
        private readonly name: string,
        private readonly args: StackKeysArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("retail:security:StackKeys", name, {}, opts);
        if (!Number.isInteger(args.deletionWindowInDays) || args.deletionWindowInDays < 7 || args.deletionWindowInDays > 30) {
            throw new pulumi.ResourceError(`deletionWindowInDays must be an integer from 7 to 30, got ${args.deletionWindowInDays}`, this);
        }
        this.forRegion(args.homeRegion);
    }

    /** The home region's key. */
    get home(): RegionalKey {
        return this.forRegion(this.args.homeRegion);
    }

    /** The stack's key in `region`, declared on first use. */
    forRegion(region: string): RegionalKey {
        const existing = this.keys.get(region);
        if (existing) return existing;
        if (this.sealed) throw new pulumi.ResourceError(`a key for ${region} was requested after the key policies were sealed`, this);
        const isHome = region === this.args.homeRegion;
        const suffix = isHome ? "" : `-${region}`;
        const regionArg = isHome ? {} : { region };
        const base = this.baseStatements(region);
        const key = new aws.kms.Key(
            `${this.name}${suffix}`,
            {
                ...regionArg,
                description: `${this.args.aliasPrefix} data key${isHome ? "" : ` (${region})`}: every data store, log group, queue and topic of the stack`,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: this.args.deletionWindowInDays,
                policy: policyDocument(base),
            },
            { parent: this, ignoreChanges: ["policy"] },
        );
        const aliasName = `alias/${this.args.aliasPrefix}${suffix}`;
        const alias = new aws.kms.Alias(
            `${this.name}${suffix}-alias`,
            {
                ...regionArg,
                name: aliasName,
                targetKeyId: key.keyId,
            },
            { parent: this },
        );
        const regional: RegionalKey = {
            region,
            key,
            arn: key.arn,
            alias,
            grantRef: { alias: alias.name, region, accountId: this.args.accountId },
        };
        this.keys.set(region, regional);
        let resolve!: (p: aws.kms.KeyPolicy) => void;
        this.policies.set(region, {
            promise: new Promise((r) => {
                resolve = r;
            }),
            resolve,
        });
        this.statements.set(region, [...base]);
        return regional;
    }

    /**
     * The full key policy of the key in `region`, once {@link seal} has written it. A resource that AWS validates
     * against the key policy when it is created (CloudTrail's CreateTrail) depends on this: referencing the key's ARN
     * only orders it after the key and its bootstrap policy.
     */
    policyFor(region: string): Promise<aws.kms.KeyPolicy> {
        this.forRegion(region);
        return this.policies.get(region)!.promise;
    }

    /** Adds a statement to the one policy of the key in `region` (declaring that key if needed). */
    addStatement(region: string, statement: pulumi.Input<PolicyStatement>): void {
        this.forRegion(region);
        if (this.sealed) throw new pulumi.ResourceError("key policy statements were added after the key policies were sealed", this);
        this.statements.get(region)!.push(statement);
    }

    /**
     * An IAM statement letting a role use the key in `region` only through the named services
     * (e.g. ["s3", "sqs"]), so the grant cannot be used to decrypt data outside them.
     */
    useThroughServices(
        region: string,
        services: string[],
        actions: string[] = ["kms:Decrypt", "kms:GenerateDataKey"],
    ): pulumi.Output<PolicyStatement> {
        return keyStatement(this.forRegion(region).grantRef, { actions, viaServices: services });
    }

    /** Writes each key's single policy. Called once, after every tier has contributed its statements. */
    seal(): void {
        if (this.sealed) return;
        this.sealed = true;
        for (const [region, regional] of this.keys) {
            const isHome = region === this.args.homeRegion;
            this.policies.get(region)!.resolve(
                new aws.kms.KeyPolicy(
                    `${this.name}${isHome ? "" : `-${region}`}-policy`,
                    {
                        ...(isHome ? {} : { region }),
                        keyId: regional.key.keyId,
                        policy: policyDocument(this.statements.get(region)!),
                    },
                    { parent: this },
                ),
            );
        }
        this.registerOutputs({
            keyArns: Object.fromEntries([...this.keys].map(([r, k]) => [r, k.arn])),
            aliasNames: Object.fromEntries([...this.keys].map(([r, k]) => [r, k.alias.name])),
        });
    }

    /** ARNs of every key, by region. */
    get keyArns(): Record<string, pulumi.Output<string>> {
        return Object.fromEntries([...this.keys].map(([r, k]) => [r, k.arn]));
    }

    private baseStatements(region: string): pulumi.Input<PolicyStatement>[] {
        const { accountId, partition } = this.args;
        return [
            pulumi.all([accountId, partition]).apply(([account, part]): PolicyStatement => ({
                Sid: "AccountAdministration",
                Effect: "Allow",
                Principal: { AWS: `arn:${part}:iam::${account}:root` },
                Action: "kms:*",
                Resource: "*",
            })),
            pulumi.all([accountId, partition]).apply(([account, part]): PolicyStatement => ({
                Sid: "CloudWatchLogsOfThisAccount",
                Effect: "Allow",
                Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${part}:logs:${region}:${account}:log-group:*` } },
            })),
            pulumi.output(accountId).apply((account): PolicyStatement => ({
                Sid: "DeliveryServicesOfThisAccount",
                Effect: "Allow",
                // SNS delivers to encrypted queues; CloudWatch alarms publish to encrypted topics.
                Principal: { Service: ["sns.amazonaws.com", "cloudwatch.amazonaws.com"] },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
            })),
            {
                Sid: "EventBridgeDelivery",
                Effect: "Allow",
                // EventBridge delivers to encrypted queues. AWS documents no source condition for EventBridge's use of
                // a target's key (the SNS guide: aws:SourceAccount/SourceArn are not supported there), so none is set.
                Principal: { Service: "events.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
            },
        ];
    }
}
