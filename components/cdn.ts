import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { ORIGIN_VERIFY_HEADER } from "./loadBalancer";

export interface CdnArgs {
    /** Viewer names (apex and www); the certificate must cover them. */
    readonly aliases: readonly string[];
    /** ARN of the validated us-east-1 certificate for the aliases. */
    readonly certificateArn: pulumi.Input<string>;
    /** ARN of the CLOUDFRONT-scope WAF web ACL. */
    readonly webAclArn: pulumi.Input<string>;
    /** Name CloudFront connects to and validates the ALB's certificate against ("origin.<domain>"). */
    readonly originDomain: string;
    /** Value of the X-Origin-Verify header sent to the ALB (a secret). */
    readonly originVerifyValue: pulumi.Input<string>;
    /** ARN of an internal ALB to reach through a CloudFront VPC origin; absent: the ALB is reached over the internet. */
    readonly vpcOriginLoadBalancerArn?: pulumi.Input<string>;
    /** Regional domain name of the private assets bucket (reached through origin access control). */
    readonly assetsBucketDomainName: pulumi.Input<string>;
    /** ARN of the bucket receiving standard logs (v2) through CloudWatch vended log delivery. */
    readonly logsBucketArn: pulumi.Input<string>;
    /** The logs bucket's policy admitting the delivery; the delivery waits for it (CreateDelivery rewrites a policy without it). */
    readonly logsBucketPolicy: pulumi.Input<pulumi.Resource>;
    /** CloudFront price class. */
    readonly priceClass: string;
    /** Prefix of account-unique names (cache policies, OAC, log delivery). */
    readonly namePrefix: string;
    /** The clickstream ingestion API, served at {@link COLLECT_PATH}; absent: no beacon endpoint. */
    readonly collect?: CollectOrigin;
}

/** The beacon endpoint: the storefront posts to this relative URL (same origin, so no CORS). */
export const COLLECT_PATH = "/collect";
/** The header API Gateway reads the API key from. */
export const API_KEY_HEADER = "x-api-key";

/** A REST API stage reached by CloudFront with an API key in a custom origin header. */
export interface CollectOrigin {
    /** The execute-api host, "<api id>.execute-api.<region>.amazonaws.com". */
    readonly domainName: pulumi.Input<string>;
    /** "/<stage name>": the viewer path is appended to it. */
    readonly originPath: pulumi.Input<string>;
    /** The usage plan key CloudFront sends as x-api-key (a secret). */
    readonly apiKey: pulumi.Input<string>;
}

/** AWS managed policies (fixed ids, the same in every account). */
export const MANAGED_POLICIES = {
    cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
} as const;

const YEAR = 31_536_000;
const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
const READ_METHODS = ["GET", "HEAD"];
const READ_WITH_OPTIONS = ["GET", "HEAD", "OPTIONS"];

export type OriginId = "assets" | "app" | "collect";
export type CachePolicyRole = "immutable" | "edgeCached" | "inventory" | "products" | "disabled";

/** One ordered cache behaviour; CloudFront applies the first whose path pattern matches. */
export interface BehaviourSpec {
    pathPattern: string;
    origin: OriginId;
    cache: CachePolicyRole;
}

/** The ordered cache behaviours, in CloudFront's evaluation order. The default behaviour is the storefront HTML. */
export const CACHE_BEHAVIOURS: readonly BehaviourSpec[] = [
    { pathPattern: "/_next/static/*", origin: "assets", cache: "immutable" },
    { pathPattern: "/static/*", origin: "assets", cache: "immutable" },
    { pathPattern: "/images/*", origin: "assets", cache: "edgeCached" },
    { pathPattern: "/api/catalogue/products/*/inventory", origin: "app", cache: "inventory" },
    { pathPattern: "/api/catalogue/products/*", origin: "app", cache: "products" },
    { pathPattern: "/api/cart/*", origin: "app", cache: "disabled" },
    { pathPattern: "/api/checkout/*", origin: "app", cache: "disabled" },
    { pathPattern: "/api/*", origin: "app", cache: "disabled" },
];

/** TTLs (seconds) of the cache policies this component declares. */
export const CACHE_TTLS = {
    immutable: { minTtl: YEAR, defaultTtl: YEAR, maxTtl: YEAR },
    products: { minTtl: 0, defaultTtl: 300, maxTtl: 300 },
    inventory: { minTtl: 0, defaultTtl: 30, maxTtl: 30 },
} as const;

/**
 * The storefront's CloudFront distribution in front of the ALB: WAF attached, IPv6,
 * HTTP/2 and HTTP/3, TLS 1.2_2021 for viewers, HTTPS-only TLS 1.2 to the ALB with the X-Origin-Verify header, the
 * private assets bucket through origin access control, and standard logging v2 (vended log delivery to S3,
 * declared in us-east-1 where CloudFront's delivery sources live — no bucket ACLs).
 */
