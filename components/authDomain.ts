import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";

export interface AuthDomainArgs {
    /** The pool's region (the prefix domain's host name contains it). */
    readonly region: string;
    /** The pool the domain serves (its managed sign-in pages and OAuth endpoints). */
    readonly userPoolId: pulumi.Input<string>;
    /**
     * A prefix domain (<prefix>.auth.<region>.amazoncognito.com), or a custom domain with the hosted zone it lives in
     * and the records that make its parent domain resolve (Cognito refuses a custom domain whose parent has no A record).
     */
    readonly domain:
        | { readonly prefix: string }
        | { readonly custom: string; readonly zoneId: pulumi.Input<string>; readonly parentRecords: pulumi.Input<pulumi.Resource>[] };
}

/**
 * The user pool's domain. A custom domain gets its own DNS-validated certificate in us-east-1 (Cognito serves it from
 * CloudFront), waits for the parent's alias records, and gets an alias to the distribution Cognito returns.
 */
export class AuthDomain extends pulumi.ComponentResource {
    readonly domain: aws.cognito.UserPoolDomain;
    /** https://<domain>: base URL of the OAuth 2.0 endpoints. */
    readonly baseUrl: pulumi.Output<string>;

    constructor(name: string, args: AuthDomainArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:identity:AuthDomain", name, {}, opts);
        const parent = { parent: this };
        if ("prefix" in args.domain) {
            const prefix = args.domain.prefix;
            if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
                throw new pulumi.ResourceError(
                    `prefix must be lower-case letters, digits and hyphens without "aws", "amazon" or "cognito", got ${JSON.stringify(prefix)}`,
                    this,
                );
            }
            this.domain = new aws.cognito.UserPoolDomain(`${name}-domain`, { domain: prefix, userPoolId: args.userPoolId }, parent);
            this.baseUrl = pulumi.output(`https://${prefix}.auth.${args.region}.amazoncognito.com`);
        } else {
            const { custom, zoneId, parentRecords } = args.domain;
            const certificate = new aws.acm.Certificate(
                `${name}-certificate`,
                {
                    region: "us-east-1",
                    domainName: custom,
                    validationMethod: "DNS",
                    keyAlgorithm: "RSA_2048",
                },
                parent,
            );
            const option = certificate.domainValidationOptions.apply((o) => {
                if (!o[0]) throw new Error(`ACM returned no validation record for ${custom}`);
                return o[0];
            });
            const validationRecord = new aws.route53.Record(
                `${name}-validation`,
                {
                    zoneId,
                    name: option.resourceRecordName,
                    type: option.resourceRecordType,
                    records: [option.resourceRecordValue],
                    ttl: 300,
                },
                parent,
            );
            const validation = new aws.acm.CertificateValidation(
                `${name}-certificate-validation`,
                {
                    region: "us-east-1",
                    certificateArn: certificate.arn,
                    validationRecordFqdns: [validationRecord.fqdn],
                },
                { ...parent, aliases: [{ name: `${name}-certificate` }] },
            );
            this.domain = new aws.cognito.UserPoolDomain(
                `${name}-domain`,
                {
                    domain: custom,
                    certificateArn: validation.certificateArn,
                    userPoolId: args.userPoolId,
                },
                { parent: this, dependsOn: parentRecords },
            );
            // Cognito documents an A alias to the distribution it returns.
            new aws.route53.Record(
                `${name}-a`,
                {
                    zoneId,
                    name: custom,
                    type: "A",
                    aliases: [
                        {
                            name: this.domain.cloudfrontDistribution,
                            zoneId: this.domain.cloudfrontDistributionZoneId,
                            evaluateTargetHealth: false,
                        },
                    ],
                },
                parent,
            );
            this.baseUrl = pulumi.output(`https://${custom}`);
        }
        this.registerOutputs({ baseUrl: this.baseUrl });
    }
}
