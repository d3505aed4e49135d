import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { throwArgumentErrors } from "./argumentErrors";

export interface CertificatesArgs {
    /** Route 53 hosted zone that holds the DNS validation records. */
    readonly zoneId: pulumi.Input<string>;
    /** Names on CloudFront's certificate, subject first (declared in us-east-1, where CloudFront reads certificates). */
    readonly edgeNames: readonly string[];
    /** Names on the load balancer's certificate, subject first (home region). */
    readonly originNames: readonly string[];
}

/** The record a name is validated with: ACM gives `*.x` and `x` the same record, so both share one key. */
export function validationKey(domain: string): string {
    return domain.replace(/^\*\./, "");
}

/**
 * The two ACM certificates of the edge, validated by DNS. ACM's validation record for a name depends only on the
 * name and the account, so the certificates share records for shared names: each distinct record is declared once
 * and both validations point at it (two declarations of one record would fight over it).
 */
export class Certificates extends pulumi.ComponentResource {
    /** CloudFront's certificate in us-east-1, usable once validated. */
    readonly edgeCertificateArn: pulumi.Output<string>;
    /** The load balancer's certificate in the home region, usable once validated. */
    readonly originCertificateArn: pulumi.Output<string>;
    /** The validation records, one per distinct validation key. */
    readonly validationRecords: Record<string, aws.route53.Record>;

    constructor(name: string, args: CertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:ingress:Certificates", name, {}, opts);
        const problems: string[] = [];
        for (const [field, names] of Object.entries({ edgeNames: args.edgeNames, originNames: args.originNames })) {
            if (names.length === 0) problems.push(`${field} must name at least one domain`);
            if (new Set(names).size !== names.length) problems.push(`${field} lists a name twice: ${names.join(", ")}`);
        }
        throwArgumentErrors(this, problems);
        const parent = { parent: this };
        const certificate = (role: string, names: readonly string[], region?: string) =>
            new aws.acm.Certificate(
                `${name}-${role}`,
                {
                    ...(region ? { region } : {}),
                    domainName: names[0],
                    subjectAlternativeNames: names.slice(1),
                    validationMethod: "DNS",
                    keyAlgorithm: "RSA_2048", // CloudFront and ALB both accept it; ECDSA would drop very old viewers
                },
                { parent: this },
            );
        const edge = certificate("edge", args.edgeNames, "us-east-1");
        const origin = certificate("origin", args.originNames);

        this.validationRecords = {};
        const owners: [aws.acm.Certificate, readonly string[]][] = [
            [edge, args.edgeNames],
            [origin, args.originNames],
        ];
        for (const [cert, names] of owners) {
            for (const domain of names) {
                const key = validationKey(domain);
                if (this.validationRecords[key]) continue;
                const option = cert.domainValidationOptions.apply((opts) => {
                    const found = opts.find((o) => validationKey(o.domainName) === key);
                    if (!found) throw new Error(`ACM returned no validation record for ${domain}`);
                    return found;
                });
                this.validationRecords[key] = new aws.route53.Record(
                    `${name}-validation-${key.replace(/\./g, "-")}`,
                    {
                        zoneId: args.zoneId,
                        name: option.resourceRecordName,
                        type: option.resourceRecordType,
                        records: [option.resourceRecordValue],
                        ttl: 300,
                    },
                    parent,
                );
            }
        }
        const validate = (role: string, cert: aws.acm.Certificate, names: readonly string[], region?: string) =>
            new aws.acm.CertificateValidation(
                `${name}-${role}-validation`,
                {
                    ...(region ? { region } : {}),
                    certificateArn: cert.arn,
                    validationRecordFqdns: [...new Set(names.map(validationKey))].map((k) => this.validationRecords[k].fqdn),
                },
                { ...parent, aliases: [{ name: `${name}-${role}` }] },
            );
        this.edgeCertificateArn = validate("edge", edge, args.edgeNames, "us-east-1").certificateArn;
        this.originCertificateArn = validate("origin", origin, args.originNames).certificateArn;
        this.registerOutputs({ edgeCertificateArn: this.edgeCertificateArn, originCertificateArn: this.originCertificateArn });
    }
}