export class Cdn extends pulumi.ComponentResource {
    readonly distribution: aws.cloudfront.Distribution;
    readonly arn: pulumi.Output<string>;
    readonly domainName: pulumi.Output<string>;
    readonly hostedZoneId: pulumi.Output<string>;
    readonly vpcOrigin?: aws.cloudfront.VpcOrigin;

    constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:ingress:Cdn", name, {}, opts);
        if (args.aliases.length === 0) throw new pulumi.ResourceError("aliases must name at least one viewer domain", this);
        const parent = { parent: this };

        const oac = new aws.cloudfront.OriginAccessControl(
            `${name}-assets-oac`,
            {
                name: `${args.namePrefix}-assets`,
                description: "CloudFront signs every request to the private assets bucket",
                originAccessControlOriginType: "s3",
                signingBehavior: "always",
                signingProtocol: "sigv4",
            },
            parent,
        );

        const cachePolicy = (role: keyof typeof CACHE_TTLS, comment: string, queryStrings: boolean) =>
            new aws.cloudfront.CachePolicy(
                `${name}-${role}`,
                {
                    name: `${args.namePrefix}-${role}`,
                    comment,
                    ...CACHE_TTLS[role],
                    parametersInCacheKeyAndForwardedToOrigin: {
                        enableAcceptEncodingGzip: true,
                        enableAcceptEncodingBrotli: true,
                        cookiesConfig: { cookieBehavior: "none" },
                        headersConfig: { headerBehavior: "none" },
                        queryStringsConfig: { queryStringBehavior: queryStrings ? "all" : "none" },
                    },
                },
                parent,
            );
        const policies: Record<CachePolicyRole, pulumi.Input<string>> = {
            immutable: cachePolicy("immutable", "Content-hashed build assets: one year", false).id,
            edgeCached: MANAGED_POLICIES.cachingOptimized,
            products: cachePolicy("products", "Public product API: 300 s", true).id,
            inventory: cachePolicy("inventory", "Public inventory API: 30 s", true).id,
            disabled: MANAGED_POLICIES.cachingDisabled,
        };

