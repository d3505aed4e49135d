import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

export const HTTPS_VIEWER_POLICIES = ["https-only", "redirect-to-https"];

export const cloudfrontViewerHttpsOnly: PackResourcePolicy = {
    kind: "resource",
    id: "cloudfront-viewer-https-only",
    description: "CloudFront cache behaviours must serve viewers over HTTPS only (https-only or redirect-to-https).",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["cloudfront-viewer-policy-https"],
        pciDss: ["4.2.1"],
        securityHub: [
            "CloudFront.3", // CloudFront distributions should require encryption in transit
        ],
    },
    remediation: 'Set viewerProtocolPolicy: "redirect-to-https" (or "https-only") on the default and every ordered cache behaviour.',
    validateResource: validateResourceOfType(aws.cloudfront.Distribution, (d, _args, report) => {
        const check = (where: string, v: string | undefined) => {
            if (!v || !HTTPS_VIEWER_POLICIES.includes(v))
                report(`${where} viewerProtocolPolicy is ${v ? `"${v}"` : "not set"}; HTTP requests are served in plaintext.`);
        };
        check("defaultCacheBehavior", d.defaultCacheBehavior?.viewerProtocolPolicy);
        (d.orderedCacheBehaviors ?? []).forEach((b, i) => check(`orderedCacheBehaviors[${i}] (${b.pathPattern})`, b.viewerProtocolPolicy));
    }),
};
