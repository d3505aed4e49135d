// The platform, composed tier by tier in seed 002's order. Pulumi deploys by dependency, so declaration order only
// has to respect references: the data tier's buckets are declared before ingress (CloudFront serves the assets, the
// ALB logs to the logs bucket), and its grants before the application tier (each PBC role gets its declared access).
import { Tier } from "../components/tier";
import { StackConfig } from "../config/schema";
import { platformContext } from "./context";
import { declareNetworking } from "./networking";
import { declareKeys, declareSecurity } from "./security";
import { declareStorage } from "./storage";

export function buildPlatform(config: StackConfig) {
    const ctx = platformContext(config);
    const { tier: securityTier, keys } = declareKeys(ctx);
    const { network } = declareNetworking(ctx, keys);
    const { securityGroups, originSecret } = declareSecurity(ctx, securityTier, keys, network);

    const dataTier = new Tier("data");
    const storage = declareStorage(ctx, dataTier, keys);

    // --- ingress and application (issue 4) ---
    // --- end ingress and application ---

    // Every tier has contributed its policy statements: write each key's and each bucket's single policy.
    keys.seal();
    for (const bucket of storage.all) bucket.seal();
    securityTier.complete({ keyArns: keys.keyArns, originSecretArn: originSecret.secret.arn });
    dataTier.complete({ bucketNames: storage.all.map((b) => b.name) });

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
        buckets: {
            assets: storage.assets.name,
            invoices: storage.invoices.name,
            complianceArchive: storage.archive.name,
            dataLake: storage.dataLake.name,
            logs: storage.logs.name,
            ...(storage.replica ? { assetsReplica: storage.replica.bucket.name } : {}),
        },
        // --- ingress and application outputs (issue 4) ---
        // --- end ingress and application outputs ---
    };
}
