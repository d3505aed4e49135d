import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

/**
 * TLS 1.2+ security policies are named TLSv1.2_<year> or TLSv1.3_<year> (TLSv1.2_2018, _2019, _2021, _2025,
 * TLSv1.3_2025, ...): matching the family rather than a fixed list accepts the newer names AWS adds, which
 * exact-match checks in other packs reject. SSLv3, TLSv1, TLSv1_2016 and TLSv1.1_2016 allow older protocols.
 */
export const MODERN_VIEWER_POLICY = /^TLSv1\.([2-9])_\d{4}$/;

export const cloudfrontViewerTls: PackResourcePolicy = {
    kind: "resource",
    id: "cloudfront-viewer-tls",
    description: "CloudFront distributions must require TLS 1.2 or newer from viewers.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["cloudfront-security-policy-check", "cloudfront-custom-ssl-certificate"],
        pciDss: ["4.2.1"],
        // Not CloudFront.15: it accepts only TLSv1.2_2021, TLSv1.2_2025 and TLSv1.3_2025; this policy accepts any TLS 1.2 minimum.
        securityHub: [
            "CloudFront.7", // CloudFront distributions should use custom SSL/TLS certificates
        ],
    },
    remediation:
        'Use an ACM certificate (viewerCertificate.acmCertificateArn, sslSupportMethod "sni-only") with minimumProtocolVersion "TLSv1.2_2021" or newer.',
    validateResource: validateResourceOfType(aws.cloudfront.Distribution, (d, _args, report) => {
        const vc = d.viewerCertificate;
        if (!vc || vc.cloudfrontDefaultCertificate === true) {
            report(
                "the distribution uses the default *.cloudfront.net certificate, whose security policy allows TLSv1; use an ACM certificate with minimumProtocolVersion TLSv1.2_2021 or newer.",
            );
            return;
        }
        const v = vc.minimumProtocolVersion;
        if (!v || !MODERN_VIEWER_POLICY.test(v))
            report(
                `viewerCertificate.minimumProtocolVersion is ${v ? `"${v}"` : "not set (defaults to TLSv1)"}; use TLSv1.2_2021 or newer.`,
            );
    }),
};
