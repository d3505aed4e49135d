import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecureBucket } from "../components/secureBucket";
import { StackConfig } from "../config/schema";

/** Something whose single policy is written once, after every tier has contributed statements to it. */
export interface Sealable {
    seal(): void;
}

/** What every tier reads: the validated config and the account it deploys into. */
export interface PlatformContext {
    readonly config: StackConfig;
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
    /** Prefix for physical names: "<project>-<stack>". */
    readonly namePrefix: string;
    readonly isProduction: boolean;
    /**
     * Registers a policy holder (topic policy, bucket policy, …) to be sealed after every tier is declared, so a new
     * tier's resources are sealed without editing the composition root.
     */
    registerSealable(sealable: Sealable): void;
    /** Seals every registered holder, in registration order. Called once by the composition root. */
    sealAll(): void;
}

export function platformContext(config: StackConfig): PlatformContext {
    const sealables: Sealable[] = [];
    return {
        config,
        accountId: aws.getCallerIdentityOutput().accountId,
        partition: aws.getPartitionOutput().partition,
        namePrefix: `${config.project}-${config.stack}`,
        isProduction: config.environment === "production",
        registerSealable: (sealable) => {
            sealables.push(sealable);
        },
        sealAll: () => {
            for (const sealable of sealables) sealable.seal();
        },
    };
}

/**
 * A SecureBucket registered on the context for sealing: its one policy and lifecycle configuration are written after
 * every tier has contributed, whichever tier declares it.
 */
export function sealedBucket(ctx: PlatformContext, ...args: ConstructorParameters<typeof SecureBucket>): SecureBucket {
    const bucket = new SecureBucket(...args);
    ctx.registerSealable(bucket);
    return bucket;
}
