import { runResource, runStack, StackResource, UNKNOWN } from "./harness";
import { compliant, violates, notApplicable } from "./assert";
import { ec2Imdsv2Required } from "../../policy/policies/ec2-imdsv2-required";
import { ebsEncryption } from "../../policy/policies/ebs-encryption";
import { ecsTaskNotPrivileged } from "../../policy/policies/ecs-task-not-privileged";
import { ecsTaskNoPlaintextSecrets } from "../../policy/policies/ecs-task-no-plaintext-secrets";
import { ecsServiceNoPublicIp } from "../../policy/policies/ecs-service-no-public-ip";
import { lambdaNotPublic } from "../../policy/policies/lambda-not-public";
import { cloudfrontViewerHttpsOnly } from "../../policy/policies/cloudfront-viewer-https-only";
import { cloudfrontViewerTls } from "../../policy/policies/cloudfront-viewer-tls";
import { cloudfrontOriginTls } from "../../policy/policies/cloudfront-origin-tls";
import { cloudfrontWafAttached } from "../../policy/policies/cloudfront-waf-attached";
import { albHttpsModernTls } from "../../policy/policies/alb-https-modern-tls";
import { albDropInvalidHeaders } from "../../policy/policies/alb-drop-invalid-headers";

// Shaped like an access key id (built here so secret scanners do not flag a test fixture).
const FAKE_ACCESS_KEY_ID = ["AKIA", "ABCDEFGHIJKLMNOP"].join("");

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const GOOD_MD = { httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" };

describe("policy: compute and edge", () => {
    describe("ec2-imdsv2-required", () => {
        const p = ec2Imdsv2Required;
        const lt = (md?: Record<string, unknown>): StackResource => ({
            type: LT,
            name: "web-lt",
            props: { name: "web", imageId: "ami-1", ...(md ? { metadataOptions: md } : {}) },
        });
        it("passes a launch template requiring IMDSv2 with hop limit 1", async () => compliant(await runStack(p, [lt(GOOD_MD)])));
        it("fails a launch template without metadata options", async () =>
            violates(await runStack(p, [lt()]), /httpTokens is not set/, /HopLimit is not set/));
        it("fails httpTokens optional", async () =>
            violates(await runStack(p, [lt({ ...GOOD_MD, httpTokens: "optional" })]), /"optional"/));
        it("fails hop limit 2", async () => violates(await runStack(p, [lt({ ...GOOD_MD, httpPutResponseHopLimit: 2 })]), /is 2, not 1/));
        it("passes IMDS disabled", async () => compliant(await runStack(p, [lt({ httpEndpoint: "disabled" })])));
        it("judges an auto-scaling group by its launch template", async () =>
            violates(
                await runStack(p, [
                    lt(),
                    {
                        type: "aws:autoscaling/group:Group",
                        name: "asg",
                        props: { maxSize: 2, minSize: 1, launchTemplate: { id: UNKNOWN, version: "$Latest" } },
                        deps: { launchTemplate: ["web-lt"] },
                    },
                ]),
                /auto-scaling group asg \(launch template web-lt\)/,
            ));
        it("judges mixed-instances groups by their template", async () =>
            violates(
                await runStack(p, [
                    lt({ httpTokens: "optional" }),
                    {
                        type: "aws:autoscaling/group:Group",
                        name: "asg",
                        props: {
                            maxSize: 2,
                            minSize: 1,
                            mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateName: "web" } } },
                        },
                    },
                ]),
                /asg/,
            ));
        it("passes an instance whose template requires IMDSv2", async () =>
            compliant(
                await runStack(p, [
                    lt(GOOD_MD),
                    { type: "aws:ec2/instance:Instance", name: "vm", props: { launchTemplate: { name: "web" } } },
                ]),
            ));
        it("fails an instance without a template or metadata options", async () =>
            violates(
                await runStack(p, [{ type: "aws:ec2/instance:Instance", name: "vm", props: { ami: "ami-1", instanceType: "t4g.micro" } }]),
                /instance vm/,
            ));
        it("does not judge an instance whose template is outside the program", async () =>
            compliant(
                await runStack(p, [{ type: "aws:ec2/instance:Instance", name: "vm", props: { launchTemplate: { id: "lt-0123" } } }]),
            ));
        it("is not applicable without EC2 compute", async () =>
            notApplicable(await runStack(p, [{ type: "aws:sqs/queue:Queue", name: "q", props: {} }])));
    });

    describe("ebs-encryption", () => {
        const p = ebsEncryption;
        it("passes encrypted volumes and template devices", async () =>
            compliant(
                await runStack(p, [
                    { type: "aws:ebs/volume:Volume", name: "v", props: { encrypted: true } },
                    { type: LT, name: "lt", props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] } },
                ]),
            ));
        it("fails an unencrypted volume", async () =>
            violates(await runStack(p, [{ type: "aws:ebs/volume:Volume", name: "v", props: { size: 10 } }]), /volume v is not encrypted/));
        it('fails a template device with encrypted "false"', async () =>
            violates(
                await runStack(p, [
                    { type: LT, name: "lt", props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] } },
                ]),
                /\/dev\/xvda/,
            ));
        it("fails a template that leaves its volumes to the AMI", async () =>
            violates(await runStack(p, [{ type: LT, name: "lt", props: { imageId: "ami-1" } }]), /AMI snapshot/));
        it("passes unspecified devices when EBS encryption by default is on", async () =>
            compliant(
                await runStack(p, [
                    { type: "aws:ebs/encryptionByDefault:EncryptionByDefault", name: "ebd", props: { enabled: true } },
                    { type: LT, name: "lt", props: { imageId: "ami-1" } },
                ]),
            ));
        it("fails an instance root volume that is not encrypted", async () =>
            violates(
                await runStack(p, [{ type: "aws:ec2/instance:Instance", name: "vm", props: { rootBlockDevice: { encrypted: false } } }]),
                /root volume/,
            ));
        it("is not applicable without EBS", async () => notApplicable(await runStack(p, [])));
    });

    describe("ECS", () => {
        const td = (containers: unknown) => ({
            type: "aws:ecs/taskDefinition:TaskDefinition",
            props: { family: "f", containerDefinitions: JSON.stringify(containers) },
        });
        it("ecs-task-not-privileged passes a normal container", async () =>
            compliant(await runResource(ecsTaskNotPrivileged, td([{ name: "app", image: "x" }]))));
        it("ecs-task-not-privileged fails privileged", async () =>
            violates(await runResource(ecsTaskNotPrivileged, td([{ name: "app", image: "x", privileged: true }])), /privileged/));
        it("ecs-task-not-privileged fails capabilities ALL", async () =>
            violates(
                await runResource(ecsTaskNotPrivileged, td([{ name: "app", linuxParameters: { capabilities: { add: ["ALL"] } } }])),
                /ALL/,
            ));
        it("ecs-task-not-privileged is not applicable to services", async () =>
            notApplicable(await runResource(ecsTaskNotPrivileged, { type: "aws:ecs/service:Service", props: {} })));
        it("ecs-task-no-plaintext-secrets passes references and secrets", async () =>
            compliant(
                await runResource(
                    ecsTaskNoPlaintextSecrets,
                    td([
                        {
                            name: "app",
                            environment: [
                                { name: "DB_SECRET_ARN", value: "arn:aws:secretsmanager:eu-west-1:1:secret:x" },
                                { name: "LOG_LEVEL", value: "info" },
                            ],
                            secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:..." }],
                        },
                    ]),
                ),
            ));
        it("ecs-task-no-plaintext-secrets fails a password in the environment", async () =>
            violates(
                await runResource(
                    ecsTaskNoPlaintextSecrets,
                    td([{ name: "app", environment: [{ name: "DB_PASSWORD", value: "hunter2" }] }]),
                ),
                /DB_PASSWORD/,
            ));
        it("ecs-task-no-plaintext-secrets fails an access key id value", async () =>
            violates(
                await runResource(
                    ecsTaskNoPlaintextSecrets,
                    td([{ name: "app", environment: [{ name: "X", value: FAKE_ACCESS_KEY_ID }] }]),
                ),
                /access key/,
            ));
        it("ecs-task-no-plaintext-secrets fails a URL with a password", async () =>
            violates(
                await runResource(
                    ecsTaskNoPlaintextSecrets,
                    td([{ name: "app", environment: [{ name: "DATABASE", value: "postgres://u:p@host/db" }] }]),
                ),
                /embedded password/,
            ));
        it("ecs-task-no-plaintext-secrets is not applicable elsewhere", async () =>
            notApplicable(await runResource(ecsTaskNoPlaintextSecrets, { type: "aws:sqs/queue:Queue", props: {} })));
        it("ecs-service-no-public-ip passes private tasks", async () =>
            compliant(
                await runResource(ecsServiceNoPublicIp, {
                    type: "aws:ecs/service:Service",
                    props: { networkConfiguration: { subnets: ["s"], assignPublicIp: false } },
                }),
            ));
        it("ecs-service-no-public-ip fails public IPs", async () =>
            violates(
                await runResource(ecsServiceNoPublicIp, {
                    type: "aws:ecs/service:Service",
                    props: { networkConfiguration: { subnets: ["s"], assignPublicIp: true } },
                }),
                /assignPublicIp/,
            ));
        it("ecs-service-no-public-ip is not applicable elsewhere", async () =>
            notApplicable(await runResource(ecsServiceNoPublicIp, { type: "aws:sqs/queue:Queue", props: {} })));
    });

    describe("lambda-not-public", () => {
        const perm = (x: Record<string, unknown>) => ({
            type: "aws:lambda/permission:Permission",
            props: { action: "lambda:InvokeFunction", function: "f", ...x },
        });
        it("passes a service principal with sourceArn", async () =>
            compliant(
                await runResource(
                    lambdaNotPublic,
                    perm({ principal: "apigateway.amazonaws.com", sourceArn: "arn:aws:execute-api:eu-west-1:1:api/*" }),
                ),
            ));
        it("fails principal *", async () => violates(await runResource(lambdaNotPublic, perm({ principal: "*" })), /anyone/));
        it("fails a service principal without a source condition", async () =>
            violates(await runResource(lambdaNotPublic, perm({ principal: "s3.amazonaws.com" })), /any account/));
        it("fails a function URL with auth NONE", async () =>
            violates(
                await runResource(lambdaNotPublic, {
                    type: "aws:lambda/functionUrl:FunctionUrl",
                    props: { functionName: "f", authorizationType: "NONE" },
                }),
                /public/,
            ));
        it("is not applicable elsewhere", async () =>
            notApplicable(await runResource(lambdaNotPublic, { type: "aws:sqs/queue:Queue", props: {} })));
    });

    describe("CloudFront", () => {
        const DIST = "aws:cloudfront/distribution:Distribution";
        const dist = (x: Record<string, any> = {}) => ({
            type: DIST,
            props: {
                enabled: true,
                webAclId: "arn:aws:wafv2:us-east-1:1:global/webacl/x",
                origins: [
                    {
                        originId: "alb",
                        domainName: "alb.example.com",
                        customOriginConfig: {
                            httpPort: 80,
                            httpsPort: 443,
                            originProtocolPolicy: "https-only",
                            originSslProtocols: ["TLSv1.2"],
                        },
                    },
                ],
                defaultCacheBehavior: {
                    targetOriginId: "alb",
                    viewerProtocolPolicy: "redirect-to-https",
                    allowedMethods: ["GET", "HEAD"],
                    cachedMethods: ["GET", "HEAD"],
                },
                viewerCertificate: {
                    acmCertificateArn: "arn:aws:acm:us-east-1:1:certificate/x",
                    sslSupportMethod: "sni-only",
                    minimumProtocolVersion: "TLSv1.2_2021",
                },
                restrictions: { geoRestriction: { restrictionType: "none" } },
                ...x,
            },
        });
        it("passes a hardened distribution (all four policies)", async () => {
            for (const p of [cloudfrontViewerHttpsOnly, cloudfrontViewerTls, cloudfrontOriginTls, cloudfrontWafAttached])
                compliant(await runResource(p, dist()));
        });
        it("viewer-https-only fails allow-all on an ordered behaviour", async () =>
            violates(
                await runResource(
                    cloudfrontViewerHttpsOnly,
                    dist({
                        orderedCacheBehaviors: [
                            {
                                pathPattern: "/img/*",
                                targetOriginId: "alb",
                                viewerProtocolPolicy: "allow-all",
                                allowedMethods: ["GET"],
                                cachedMethods: ["GET"],
                            },
                        ],
                    }),
                ),
                /\/img\/\*/,
            ));
        for (const v of ["TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"]) {
            it(`regression: viewer-tls accepts ${v}`, async () =>
                compliant(
                    await runResource(
                        cloudfrontViewerTls,
                        dist({ viewerCertificate: { acmCertificateArn: "arn", sslSupportMethod: "sni-only", minimumProtocolVersion: v } }),
                    ),
                ));
        }
        for (const v of ["TLSv1", "TLSv1_2016", "TLSv1.1_2016", "SSLv3"]) {
            it(`viewer-tls rejects ${v}`, async () =>
                violates(
                    await runResource(
                        cloudfrontViewerTls,
                        dist({ viewerCertificate: { acmCertificateArn: "arn", sslSupportMethod: "sni-only", minimumProtocolVersion: v } }),
                    ),
                    /minimumProtocolVersion/,
                ));
        }
        it("viewer-tls fails the default CloudFront certificate", async () =>
            violates(
                await runResource(cloudfrontViewerTls, dist({ viewerCertificate: { cloudfrontDefaultCertificate: true } })),
                /default \*\.cloudfront\.net/,
            ));
        it("origin-tls fails http-only and old protocols", async () =>
            violates(
                await runResource(
                    cloudfrontOriginTls,
                    dist({
                        origins: [
                            {
                                originId: "alb",
                                domainName: "d",
                                customOriginConfig: {
                                    httpPort: 80,
                                    httpsPort: 443,
                                    originProtocolPolicy: "http-only",
                                    originSslProtocols: ["TLSv1", "TLSv1.2"],
                                },
                            },
                        ],
                    }),
                ),
                /http-only/,
                /TLSv1(?!\.)/,
            ));
        it("origin-tls accepts match-viewer when every viewer is HTTPS", async () =>
            compliant(
                await runResource(
                    cloudfrontOriginTls,
                    dist({
                        origins: [
                            {
                                originId: "alb",
                                domainName: "d",
                                customOriginConfig: {
                                    httpPort: 80,
                                    httpsPort: 443,
                                    originProtocolPolicy: "match-viewer",
                                    originSslProtocols: ["TLSv1.2"],
                                },
                            },
                        ],
                    }),
                ),
            ));
        it("origin-tls checks VPC origins", async () =>
            violates(
                await runResource(cloudfrontOriginTls, {
                    type: "aws:cloudfront/vpcOrigin:VpcOrigin",
                    props: {
                        vpcOriginEndpointConfig: {
                            name: "v",
                            arn: "a",
                            httpPort: 80,
                            httpsPort: 443,
                            originProtocolPolicy: "http-only",
                            originSslProtocols: { items: ["TLSv1.2"], quantity: 1 },
                        },
                    },
                }),
                /http-only/,
            ));
        it("waf-attached fails without a web ACL", async () => {
            const d = dist();
            delete (d.props as Record<string, unknown>).webAclId;
            violates(await runResource(cloudfrontWafAttached, d), /webAclId/);
        });
        it("CloudFront policies are not applicable elsewhere", async () =>
            notApplicable(await runResource(cloudfrontWafAttached, { type: "aws:sqs/queue:Queue", props: {} })));
    });

    describe("ALB", () => {
        const L = "aws:lb/listener:Listener";
        it("passes HTTPS with TLS13-1-2-2021-06", async () =>
            compliant(
                await runResource(albHttpsModernTls, {
                    type: L,
                    props: {
                        loadBalancerArn: "a",
                        protocol: "HTTPS",
                        port: 443,
                        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                        defaultActions: [{ type: "forward", targetGroupArn: "t" }],
                    },
                }),
            ));
        for (const pol of [
            "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
            "ELBSecurityPolicy-TLS13-1-3-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
        ]) {
            it(`accepts ${pol}`, async () =>
                compliant(
                    await runResource(albHttpsModernTls, {
                        type: L,
                        props: { loadBalancerArn: "a", protocol: "HTTPS", sslPolicy: pol, defaultActions: [{ type: "forward" }] },
                    }),
                ));
        }
        for (const pol of [
            "ELBSecurityPolicy-2016-08",
            "ELBSecurityPolicy-TLS13-1-0-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
            "ELBSecurityPolicy-TLS-1-2-2017-01",
        ]) {
            it(`rejects ${pol}`, async () =>
                violates(
                    await runResource(albHttpsModernTls, {
                        type: L,
                        props: { loadBalancerArn: "a", protocol: "HTTPS", sslPolicy: pol, defaultActions: [{ type: "forward" }] },
                    }),
                    /sslPolicy/,
                ));
        }
        it("passes an HTTP listener that only redirects to HTTPS", async () =>
            compliant(
                await runResource(albHttpsModernTls, {
                    type: "aws:alb/listener:Listener",
                    props: {
                        loadBalancerArn: "a",
                        protocol: "HTTP",
                        port: 80,
                        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                    },
                }),
            ));
        it("fails an HTTP listener that forwards", async () =>
            violates(
                await runResource(albHttpsModernTls, {
                    type: L,
                    props: { loadBalancerArn: "a", protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "t" }] },
                }),
                /only redirect/,
            ));
        it("is not applicable to TCP listeners", async () =>
            notApplicable(
                await runResource(albHttpsModernTls, {
                    type: L,
                    props: { loadBalancerArn: "a", protocol: "TCP", defaultActions: [{ type: "forward" }] },
                }),
            ));
        it("alb-drop-invalid-headers passes when enabled", async () =>
            compliant(
                await runResource(albDropInvalidHeaders, {
                    type: "aws:lb/loadBalancer:LoadBalancer",
                    props: { dropInvalidHeaderFields: true },
                }),
            ));
        it("alb-drop-invalid-headers fails by default", async () =>
            violates(await runResource(albDropInvalidHeaders, { type: "aws:lb/loadBalancer:LoadBalancer", props: {} }), /not set/));
        it("alb-drop-invalid-headers is not applicable to NLBs", async () =>
            notApplicable(
                await runResource(albDropInvalidHeaders, {
                    type: "aws:lb/loadBalancer:LoadBalancer",
                    props: { loadBalancerType: "network" },
                }),
            ));
    });
});
