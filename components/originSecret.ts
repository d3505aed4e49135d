import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface OriginSecretArgs {
    /** ARN of the customer-managed key that encrypts the secret. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Name of the secret in Secrets Manager. */
    readonly secretName: string;
    /** Days a deleted secret can still be restored (7-30); production keeps the maximum. */
    readonly recoveryWindowInDays: number;
}

/**
 * The X-Origin-Verify shared secret CloudFront sends and the ALB rules require. Generated here, kept in Secrets
 * Manager under the stack's key, and held in state only as a Pulumi secret: never in config or code.
 */
export class OriginSecret extends pulumi.ComponentResource {
    readonly secret: aws.secretsmanager.Secret;
    /** The header value; a Pulumi secret output. */
    readonly value: pulumi.Output<string>;

    constructor(name: string, args: OriginSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:security:OriginSecret", name, {}, opts);
        if (!Number.isInteger(args.recoveryWindowInDays) || args.recoveryWindowInDays < 7 || args.recoveryWindowInDays > 30) {
            throw new pulumi.ResourceError(`recoveryWindowInDays must be an integer from 7 to 30, got ${args.recoveryWindowInDays}`, this);
        }
        // Letters and digits only: the value travels as an HTTP header and in ALB condition values.
        const generated = new random.RandomPassword(`${name}-value`, { length: 48, special: false }, { parent: this });
        this.secret = new aws.secretsmanager.Secret(
            `${name}-secret`,
            {
                name: args.secretName,
                description: "X-Origin-Verify header value shared by CloudFront and the load balancer",
                kmsKeyId: args.kmsKeyArn,
                recoveryWindowInDays: args.recoveryWindowInDays,
            },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-version`,
            {
                secretId: this.secret.id,
                secretString: generated.result,
            },
            { parent: this },
        );
        this.value = pulumi.secret(generated.result);
        this.registerOutputs({ secretArn: this.secret.arn, value: this.value });
    }
}
