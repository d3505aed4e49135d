import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config/schema";

/** What every tier reads: the validated config and the account it deploys into. */
export interface PlatformContext {
    readonly config: StackConfig;
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
    /** Prefix for physical names: "<project>-<stack>". */
    readonly namePrefix: string;
    readonly isProduction: boolean;
}

export function platformContext(config: StackConfig): PlatformContext {
    return {
        config,
        accountId: aws.getCallerIdentityOutput().accountId,
        partition: aws.getPartitionOutput().partition,
        namePrefix: `${config.project}-${config.stack}`,
        isProduction: config.environment === "production",
    };
}
