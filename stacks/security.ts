// Tier 2 — security (seed 002 stack 2): the per-region customer-managed keys, the security groups, the origin secret.
import * as aws from "../components/aws";
import { Network } from "../components/network";
import { OriginSecret } from "../components/originSecret";
import { SecurityGroups } from "../components/securityGroups";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { PlatformContext } from "./context";

/** The keys come first: every tier, the network's flow logs included, encrypts with them. */
export function declareKeys(ctx: PlatformContext): { tier: Tier; keys: StackKeys } {
    const tier = new Tier("security");
    const keys = new StackKeys(`${ctx.namePrefix}-key`, {
        homeRegion: ctx.config.region,
        accountId: ctx.accountId,
        partition: ctx.partition,
        aliasPrefix: ctx.namePrefix,
        deletionWindowInDays: ctx.isProduction ? 30 : 7,
    }, { parent: tier });
    return { tier, keys };
}

export function declareSecurity(ctx: PlatformContext, tier: Tier, keys: StackKeys, network: Network) {
    const pbcs = Object.values(ctx.config.pbcs);
    const securityGroups = new SecurityGroups(ctx.namePrefix, {
        vpcId: network.vpc.id,
        albSource: ctx.config.ingress.vpcOrigin
            ? "cloudfront-vpc-origin"
            : { cloudFrontPrefixListId: aws.ec2.getManagedPrefixListOutput({ name: "com.amazonaws.global.cloudfront.origin-facing" }, { parent: tier }).id },
        routedPorts: pbcs.filter((p) => p.network === "application" && p.pathPatterns.length > 0).map((p) => p.containerPort),
        applicationPorts: pbcs.filter((p) => p.network === "application").map((p) => p.containerPort),
        paymentPorts: pbcs.filter((p) => p.network === "payment").map((p) => p.containerPort),
        endpointSecurityGroupId: network.endpointSecurityGroup.id,
    }, { parent: tier });
    const originSecret = new OriginSecret(`${ctx.namePrefix}-origin-verify`, {
        kmsKeyArn: keys.home.arn,
        secretName: `${ctx.namePrefix}/origin-verify`,
        recoveryWindowInDays: ctx.isProduction ? 30 : 7,
    }, { parent: tier });
    return { securityGroups, originSecret };
}
