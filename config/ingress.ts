// ingress: the edge (Route 53, WAF, CloudFront, the origin ALB) — the stack's domain and zone, the WAF rate limit, CloudFront's price
// class, and whether CloudFront reaches the load balancer over the internet or through a VPC origin.
import { z } from "zod";
import { bool, int, obj, oneOf, str } from "./validators";

/** A DNS name of 2-127 labels: lower-case letters, digits and inner dashes, a TLD of letters (no trailing dot). */
export const DOMAIN_NAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** A Route 53 hosted zone id ("Z" and up to 31 upper-case letters and digits). */
const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** AWS WAF's allowed rate-based rule limits (requests per evaluation window per IP). */
export const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;

export const CLOUDFRONT_PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;

export const ingressSchema = obj({
    domain: str('a lower-case DNS name like "shop.example.com"', (s) => DOMAIN_NAME.test(s)),
    // Absent: the stack creates the zone (delegate it from the parent zone with the nameServers output).
    hostedZoneId: str('a Route 53 hosted zone id like "Z0123456789ABCDEFGHIJ"', (s) => ZONE_ID.test(s)).optional(),
    // When the stack creates the zone: the parent zone (same account) gets the NS delegation, so certificate
    // validation can complete within the first `pulumi up`.
    parentZoneId: str('a Route 53 hosted zone id like "Z0123456789ABCDEFGHIJ"', (s) => ZONE_ID.test(s)).optional(),
    wafRateLimit: int(WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max).default(2000),
    priceClass: oneOf(CLOUDFRONT_PRICE_CLASSES).default("PriceClass_100"),
    // CloudFront VPC origin: an internal load balancer in the application subnets and no public one at all.
    vpcOrigin: bool().default(false),
}).superRefine((i, ctx) => {
    if (i.hostedZoneId && i.parentZoneId) {
        ctx.addIssue({
            code: "custom",
            path: ["parentZoneId"],
            message: "must be absent when hostedZoneId names an existing zone (only a zone the stack creates is delegated)",
        });
    }
});

export type IngressConfig = z.output<typeof ingressSchema>;
