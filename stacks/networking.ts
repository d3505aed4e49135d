// Tier 1 — networking (seed 002 stack 1): the VPC, its four subnet classes, NAT, endpoints, payment NACL, flow logs.
import { Network } from "../components/network";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { PlatformContext } from "./context";

export function declareNetworking(ctx: PlatformContext, keys: StackKeys): { tier: Tier; network: Network } {
    const { config } = ctx;
    const tier = new Tier("networking");
    const network = new Network(ctx.namePrefix, {
        cidr: config.network.cidr,
        azCount: config.network.azCount,
        natGateways: config.network.natGateways,
        subnetPrefixLengths: config.network.subnetPrefixLengths,
        subnetCidrs: config.network.subnetCidrs,
        interfaceEndpoints: config.network.interfaceEndpoints,
        paymentPorts: Object.values(config.pbcs).filter((p) => p.network === "payment").map((p) => p.containerPort),
        region: config.region,
        accountId: ctx.accountId,
        logsKeyArn: keys.home.arn,
        logRetentionDays: config.logRetentionDays,
    }, { parent: tier });
    tier.complete({ vpcId: network.vpc.id });
    return { tier, network };
}
