// Security tier: the per-region customer-managed keys, the security groups, the origin secret.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/aws";
import { OriginSecret } from "../components/originSecret";
import { SecurityGroups } from "../components/securityGroups";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { PlatformContext } from "./context";

export interface SecurityDeps {
    /**
     * The networking tier's VPC and its interface endpoints' security group. The keys come before the network (its
     * flow logs are encrypted with them) and the security groups after it (they live in its VPC): deferred outputs
     * join them.
     */
    readonly vpcId: pulumi.Output<string>;
    readonly endpointSecurityGroupId: pulumi.Output<string>;
}

export interface Security {
    readonly tier: Tier;
    readonly keys: StackKeys;
    readonly securityGroups: SecurityGroups;
    readonly originSecret: OriginSecret;
    readonly outputs: {
        readonly kmsKeyArns: Record<string, pulumi.Output<string>>;
        securityGroupIds: Record<"alb" | "application" | "payment" | "data" | "lambda" | "endpoints", pulumi.Input<string>>;
        originVerifySecretArn: pulumi.Output<string>;
    };
}

export function declareSecurity(ctx: PlatformContext, deps: SecurityDeps): Security {
    const tier = new Tier("security");
    const keys = new StackKeys(
        `${ctx.namePrefix}-key`,
        {
            homeRegion: ctx.config.region,
            accountId: ctx.accountId,
            partition: ctx.partition,
            aliasPrefix: ctx.namePrefix,
            deletionWindowInDays: ctx.isProduction ? 30 : 7,
        },
        { parent: tier },
    );
    // Every tier adds statements to the key policies; they are written once, after the last tier.
    ctx.registerSealable(keys);

    const pbcs = Object.values(ctx.config.pbcs);
    const { vpcId, endpointSecurityGroupId } = deps;
    const securityGroups = new SecurityGroups(
        ctx.namePrefix,
        {
            vpcId,
            albSource: ctx.config.ingress.vpcOrigin
                ? "cloudfront-vpc-origin"
                : {
                      cloudFrontPrefixListId: aws.ec2.getManagedPrefixListOutput(
                          { name: "com.amazonaws.global.cloudfront.origin-facing" },
                          { parent: tier },
                      ).id,
                  },
            routedPorts: pbcs.filter((p) => p.network === "application" && p.pathPatterns.length > 0).map((p) => p.containerPort),
            applicationPorts: pbcs.filter((p) => p.network === "application").map((p) => p.containerPort),
            paymentPorts: pbcs.filter((p) => p.network === "payment").map((p) => p.containerPort),
            endpointSecurityGroupId,
        },
        { parent: tier },
    );
    const originSecret = new OriginSecret(
        `${ctx.namePrefix}-origin-verify`,
        {
            kmsKeyArn: keys.home.arn,
            secretName: `${ctx.namePrefix}/origin-verify`,
            recoveryWindowInDays: ctx.isProduction ? 30 : 7,
        },
        { parent: tier },
    );

    // Other tiers add keys for their regions (keys.forRegion): the ARNs are read once every tier is declared.
    ctx.registerSealable({ seal: () => tier.complete({ keyArns: keys.keyArns, originSecretArn: originSecret.secret.arn }) });
    return {
        tier,
        keys,
        securityGroups,
        originSecret,
        outputs: {
            // A getter: read when the composition root exports the outputs, after every tier has declared its keys.
            get kmsKeyArns() {
                return keys.keyArns;
            },
            securityGroupIds: {
                alb: securityGroups.alb.id,
                application: securityGroups.application.id,
                payment: securityGroups.payment.id,
                data: securityGroups.data.id,
                lambda: securityGroups.lambda.id,
                endpoints: endpointSecurityGroupId,
            },
            originVerifySecretArn: originSecret.secret.arn,
        },
    };
}
