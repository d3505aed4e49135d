import * as assert from "assert";
import { CACHE_BEHAVIOURS, CACHE_TTLS, MANAGED_POLICIES } from "../../components/cdn";
import { SIZE_RESTRICTIONS_BODY_LABEL } from "../../components/webAcl";
import { mockedIdentity, ofType, planOf, PlanJson, PlanResource, resolveRef } from "../support/plan";
import { doc, one } from "../support/ingress";

const DOMAINS: Record<string, string> = { staging: "staging.shop.example.com", production: "shop.example.com" };
const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];

for (const stack of ["staging", "production"]) {
    describe(`ingress tier (${stack})`, function () {
        const domain = DOMAINS[stack];
        let plan: PlanJson;
        let distribution: PlanResource;
        const policyName = (id: string) => {
            const managed = Object.entries(MANAGED_POLICIES).find(([, v]) => v === id);
            return managed ? `managed:${managed[0]}` : resolveRef(plan, id).name.replace(`retail-platform-${stack}-cdn-`, "");
        };
        before(function () {
            this.timeout(60_000);
            plan = planOf(stack);
            [distribution] = ofType(plan, "aws:cloudfront/distribution:Distribution");
        });

        it("declares one distribution with WAF, IPv6, HTTP/2+3, the aliases and TLS 1.2_2021 on the us-east-1 certificate", () => {
            assert.strictEqual(ofType(plan, "aws:cloudfront/distribution:Distribution").length, 1);
            const d = distribution.inputs;
            assert.strictEqual(d.enabled, true);
            assert.strictEqual(d.isIpv6Enabled, true);
            assert.strictEqual(d.httpVersion, "http2and3");
            assert.deepStrictEqual(d.aliases, [domain, `www.${domain}`]);
            assert.strictEqual(d.priceClass, stack === "production" ? "PriceClass_All" : "PriceClass_100");
            const acl = resolveRef(plan, d.webAclId);
            assert.strictEqual(acl.type, "aws:wafv2/webAcl:WebAcl", "webAclId is the web ACL's ARN");
            assert.strictEqual(d.viewerCertificate.minimumProtocolVersion, "TLSv1.2_2021");
            assert.strictEqual(d.viewerCertificate.sslSupportMethod, "sni-only");
            const cert = resolveRef(plan, d.viewerCertificate.acmCertificateArn);
            assert.strictEqual(cert.type, "aws:acm/certificate:Certificate");
            assert.strictEqual(cert.inputs.region, "us-east-1");
            assert.strictEqual(distribution.tier, "ingress");
        });

        it("reaches the ALB over HTTPS/TLS 1.2 with the X-Origin-Verify header and the assets through OAC", () => {
            const [app, assets] = distribution.inputs.origins;
            assert.strictEqual(app.originId, "app");
            assert.strictEqual(app.domainName, `origin.${domain}`);
            assert.deepStrictEqual(app.customOriginConfig.originSslProtocols, ["TLSv1.2"]);
            assert.strictEqual(app.customOriginConfig.originProtocolPolicy, "https-only");
            assert.deepStrictEqual(app.customHeaders, [{ name: "X-Origin-Verify", value: "[secret]" }]);
            assert.strictEqual(assets.originId, "assets");
            assert.strictEqual(assets.domainName, `retail-platform-${stack}-assets-123456789012.s3.eu-west-1.amazonaws.com`);
            const oac = resolveRef(plan, assets.originAccessControlId);
            assert.deepStrictEqual(
                [oac.inputs.originAccessControlOriginType, oac.inputs.signingBehavior, oac.inputs.signingProtocol],
                ["s3", "always", "sigv4"],
            );
            assert.strictEqual(assets.customOriginConfig, undefined);
        });

        it("orders the cache behaviours exactly as designed, with their origins, TTLs and policies", () => {
            const got = distribution.inputs.orderedCacheBehaviors.map((b: any) => [
                b.pathPattern,
                b.targetOriginId,
                policyName(b.cachePolicyId),
                b.originRequestPolicyId ? policyName(b.originRequestPolicyId) : "-",
            ]);
            assert.deepStrictEqual(got, [
                ["/collect", "collect", "managed:cachingDisabled", "managed:allViewerExceptHostHeader"],
                ["/_next/static/*", "assets", "immutable", "-"],
                ["/static/*", "assets", "immutable", "-"],
                ["/images/*", "assets", "managed:cachingOptimized", "-"],
                ["/api/catalogue/products/*/inventory", "app", "inventory", "-"],
                ["/api/catalogue/products/*", "app", "products", "-"],
                ["/api/cart/*", "app", "managed:cachingDisabled", "managed:allViewerExceptHostHeader"],
                ["/api/checkout/*", "app", "managed:cachingDisabled", "managed:allViewerExceptHostHeader"],
                ["/api/*", "app", "managed:cachingDisabled", "managed:allViewerExceptHostHeader"],
            ]);
            assert.deepStrictEqual(
                got.map((g: string[]) => g[0]),
                ["/collect", ...CACHE_BEHAVIOURS.map((b) => b.pathPattern)],
            );
            const def = distribution.inputs.defaultCacheBehavior;
            assert.deepStrictEqual(
                [def.targetOriginId, policyName(def.cachePolicyId), policyName(def.originRequestPolicyId)],
                ["app", "managed:cachingDisabled", "managed:allViewerExceptHostHeader"],
            );
            assert.deepStrictEqual(def.allowedMethods, ALL_METHODS);
            for (const b of [...distribution.inputs.orderedCacheBehaviors, def]) {
                // A redirect would turn the beacon's POST into a GET: /collect is HTTPS only.
                assert.strictEqual(
                    b.viewerProtocolPolicy,
                    b.pathPattern === "/collect" ? "https-only" : "redirect-to-https",
                    `${b.pathPattern ?? "default"}`,
                );
                assert.strictEqual(b.compress, true);
                assert.ok(b.responseHeadersPolicyId, `${b.pathPattern ?? "default"} has a response headers policy`);
                assert.strictEqual(b.forwardedValues, undefined, "policies, not legacy forwarded values");
            }
            for (const b of distribution.inputs.orderedCacheBehaviors.filter((x: any) => x.targetOriginId === "assets"))
                assert.deepStrictEqual(b.allowedMethods, ["GET", "HEAD"]);
            for (const b of distribution.inputs.orderedCacheBehaviors.filter(
                (x: any) => policyName(x.cachePolicyId) === "managed:cachingDisabled",
            ))
                assert.deepStrictEqual(b.allowedMethods, ALL_METHODS);
        });

        it("gives the custom cache policies their TTLs and keeps cookies out of cached keys", () => {
            const ttl = (role: string) => {
                const p = one(plan, "aws:cloudfront/cachePolicy:CachePolicy", `cdn-${role}`).inputs;
                return {
                    minTtl: p.minTtl,
                    defaultTtl: p.defaultTtl,
                    maxTtl: p.maxTtl,
                    cookies: p.parametersInCacheKeyAndForwardedToOrigin.cookiesConfig.cookieBehavior,
                };
            };
            assert.deepStrictEqual(ttl("immutable"), { ...CACHE_TTLS.immutable, cookies: "none" });
            assert.deepStrictEqual(ttl("immutable").defaultTtl, 31_536_000);
            assert.deepStrictEqual(ttl("products"), { minTtl: 0, defaultTtl: 300, maxTtl: 300, cookies: "none" });
            assert.deepStrictEqual(ttl("inventory"), { minTtl: 0, defaultTtl: 30, maxTtl: 30, cookies: "none" });
            const immutable = resolveRef(
                plan,
                distribution.inputs.orderedCacheBehaviors.find((b: any) => b.pathPattern === "/_next/static/*").responseHeadersPolicyId,
            );
            assert.deepStrictEqual(immutable.inputs.customHeadersConfig.items, [
                { header: "Cache-Control", value: "public, max-age=31536000, immutable", override: true },
            ]);
            const security = resolveRef(plan, distribution.inputs.defaultCacheBehavior.responseHeadersPolicyId).inputs
                .securityHeadersConfig;
            assert.strictEqual(security.strictTransportSecurity.accessControlMaxAgeSec, 63_072_000);
            assert.strictEqual(security.frameOptions.frameOption, "DENY");
        });

        it("logs through standard logging v2 (vended delivery in us-east-1) to the logs bucket, which admits it by policy", () => {
            assert.strictEqual(distribution.inputs.loggingConfig, undefined, "no legacy logging (it needs bucket ACLs)");
            const source = one(plan, "aws:cloudwatch/logDeliverySource:LogDeliverySource", "cdn-access-logs-source");
            assert.deepStrictEqual([source.inputs.region, source.inputs.logType], ["us-east-1", "ACCESS_LOGS"]);
            assert.strictEqual(resolveRef(plan, source.inputs.resourceArn).name, distribution.name);
            const dest = one(plan, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination", "cdn-access-logs-destination");
            assert.strictEqual(dest.inputs.region, "us-east-1");
            assert.strictEqual(
                resolveRef(plan, dest.inputs.deliveryDestinationConfiguration.destinationResourceArn).name,
                `retail-platform-${stack}-logs-bucket`,
            );
            const delivery = one(plan, "aws:cloudwatch/logDelivery:LogDelivery", "cdn-access-logs");
            assert.strictEqual(resolveRef(plan, delivery.inputs.deliveryDestinationArn).name, dest.name);
            assert.strictEqual(delivery.inputs.deliverySourceName, source.inputs.name);
            const logsPolicy = doc(one(plan, "aws:s3/bucketPolicy:BucketPolicy", `-logs-policy`).inputs.policy);
            // The two statements CloudWatch Logs documents ("Logs sent to Amazon S3"): with them CreateDelivery leaves
            // the policy alone; the delivery waits for the policy.
            const write = logsPolicy.Statement.find((s) => s.Sid === "AWSLogDeliveryWrite");
            const aclCheck = logsPolicy.Statement.find((s) => s.Sid === "AWSLogDeliveryAclCheck");
            const fromLogs = {
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:*" },
            };
            assert.deepStrictEqual(
                [write.Effect, write.Principal, write.Action],
                ["Allow", { Service: "delivery.logs.amazonaws.com" }, "s3:PutObject"],
            );
            assert.match(write.Resource, /^arn:aws:s3:::.*logs.*\/\*$/);
            assert.deepStrictEqual(write.Condition, {
                ...fromLogs,
                StringEquals: { "aws:SourceAccount": "123456789012", "s3:x-amz-acl": "bucket-owner-full-control" },
            });
            assert.deepStrictEqual(
                [aclCheck.Effect, aclCheck.Principal, aclCheck.Action],
                ["Allow", { Service: "delivery.logs.amazonaws.com" }, ["s3:GetBucketAcl", "s3:ListBucket"]],
            );
            assert.strictEqual(`${aclCheck.Resource}/*`, write.Resource);
            assert.deepStrictEqual(aclCheck.Condition, fromLogs);
            const policy = one(plan, "aws:s3/bucketPolicy:BucketPolicy", `-logs-policy`);
            assert.ok(delivery.options!.dependsOn.includes(policy.urn), "the delivery is created after the bucket policy");
            assert.strictEqual(
                ofType(plan, "aws:s3/bucketAclV2:BucketAclV2").length + ofType(plan, "aws:s3/bucketAcl:BucketAcl").length,
                0,
            );
        });

        it("lets CloudFront read and decrypt the assets only on behalf of this distribution, in the one bucket and key policy", () => {
            const distributionArn = `arn:aws:cloudfront::123456789012:distribution/${mockedIdentity(plan, distribution).id}`;
            const bucketPolicies = ofType(plan, "aws:s3/bucketPolicy:BucketPolicy").filter((p) => p.name.endsWith("-assets-policy"));
            assert.strictEqual(bucketPolicies.length, 1);
            const read = doc(bucketPolicies[0].inputs.policy).Statement.find((s) => s.Sid === "CloudFrontReadsAssets");
            assert.deepStrictEqual(read.Principal, { Service: "cloudfront.amazonaws.com" });
            assert.strictEqual(read.Action, "s3:GetObject");
            assert.deepStrictEqual(read.Condition, { StringEquals: { "AWS:SourceArn": distributionArn } });
            const homePolicies = ofType(plan, "aws:kms/keyPolicy:KeyPolicy").filter((p) => p.inputs.region === undefined);
            assert.strictEqual(homePolicies.length, 1);
            const decrypt = doc(homePolicies[0].inputs.policy).Statement.find((s) => s.Sid === "CloudFrontDecryptsAssets");
            assert.strictEqual(decrypt.Action, "kms:Decrypt");
            assert.deepStrictEqual(decrypt.Condition, { StringEquals: { "AWS:SourceArn": distributionArn } });
        });

        it("runs the WAF in us-east-1 with the managed groups, the body-size override on /api/ and the rate limit", () => {
            const [acl] = ofType(plan, "aws:wafv2/webAcl:WebAcl");
            assert.deepStrictEqual(
                [acl.inputs.region, acl.inputs.scope, Object.keys(acl.inputs.defaultAction)],
                ["us-east-1", "CLOUDFRONT", ["allow"]],
            );
            const rules = [...acl.inputs.rules].sort((a: any, b: any) => a.priority - b.priority);
            assert.deepStrictEqual(
                rules.map((r: any) => [r.priority, r.name]),
                [
                    [0, "AWS-AWSManagedRulesAmazonIpReputationList"],
                    [1, "RateLimitPerIp"],
                    [2, "RateLimitCollectPerIp"],
                    [3, "CollectBodyTooLarge"],
                    [4, "AWS-AWSManagedRulesCommonRuleSet"],
                    [5, "OversizedBodyOutsideExemptPaths"],
                    [6, "AWS-AWSManagedRulesKnownBadInputsRuleSet"],
                    [7, "AWS-AWSManagedRulesSQLiRuleSet"],
                ],
            );
            assert.strictEqual(new Set(rules.map((r: any) => r.priority)).size, rules.length, "unique priorities");
            for (const r of rules.filter((x: any) => x.statement.managedRuleGroupStatement)) {
                assert.deepStrictEqual(r.overrideAction, { none: {} }, `${r.name} keeps the group's own actions`);
                assert.strictEqual(r.statement.managedRuleGroupStatement.vendorName, "AWS");
            }
            const crs = rules[4].statement.managedRuleGroupStatement;
            assert.deepStrictEqual(crs.ruleActionOverrides, [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]);
            const [label, not] = rules[5].statement.andStatement.statements;
            assert.deepStrictEqual(label.labelMatchStatement, { scope: "LABEL", key: SIZE_RESTRICTIONS_BODY_LABEL });
            const [api] = not.notStatement.statement.orStatement.statements;
            assert.strictEqual(api.byteMatchStatement.searchString, "/api/");
            assert.strictEqual(api.byteMatchStatement.positionalConstraint, "STARTS_WITH");
            assert.deepStrictEqual(rules[5].action, { block: {} });
            const { scopeDownStatement, ...rate } = rules[1].statement.rateBasedStatement;
            assert.deepStrictEqual(rate, { limit: 2000, aggregateKeyType: "IP", evaluationWindowSec: 300 });
            assert.strictEqual(
                scopeDownStatement.notStatement.statement.byteMatchStatement.searchString,
                "/collect",
                "beacons have their own rate rule",
            );
            assert.deepStrictEqual(rules[1].action, { block: {} });
        });

        it("logs the WAF to an encrypted aws-waf-logs-<stack> group in us-east-1", () => {
            const [logging] = ofType(plan, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
            assert.strictEqual(logging.inputs.region, "us-east-1");
            const group = resolveRef(plan, logging.inputs.logDestinationConfigs[0]);
            assert.strictEqual(group.inputs.name, `aws-waf-logs-${stack}`);
            assert.strictEqual(group.inputs.region, "us-east-1");
            assert.strictEqual(group.inputs.retentionInDays, stack === "production" ? 365 : 30);
            const key = resolveRef(plan, group.inputs.kmsKeyId);
            assert.strictEqual(key.inputs.region, "us-east-1", "encrypted with the stack's us-east-1 key");
            assert.strictEqual(resolveRef(plan, logging.inputs.resourceArn).type, "aws:wafv2/webAcl:WebAcl");
        });

        it("validates both certificates by DNS with each distinct validation record declared once", () => {
            const certs = ofType(plan, "aws:acm/certificate:Certificate").filter((c) => c.tier === "ingress"); // identity adds auth.<domain>'s own
            assert.deepStrictEqual(
                certs.map((c) => [c.inputs.region ?? "home", c.inputs.domainName, c.inputs.subjectAlternativeNames]).sort(),
                [
                    ["home", `origin.${domain}`, []],
                    ["us-east-1", domain, [`www.${domain}`]],
                ],
            );
            for (const c of certs) assert.strictEqual(c.inputs.validationMethod, "DNS");
            const records = ofType(plan, "aws:route53/record:Record").filter((r) => r.name.includes("-validation-"));
            const names = records.map((r) => r.inputs.name);
            assert.strictEqual(new Set(names).size, names.length, "no duplicate validation records");
            assert.strictEqual(records.length, 3, "apex, www and origin");
            for (const r of records) assert.strictEqual(r.inputs.type, "CNAME");
            const validations = ofType(plan, "aws:acm/certificateValidation:CertificateValidation").filter((v) => v.tier === "ingress");
            assert.strictEqual(validations.length, 2);
            for (const v of validations) {
                const cert = resolveRef(plan, v.inputs.certificateArn);
                assert.strictEqual(v.inputs.region, cert.inputs.region, "validated in the certificate's region");
                const expected = [cert.inputs.domainName, ...cert.inputs.subjectAlternativeNames].length;
                assert.strictEqual(v.inputs.validationRecordFqdns.length, expected);
            }
        });

        it("creates the zone and aliases apex and www (A and AAAA) to CloudFront and origin.<domain> to the ALB", () => {
            const [zone] = ofType(plan, "aws:route53/zone:Zone");
            assert.strictEqual(zone.inputs.name, domain);
            // The ingress tier's aliases (the identity tier adds its own auth.<domain> alias).
            const aliases = ofType(plan, "aws:route53/record:Record")
                .filter((r) => r.inputs.aliases && r.tier === "ingress")
                .map((r) => {
                    const target = r.inputs.aliases[0];
                    return [r.inputs.name, r.inputs.type, target.zoneId === "Z2FDTNDATAQYW2" ? "cloudfront" : "alb"];
                })
                .sort();
            assert.deepStrictEqual(
                aliases,
                [
                    [domain, "A", "cloudfront"],
                    [domain, "AAAA", "cloudfront"],
                    [`origin.${domain}`, "A", "alb"],
                    [`www.${domain}`, "A", "cloudfront"],
                    [`www.${domain}`, "AAAA", "cloudfront"],
                ].sort(),
            );
        });

        it("puts a public ALB with only an HTTPS listener, a TLS 1.3 policy and a default 403 in the public subnets", () => {
            const lbs = ofType(plan, "aws:lb/loadBalancer:LoadBalancer");
            assert.strictEqual(lbs.length, 1);
            const lb = lbs[0].inputs;
            assert.strictEqual(lb.internal, false);
            assert.strictEqual(lb.dropInvalidHeaderFields, true);
            assert.strictEqual(lb.desyncMitigationMode, "strictest");
            assert.strictEqual(lb.enableDeletionProtection, stack === "production");
            assert.deepStrictEqual(lb.accessLogs, { enabled: true, bucket: `retail-platform-${stack}-logs-123456789012`, prefix: "alb" });
            for (const s of lb.subnets) assert.strictEqual(resolveRef(plan, s).inputs.tags["retail:subnet-class"], "public");
            assert.deepStrictEqual(
                lb.securityGroups.map((g: string) => resolveRef(plan, g).name),
                [`retail-platform-${stack}-alb`],
            );
            const listeners = ofType(plan, "aws:lb/listener:Listener");
            assert.strictEqual(listeners.length, 1, "a single listener");
            const l = listeners[0].inputs;
            assert.deepStrictEqual([l.port, l.protocol, l.sslPolicy], [443, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"]);
            assert.deepStrictEqual(l.defaultActions, [
                { type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" } },
            ]);
            const cert = resolveRef(plan, l.certificateArn);
            assert.strictEqual(cert.inputs.domainName, `origin.${domain}`);
        });

        it("routes each PBC's patterns through rules that require the X-Origin-Verify header, narrowest first", () => {
            const rules = ofType(plan, "aws:lb/listenerRule:ListenerRule");
            const priorities = rules.map((r) => r.inputs.priority);
            assert.strictEqual(new Set(priorities).size, priorities.length, "unique priorities per listener");
            const [listener] = ofType(plan, "aws:lb/listener:Listener");
            for (const r of rules) {
                assert.strictEqual(resolveRef(plan, r.inputs.listenerArn).name, listener.name);
                const [paths, header] = r.inputs.conditions;
                assert.deepStrictEqual(header.httpHeader, { httpHeaderName: "X-Origin-Verify", values: ["[secret]"] });
                const values = paths.pathPattern.values.length + header.httpHeader.values.length;
                assert.ok(values <= 5 && paths.pathPattern.values.length <= 3, `${r.name} has ${values} condition values`);
                assert.strictEqual(resolveRef(plan, r.inputs.actions[0].targetGroupArn).type, "aws:lb/targetGroup:TargetGroup");
            }
            const byPattern = (p: string) => rules.find((r) => r.inputs.conditions[0].pathPattern.values.includes(p))!.inputs.priority;
            assert.ok(byPattern("/api/catalogue/products/*/inventory") < byPattern("/api/catalogue/*"), "inventory before catalogue");
            assert.strictEqual(byPattern("/*"), Math.max(...priorities), "the storefront catch-all last");
            const routed = rules.map((r) => r.name.replace(`retail-platform-${stack}-`, "").replace(/-rule-\d+$/, "")).sort();
            assert.deepStrictEqual(routed, ["cart", "catalogue", "checkout", "customer", "inventory", "order", "search", "storefront"]);
        });
    });
}
