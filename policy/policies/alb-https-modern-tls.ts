import { aws } from "../lib/aws";
import { ReportViolation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

/**
 * Modern = the TLS 1.3-capable policy family with TLS 1.2 or 1.3 as the minimum: ELBSecurityPolicy-TLS13-1-2-2021-06
 * (the default AWS recommends), -Res-, -Ext1-, the -FIPS- and post-quantum -PQ- variants and TLS13-1-3-*, including
 * names AWS adds later in that family. Excluded: TLS13-1-0/1-1 (allow TLS 1.0/1.1), the -Ext2- variants (SHA-1 CBC
 * ciphers) and the pre-2021 policies (ELBSecurityPolicy-2016-08, TLS-1-2-2017-01, FS-1-2-*), which lack TLS 1.3.
 */
export function isModernSslPolicy(name: unknown): boolean {
    return typeof name === "string" && /^ELBSecurityPolicy-TLS13-1-[23]-/.test(name) && !/-Ext2-/.test(name);
}

type ListenerProps = {
    protocol?: string;
    port?: number;
    sslPolicy?: string;
    defaultActions?: { type: string; redirect?: { protocol?: string } }[];
};

function judge(l: ListenerProps, args: ResourceValidationArgs, report: ReportViolation): void {
    const protocol = (l.protocol ?? "").toUpperCase();
    if (protocol === "HTTP") {
        const actions = l.defaultActions ?? [];
        const redirectsOnly =
            actions.length > 0 && actions.every((a) => a.type === "redirect" && (a.redirect?.protocol ?? "").toUpperCase() === "HTTPS");
        if (!redirectsOnly)
            report(
                'an HTTP listener must only redirect to HTTPS (defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]).',
            );
        return;
    }
    if (protocol === "HTTPS" || protocol === "TLS") {
        if (!isModernSslPolicy(l.sslPolicy))
            report(
                `sslPolicy is ${l.sslPolicy ? `"${l.sslPolicy}"` : "not set (the API default is ELBSecurityPolicy-2016-08, which allows TLS 1.0)"}; use ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS13-1-2/1-3 policy.`,
            );
        return;
    }
    if (protocol === "") {
        // Gateway Load Balancer listeners take neither protocol nor port (AWS refuses both); every other listener
        // needs a port, and an Application Load Balancer listener without a protocol is HTTP.
        if (l.port === undefined || l.port === null)
            args.notApplicable("a Gateway Load Balancer listener (no protocol, no port) carries no TLS settings");
        report("protocol is not set; an Application Load Balancer listener then defaults to HTTP.");
        return;
    }
    args.notApplicable(`${protocol} listeners carry no TLS settings`);
}

export const albHttpsModernTls: PackResourcePolicy = {
    kind: "resource",
    id: "alb-https-modern-tls",
    description:
        "Load balancer listeners must use HTTPS/TLS with a modern TLS 1.2+ security policy; HTTP listeners may only redirect to HTTPS.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["alb-http-to-https-redirection-check", "elbv2-acm-certificate-required"],
        pciDss: ["4.2.1"],
        // Not ELB.17 (a fixed list of SSL policies, narrower than this policy's TLS13 family) nor ELB.18 (it also fails TCP
        // listeners and redirect-only HTTP listeners).
        securityHub: [
            "ELB.1", // Application Load Balancer should be configured to redirect all HTTP requests to HTTPS
        ],
    },
    remediation:
        'Serve on an HTTPS listener with sslPolicy "ELBSecurityPolicy-TLS13-1-2-2021-06" and an ACM certificate; make port 80 a redirect to HTTPS.',
    validateResource: [
        validateResourceOfType(aws.lb.Listener, (l, args, report) => judge(l as ListenerProps, args, report)),
        validateResourceOfType(aws.alb.Listener, (l, args, report) => judge(l as ListenerProps, args, report)),
    ],
};
