import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { HTTPS_VIEWER_POLICIES } from "./cloudfront-viewer-https-only";

const MODERN_ORIGIN_PROTOCOLS = ["TLSv1.2", "TLSv1.3"];

function badProtocols(list: string[] | undefined): string[] {
    return (list ?? []).filter((p) => !MODERN_ORIGIN_PROTOCOLS.includes(p));
}

/**
 * CloudFront talks to custom and VPC origins over HTTPS with TLS 1.2 only: originProtocolPolicy https-only (or
 * match-viewer when every behaviour routed to that origin is HTTPS-only towards viewers), and originSslProtocols
 * without SSLv3, TLSv1 or TLSv1.1. S3 REST origins are reached over HTTPS by CloudFront.
 */
export const cloudfrontOriginTls: PackResourcePolicy = {
    kind: "resource",
    id: "cloudfront-origin-tls",
    description: "CloudFront must connect to custom and VPC origins over HTTPS with TLS 1.2 or newer only.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["cloudfront-traffic-to-origin-encrypted", "cloudfront-no-deprecated-ssl-protocols"],
        pciDss: ["4.2.1"],
        // The policy also requires TLSv1.2 only (CloudFront.10 fails only SSLv3) and judges VPC origins.
        securityHub: [
            "CloudFront.9", // CloudFront distributions should encrypt traffic to custom origins
            "CloudFront.10", // CloudFront distributions should not use deprecated SSL protocols between edge locations and custom origins
        ],
    },
    remediation:
        'Set customOriginConfig.originProtocolPolicy "https-only" and originSslProtocols ["TLSv1.2"] on every custom origin (and the same on aws.cloudfront.VpcOrigin).',
    validateResource: [
        validateResourceOfType(aws.cloudfront.Distribution, (d, _args, report) => {
            const behaviours = [d.defaultCacheBehavior, ...(d.orderedCacheBehaviors ?? [])].filter((b) => b);
            for (const o of d.origins ?? []) {
                const c = o.customOriginConfig;
                if (!c) continue;
                const policy = c.originProtocolPolicy;
                if (policy === "match-viewer") {
                    const routed = behaviours.filter((b) => b!.targetOriginId === o.originId);
                    if (routed.some((b) => !HTTPS_VIEWER_POLICIES.includes(b!.viewerProtocolPolicy))) {
                        report(
                            `origin ${o.originId}: originProtocolPolicy "match-viewer" forwards plain HTTP viewers as HTTP; use "https-only".`,
                        );
                    }
                } else if (policy !== "https-only") {
                    report(`origin ${o.originId}: originProtocolPolicy is ${policy ? `"${policy}"` : "not set"}; use "https-only".`);
                }
                const bad = badProtocols(c.originSslProtocols);
                if (bad.length) report(`origin ${o.originId}: originSslProtocols allows ${bad.join(", ")}; use ["TLSv1.2"].`);
            }
        }),
        validateResourceOfType(aws.cloudfront.VpcOrigin, (v, _args, report) => {
            const c = v.vpcOriginEndpointConfig;
            if (!c) return;
            if (c.originProtocolPolicy !== "https-only")
                report(`originProtocolPolicy is ${c.originProtocolPolicy ? `"${c.originProtocolPolicy}"` : "not set"}; use "https-only".`);
            const bad = badProtocols(c.originSslProtocols?.items);
            if (bad.length) report(`originSslProtocols allows ${bad.join(", ")}; use ["TLSv1.2"].`);
        }),
    ],
};
