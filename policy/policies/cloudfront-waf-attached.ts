import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { setOrUnknown } from "../lib/util";

export const cloudfrontWafAttached: PackResourcePolicy = {
    kind: "resource",
    id: "cloudfront-waf-attached",
    description: "CloudFront distributions must have a WAF web ACL attached.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["cloudfront-associated-with-waf"],
        pciDss: ["6.4.2"],
        securityHub: [
            "CloudFront.6", // CloudFront distributions should have WAF enabled
        ],
    },
    remediation: "Set webAclId to the ARN of an aws.wafv2.WebAcl with scope CLOUDFRONT (declared in us-east-1).",
    validateResource: validateResourceOfType(aws.cloudfront.Distribution, (d, _args, report) => {
        if (!setOrUnknown(() => d.webAclId)) report("webAclId is not set; no WAF web ACL inspects requests.");
    }),
};
