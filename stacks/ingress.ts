// Ingress tier: Route 53, ACM, WAF, CloudFront and the origin load balancer.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/aws";
import { Cdn, COLLECT_PATH } from "../components/cdn";
import { Certificates } from "../components/certificates";
import { PolicyStatement } from "../components/iam";
import { LoadBalancer } from "../components/loadBalancer";
import { Network } from "../components/network";
import { OriginSecret } from "../components/originSecret";
import { SecurityGroups } from "../components/securityGroups";
import { StackKeys } from "../components/stackKeys";
import { Tier } from "../components/tier";
import { CLOUDFRONT_BODY_INSPECTION_LIMIT, WebAcl } from "../components/webAcl";
import { PlatformContext } from "./context";
import { Storage } from "./storage";

/** The clickstream API as CloudFront reaches it (see CollectOrigin), once resolved. */
export interface ResolvedCollectOrigin {
    domainName: string;
    originPath: string;
    apiKey: string;
}

export interface Ingress {
    tier: Tier;
    zoneId: pulumi.Output<string>;
    /** Name servers of a zone the stack created (to delegate from the parent zone); empty for an existing zone. */
    nameServers: pulumi.Output<string[]>;
    certificates: Certificates;
    webAcl: WebAcl;
    loadBalancer: LoadBalancer;
    cdn: Cdn;
    /** The value(s) ALB rules accept in X-Origin-Verify: the current secret (and the previous one during a rotation). */
    originVerifyValues: pulumi.Input<string>[];
    names: { apex: string; www: string; origin: string };
    /** The apex A and AAAA aliases to CloudFront (a custom Cognito domain needs its parent to resolve). */
    apexRecords: aws.route53.Record[];
    outputs: {
        edge: {
            domain: string;
            hostedZoneId: pulumi.Output<string>;
            nameServers: pulumi.Output<string[]>;
            distributionId: pulumi.Output<string>;
            distributionDomainName: pulumi.Output<string>;
            webAclArn: pulumi.Output<string>;
            loadBalancerDnsName: pulumi.Output<string>;
        };
    };
}

export interface IngressDeps {
    readonly keys: StackKeys;
    readonly network: Network;
    readonly securityGroups: SecurityGroups;
    readonly originSecret: OriginSecret;
    /** The data tier's buckets: CloudFront serves the assets; the ALB and CloudFront log to the logs bucket. */
    readonly storage: Storage;
    /**
     * The clickstream ingestion API, declared by a later tier; its host, stage path and key reach CloudFront as a
     * deferred output (pulumi.deferredOutput), resolved when that tier is declared.
     */
    readonly collectOrigin: pulumi.Output<ResolvedCollectOrigin>;
}

