// Networking tier: the VPC, its four subnet classes, NAT, endpoints, payment NACL, flow logs.
import * as pulumi from "@pulumi/pulumi";
import { Network } from "../components/network";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { PlatformContext } from "./context";

export interface NetworkingDeps {
    /** The flow logs are encrypted with the home key. */
    readonly keys: StackKeys;
}

export interface Networking {
    readonly tier: Tier;
    readonly network: Network;
    readonly outputs: {
        vpcId: pulumi.Output<string>;
        availabilityZones: Network["availabilityZones"];
        subnetIds: Network["subnetIds"];
        natGatewayIds: pulumi.Output<string>[];
    };
}

export function declareNetworking(ctx: PlatformContext, deps: NetworkingDeps): Networking {
    const { config } = ctx;
    const tier = new Tier("networking");
    const network = new Network(
        ctx.namePrefix,
        {
            cidr: config.network.cidr,
            azCount: config.network.azCount,
            natGateways: config.network.natGateways,
            subnetPrefixLengths: config.network.subnetPrefixLengths,
            subnetCidrs: config.network.subnetCidrs,
            interfaceEndpoints: config.network.interfaceEndpoints,
            paymentPorts: Object.values(config.pbcs)
                .filter((p) => p.network === "payment")
                .map((p) => p.containerPort),
            region: config.region,
            accountId: ctx.accountId,
            logsKeyArn: deps.keys.home.arn,
            logRetentionDays: config.logRetentionDays,
        },
        { parent: tier },
    );
    tier.complete({ vpcId: network.vpc.id });
    return {
        tier,
        network,
        outputs: {
            vpcId: network.vpc.id,
            availabilityZones: network.availabilityZones,
            subnetIds: network.subnetIds,
            natGatewayIds: network.natGateways.map((n) => n.id),
        },
    };
}
