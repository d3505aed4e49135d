// The platform, composed tier by tier in seed 002's deploy order.
import { StackConfig } from "../config/schema";
import { platformContext } from "./context";
import { declareNetworking } from "./networking";
import { declareKeys, declareSecurity } from "./security";

export function buildPlatform(config: StackConfig) {
    const ctx = platformContext(config);
    const { tier: securityTier, keys } = declareKeys(ctx);
    const { network } = declareNetworking(ctx, keys);
    const { securityGroups, originSecret } = declareSecurity(ctx, securityTier, keys, network);

    // Every tier has contributed its key-policy statements: write each key's single policy.
    keys.seal();
    securityTier.complete({ keyArns: keys.keyArns, originSecretArn: originSecret.secret.arn });

    return {
        environment: config.environment,
        region: config.region,
        vpcId: network.vpc.id,
        availabilityZones: network.availabilityZones,
        subnetIds: network.subnetIds,
        natGatewayIds: network.natGateways.map((n) => n.id),
        kmsKeyArns: keys.keyArns,
        securityGroupIds: {
            alb: securityGroups.alb.id,
            application: securityGroups.application.id,
            payment: securityGroups.payment.id,
            data: securityGroups.data.id,
            lambda: securityGroups.lambda.id,
            endpoints: network.endpointSecurityGroup.id,
        },
        originVerifySecretArn: originSecret.secret.arn,
    };
}