export function declareIngress(ctx: PlatformContext, deps: IngressDeps): Ingress {
    const { keys, network, securityGroups, originSecret, storage, collectOrigin: collect } = deps;
    const { config, namePrefix, accountId } = ctx;
    const { domain, hostedZoneId, vpcOrigin } = config.ingress;
    const tier = new Tier("ingress");
    const parent = { parent: tier };
    const names = { apex: domain, www: `www.${domain}`, origin: `origin.${domain}` };

    let zoneId: pulumi.Output<string>;
    let nameServers: pulumi.Output<string[]>;
    if (hostedZoneId) {
        zoneId = pulumi.output(hostedZoneId);
        nameServers = pulumi.output([]);
    } else {
        const zone = new aws.route53.Zone(
            `${namePrefix}-zone`,
            { name: domain, comment: `${namePrefix} storefront`, forceDestroy: false },
            parent,
        );
        nameServers = zone.nameServers;
        zoneId = zone.zoneId;
        if (config.ingress.parentZoneId) {
            // Certificate validation resolves only once the parent zone delegates to this one.
            const delegation = new aws.route53.Record(
                `${namePrefix}-delegation`,
                {
                    zoneId: config.ingress.parentZoneId,
                    name: domain,
                    type: "NS",
                    ttl: 172800,
                    records: zone.nameServers,
                },
                parent,
            );
            // Everything that reads the zone id (the validation records first) now also waits for the delegation.
            zoneId = pulumi.all([zone.zoneId, delegation.id]).apply(([id]) => id);
        }
    }

    const certificates = new Certificates(
        `${namePrefix}-certificates`,
        {
            zoneId,
            edgeNames: [names.apex, names.www],
            originNames: [names.origin],
        },
        parent,
    );

    const webAcl = new WebAcl(
        `${namePrefix}-edge`,
        {
            rateLimit: config.ingress.wafRateLimit,
            oversizedBodyExemptPaths: [
                { path: "/api/", match: "STARTS_WITH" },
                { path: COLLECT_PATH, match: "EXACTLY" },
            ],
            collect: { path: COLLECT_PATH, rateLimit: config.clickstream.collectRateLimit, maxBodyBytes: CLOUDFRONT_BODY_INSPECTION_LIMIT },
            logGroupName: `aws-waf-logs-${config.stack}`,
            logKeyArn: keys.forRegion("us-east-1").arn,
            logRetentionDays: config.logRetentionDays,
        },
        parent,
    );

    const loadBalancer = new LoadBalancer(
        `${namePrefix}-origin`,
        {
            subnetIds: vpcOrigin ? network.subnetIds.application : network.subnetIds.public,
            securityGroupId: securityGroups.alb.id,
            internal: vpcOrigin,
            certificateArn: certificates.originCertificateArn,
            accessLogsBucket: storage.logs.name,
            accessLogsPolicy: storage.logs.policy,
            deletionProtection: ctx.isProduction,
        },
        parent,
    );

    const cdn = new Cdn(
        `${namePrefix}-cdn`,
        {
            aliases: [names.apex, names.www],
            certificateArn: certificates.edgeCertificateArn,
            webAclArn: webAcl.arn,
            originDomain: names.origin,
            originVerifyValue: originSecret.value,
            vpcOriginLoadBalancerArn: vpcOrigin ? loadBalancer.loadBalancer.arn : undefined,
            assetsBucketDomainName: storage.assets.bucket.bucketRegionalDomainName,
            logsBucketArn: storage.logs.arn,
            logsBucketPolicy: storage.logs.policy,
            priceClass: config.ingress.priceClass,
            namePrefix,
            collect: {
                // The resolved origin is secret as a whole (it carries the key); only the key is.
                domainName: pulumi.unsecret(collect.apply((c) => c.domainName)),
                originPath: pulumi.unsecret(collect.apply((c) => c.originPath)),
                apiKey: pulumi.secret(collect.apply((c) => c.apiKey)),
            },
        },
        parent,
    );

    // The assets bucket and its key admit CloudFront only on behalf of this distribution (OAC, confused-deputy guard).
    if (cdn.vpcOrigin) {
        // CloudFront creates its VPC-origin service group in the VPC with the first VPC origin; the internal ALB
        // admits HTTPS from that group alone (the public prefix list does not cover VPC origins).
        const serviceGroup = aws.ec2.getSecurityGroupOutput(
            { vpcId: network.vpc.id, name: "CloudFront-VPCOrigins-Service-SG" },
            { parent: tier, dependsOn: [cdn.vpcOrigin] },
        );
        securityGroups.admitVpcOrigin(serviceGroup.id);
    }
    storage.assets.addPolicyStatement(
        pulumi.all([storage.assets.arn, cdn.arn]).apply(([bucket, distribution]): PolicyStatement => ({
            Sid: "CloudFrontReadsAssets",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "s3:GetObject",
            Resource: `${bucket}/*`,
            Condition: { StringEquals: { "AWS:SourceArn": distribution } },
        })),
    );
    keys.addStatement(
        config.region,
        cdn.arn.apply((distribution): PolicyStatement => ({
            Sid: "CloudFrontDecryptsAssets",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { StringEquals: { "AWS:SourceArn": distribution } },
        })),
    );
    // Standard logging v2 writes through CloudWatch vended log delivery from the us-east-1 delivery source. The policy
    // carries the two statements CreateDelivery looks for (CloudWatch Logs, "Logs sent to Amazon S3"), with their
    // documented Sids: if it finds them it leaves the policy alone; otherwise it appends its own, racing the policy this
    // program owns (drift on every refresh, or the TLS-deny and ALB statements lost). The delivery waits for the policy.
    const logDelivery = pulumi
        .all([storage.logs.arn, accountId, ctx.partition])
        .apply(([bucket, account, partition]): PolicyStatement[] => {
            const source = {
                StringEquals: { "aws:SourceAccount": account },
                ArnLike: { "aws:SourceArn": `arn:${partition}:logs:us-east-1:${account}:*` },
            };
            return [
                {
                    Sid: "AWSLogDeliveryWrite",
                    Effect: "Allow",
                    Principal: { Service: "delivery.logs.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: `${bucket}/*`,
                    Condition: { ...source, StringEquals: { ...source.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" } },
                },
                {
                    // s3:ListBucket too: without it the delivery's checks show up as AccessDenied in CloudTrail (same page).
                    Sid: "AWSLogDeliveryAclCheck",
                    Effect: "Allow",
                    Principal: { Service: "delivery.logs.amazonaws.com" },
                    Action: ["s3:GetBucketAcl", "s3:ListBucket"],
                    Resource: bucket,
                    Condition: source,
                },
            ];
        });
    storage.logs.addPolicyStatement(logDelivery.apply((statements) => statements[0]));
    storage.logs.addPolicyStatement(logDelivery.apply((statements) => statements[1]));

    // DNS: apex and www (A and AAAA) to CloudFront, origin.<domain> to the load balancer.
    const apexRecords: aws.route53.Record[] = [];
    for (const [label, fqdn] of [
        ["apex", names.apex],
        ["www", names.www],
    ] as const) {
        for (const type of ["A", "AAAA"] as const) {
            const record = new aws.route53.Record(
                `${namePrefix}-${label}-${type.toLowerCase()}`,
                {
                    zoneId,
                    name: fqdn,
                    type,
                    aliases: [{ name: cdn.domainName, zoneId: cdn.hostedZoneId, evaluateTargetHealth: false }],
                },
                parent,
            );
            if (label === "apex") apexRecords.push(record);
        }
    }
    new aws.route53.Record(
        `${namePrefix}-origin-a`,
        {
            zoneId,
            name: names.origin,
            type: "A",
            aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }],
        },
        parent,
    );

    tier.complete({ zoneId, distributionDomainName: cdn.domainName, webAclArn: webAcl.arn, loadBalancerDnsName: loadBalancer.dnsName });
    return {
        tier,
        zoneId,
        nameServers,
        certificates,
        webAcl,
        loadBalancer,
        cdn,
        originVerifyValues: [originSecret.value],
        names,
        apexRecords,
        outputs: {
            edge: {
                domain,
                hostedZoneId: zoneId,
                nameServers,
                distributionId: cdn.distribution.id,
                distributionDomainName: cdn.domainName,
                webAclArn: webAcl.arn,
                loadBalancerDnsName: loadBalancer.dnsName,
            },
        },
    };
}