        const securityHeaders = {
            strictTransportSecurity: { accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, preload: true, override: true },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: "DENY", override: true },
            referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
            xssProtection: { protection: true, modeBlock: true, override: true },
        };
        const headers = new aws.cloudfront.ResponseHeadersPolicy(
            `${name}-security-headers`,
            {
                name: `${args.namePrefix}-security-headers`,
                comment: "HSTS, nosniff, DENY framing, referrer policy",
                securityHeadersConfig: securityHeaders,
            },
            parent,
        );
        const immutableHeaders = new aws.cloudfront.ResponseHeadersPolicy(
            `${name}-immutable-headers`,
            {
                name: `${args.namePrefix}-immutable-headers`,
                comment: "Security headers, and browsers cache content-hashed assets for a year",
                securityHeadersConfig: securityHeaders,
                customHeadersConfig: { items: [{ header: "Cache-Control", value: "public, max-age=31536000, immutable", override: true }] },
            },
            parent,
        );

        if (args.vpcOriginLoadBalancerArn) {
            this.vpcOrigin = new aws.cloudfront.VpcOrigin(
                `${name}-vpc-origin`,
                {
                    vpcOriginEndpointConfig: {
                        name: `${args.namePrefix}-alb`,
                        arn: args.vpcOriginLoadBalancerArn,
                        httpPort: 80,
                        httpsPort: 443,
                        originProtocolPolicy: "https-only",
                        originSslProtocols: { items: ["TLSv1.2"], quantity: 1 },
                    },
                },
                parent,
            );
        }
        const appOrigin = {
            originId: "app" satisfies OriginId,
            domainName: args.originDomain,
            customHeaders: [{ name: ORIGIN_VERIFY_HEADER, value: args.originVerifyValue }],
            ...(this.vpcOrigin
                ? { vpcOriginConfig: { vpcOriginId: this.vpcOrigin.id, originReadTimeout: 30, originKeepaliveTimeout: 5 } }
                : {
                      customOriginConfig: {
                          httpPort: 80,
                          httpsPort: 443,
                          originProtocolPolicy: "https-only",
                          originSslProtocols: ["TLSv1.2"],
                          originReadTimeout: 30,
                          originKeepaliveTimeout: 5,
                      },
                  }),
        };

        const behaviour = (spec: { origin: OriginId; cache: CachePolicyRole }) => {
            const cached = spec.cache === "inventory" || spec.cache === "products";
            return {
                targetOriginId: spec.origin,
                viewerProtocolPolicy: "redirect-to-https",
                compress: true,
                allowedMethods: spec.origin === "assets" ? READ_METHODS : cached ? READ_WITH_OPTIONS : ALL_METHODS,
                cachedMethods: READ_METHODS,
                cachePolicyId: policies[spec.cache],
                // Uncached app paths get every viewer header, cookie and query string but the Host header: the ALB's
                // certificate names origin.<domain>, so CloudFront must send that as Host and SNI.
                ...(spec.cache === "disabled" ? { originRequestPolicyId: MANAGED_POLICIES.allViewerExceptHostHeader } : {}),
                responseHeadersPolicyId: spec.cache === "immutable" ? immutableHeaders.id : headers.id,
            };
        };

        this.distribution = new aws.cloudfront.Distribution(
            `${name}-distribution`,
            {
                enabled: true,
                comment: `${args.namePrefix} storefront`,
                aliases: [...args.aliases],
                isIpv6Enabled: true,
                httpVersion: "http2and3",
                priceClass: args.priceClass,
                webAclId: args.webAclArn,
                viewerCertificate: {
                    acmCertificateArn: args.certificateArn,
                    sslSupportMethod: "sni-only",
                    minimumProtocolVersion: "TLSv1.2_2021",
                },
                restrictions: { geoRestriction: { restrictionType: "none", locations: [] } },
                origins: [
                    appOrigin,
                    { originId: "assets" satisfies OriginId, domainName: args.assetsBucketDomainName, originAccessControlId: oac.id },
                    ...(args.collect
                        ? [
                              {
                                  originId: "collect" satisfies OriginId,
                                  domainName: args.collect.domainName,
                                  originPath: args.collect.originPath,
                                  // The execute-api URL is public: the method requires this key, which only CloudFront sends.
                                  customHeaders: [{ name: API_KEY_HEADER, value: args.collect.apiKey }],
                                  customOriginConfig: {
                                      httpPort: 80,
                                      httpsPort: 443,
                                      originProtocolPolicy: "https-only",
                                      originSslProtocols: ["TLSv1.2"],
                                      originReadTimeout: 30,
                                      originKeepaliveTimeout: 5,
                                  },
                              },
                          ]
                        : []),
                ],
                orderedCacheBehaviors: [
                    ...(args.collect
                        ? [
                              {
                                  pathPattern: COLLECT_PATH,
                                  targetOriginId: "collect" satisfies OriginId,
                                  // A redirect would turn the beacon's POST into a GET.
                                  viewerProtocolPolicy: "https-only",
                                  compress: true,
                                  // CloudFront accepts only its 2-, 3- and 7-method sets; POST needs the 7.
                                  allowedMethods: ALL_METHODS,
                                  cachedMethods: READ_METHODS,
                                  cachePolicyId: MANAGED_POLICIES.cachingDisabled,
                                  // A forwarded viewer Host makes API Gateway answer 403: CloudFront sends the execute-api host.
                                  originRequestPolicyId: MANAGED_POLICIES.allViewerExceptHostHeader,
                                  responseHeadersPolicyId: headers.id,
                              },
                          ]
                        : []),
                    ...CACHE_BEHAVIOURS.map((b) => ({ pathPattern: b.pathPattern, ...behaviour(b) })),
                ],
                defaultCacheBehavior: behaviour({ origin: "app", cache: "disabled" }),
            },
            parent,
        );
        this.arn = this.distribution.arn;
        this.domainName = this.distribution.domainName;
        this.hostedZoneId = this.distribution.hostedZoneId;

        // Standard logging (v2): CloudFront's delivery sources exist only in us-east-1; the bucket may be elsewhere.
        const source = new aws.cloudwatch.LogDeliverySource(
            `${name}-access-logs-source`,
            {
                region: "us-east-1",
                name: `${args.namePrefix}-cloudfront`,
                logType: "ACCESS_LOGS",
                resourceArn: this.distribution.arn,
            },
            { ...parent, aliases: [{ name: `${name}-access-logs` }] },
        );
        const destination = new aws.cloudwatch.LogDeliveryDestination(
            `${name}-access-logs-destination`,
            {
                region: "us-east-1",
                name: `${args.namePrefix}-cloudfront-s3`,
                outputFormat: "parquet",
                deliveryDestinationConfiguration: { destinationResourceArn: args.logsBucketArn },
            },
            { ...parent, aliases: [{ name: `${name}-access-logs` }] },
        );
        new aws.cloudwatch.LogDelivery(
            `${name}-access-logs`,
            {
                region: "us-east-1",
                deliverySourceName: source.name,
                deliveryDestinationArn: destination.arn,
                s3DeliveryConfigurations: [
                    { suffixPath: "cloudfront/{DistributionId}/{yyyy}/{MM}/{dd}/{HH}", enableHiveCompatiblePath: false },
                ],
            },
            { parent: this, dependsOn: [args.logsBucketPolicy] },
        );

        this.registerOutputs({ distributionId: this.distribution.id, distributionArn: this.arn, domainName: this.domainName });
    }
}
