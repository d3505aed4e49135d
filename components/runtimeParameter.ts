import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { arnFromName } from "./iam";

/**
 * A value AWS assigns when it creates a resource (an endpoint, a user-pool id, a secret's ARN) that a container needs,
 * kept in an SSM Parameter Store `String` parameter with an explicit name. ECS injects a parameter named in a
 * container's `secrets` as an environment variable at task start, so the container definition names the parameter
 * (known on a stack's first preview) instead of the value (unknown until AWS creates the resource): the policy pack
 * can judge the definition at preview, and the application reads the same variable as before.
 */
export interface RuntimeParameter {
    /** The parameter's explicit name, `/<prefix>/runtime/<owner>/<value>`. */
    readonly name: string;
    /** Its ARN, built from the name: what a container's `valueFrom` and the execution role's grant name. */
    readonly arn: pulumi.Output<string>;
    /**
     * The value it holds (the parameter's own output, so whatever reads it is ordered after the parameter): ECS reads a
     * parameter only when a task starts, so a service redeploys when this changes (its `triggers`).
     */
    readonly value: pulumi.Output<string>;
}

export interface RuntimeParameterArgs {
    /** Explicit name; it must start with "/" (a name with a path must), and not with "/aws" or "/ssm". */
    readonly name: string;
    /** What the value is, for a reader of the Parameter Store console. */
    readonly description: string;
    /** The value: an AWS-assigned endpoint, id or ARN (never a credential: a `String` parameter is not encrypted). */
    readonly value: pulumi.Input<string>;
    /** The stack's home region (the parameter's and its ARN's). */
    readonly region: string;
    /** The account, for the ARN. */
    readonly accountId: pulumi.Input<string>;
}

/**
 * Declares one runtime parameter: `String`, Standard tier (no charge; 4 KB, far above any endpoint or id). The value is
 * `insecureValue`, not `value`: it is no secret, and a secret output would make the services' `triggers` secret.
 */
export function runtimeParameter(resourceName: string, args: RuntimeParameterArgs, opts: pulumi.CustomResourceOptions): RuntimeParameter {
    if (!/^\/[A-Za-z0-9_.\-/]+$/.test(args.name) || /^\/(aws|ssm)/i.test(args.name))
        throw new Error(
            `runtime parameter name ${JSON.stringify(args.name)} must start with "/", not with "/aws" or "/ssm", and use a-zA-Z0-9_.-/`,
        );
    const parameter = new aws.ssm.Parameter(
        resourceName,
        {
            name: args.name,
            description: args.description,
            type: "String",
            tier: "Standard",
            dataType: "text",
            insecureValue: args.value,
        },
        opts,
    );
    return {
        name: args.name,
        // A name that starts with "/" is the ARN's resource part after "parameter" as it is (`parameter/<prefix>/…`).
        arn: arnFromName("ssm", args.region, args.accountId, `parameter${args.name}`),
        value: parameter.insecureValue,
    };
}
