import type { PolicyResource } from "@pulumi/policy";
import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";
import { UNKNOWN, asArray, regionOf, type Inputs } from "../lib/util";

export const VOLUME_TYPE = "aws:ebs/volume:Volume";
export const LAUNCH_TEMPLATE_TYPE = "aws:ec2/launchTemplate:LaunchTemplate";
export const INSTANCE_TYPE = "aws:ec2/instance:Instance";
export const ENCRYPTION_BY_DEFAULT_TYPE = "aws:ebs/encryptionByDefault:EncryptionByDefault";

/** Regions (provider default = "") where the stack turns on EBS encryption by default. */
export function defaultEncryptionRegions(graph: StackGraph): Set<string> {
    const out = new Set<string>();
    for (const e of graph.ofType(ENCRYPTION_BY_DEFAULT_TYPE)) {
        const enabled = read(e, (p) => p.enabled);
        if (enabled === false) continue; // enabled defaults to true
        out.add(regionOf(e.props, e.provider) ?? "");
    }
    return out;
}

function isEncrypted(v: unknown): boolean | typeof UNKNOWN {
    if (v === UNKNOWN) return UNKNOWN;
    return v === true || v === "true";
}

/**
 * EBS volumes, launch-template block devices and instance root/EBS devices must be encrypted. A device that does not
 * say (or a template/instance that leaves its root volume to the AMI) passes only when the stack enables
 * aws.ebs.EncryptionByDefault in that region.
 */
export const ebsEncryption: PackStackPolicy = {
    kind: "stack",
    id: "ebs-encryption",
    description:
        "EBS volumes, launch templates and instances must encrypt every block device, and EBS encryption by default must not be turned off.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["encrypted-volumes", "ec2-ebs-encryption-by-default"],
        pciDss: ["3.5.1"],
        // EC2.7 judges the account setting, which the policy judges where the program declares aws.ebs.EncryptionByDefault; the
        // policy also judges instances and unattached volumes.
        securityHub: [
            "EC2.3", // Attached Amazon EBS volumes should be encrypted at-rest
            "EC2.7", // EBS default encryption should be enabled
            "EC2.181", // EC2 launch templates should enable encryption for attached EBS volumes
        ],
    },
    remediation:
        'Set encrypted: true (launch templates: "true") and kmsKeyId on every block device, or declare aws.ebs.EncryptionByDefault { enabled: true } with aws.ebs.DefaultKmsKey for the region.',
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const volumes = graph.ofType(VOLUME_TYPE);
        const templates = graph.ofType(LAUNCH_TEMPLATE_TYPE);
        const instances = graph.ofType(INSTANCE_TYPE);
        const switches = graph.ofType(ENCRYPTION_BY_DEFAULT_TYPE);
        if (volumes.length + templates.length + instances.length + switches.length === 0)
            args.notApplicable("the stack declares no EBS volumes, launch templates, instances or account encryption setting");
        // The account switch itself: declaring it with enabled false turns default encryption off for the whole
        // region, whatever this program's own volumes say.
        for (const e of switches) {
            if (read(e, (p) => p.enabled) === false)
                report(
                    `${e.name} turns EBS encryption by default off for the account in ${regionOf(e.props, e.provider) ?? "the provider's region"}.`,
                    e.urn,
                );
        }
        const byDefault = defaultEncryptionRegions(graph);
        const covered = (r: PolicyResource) => byDefault.has(regionOf(r.props, r.provider) ?? "");

        for (const v of volumes) {
            const enc = isEncrypted(read(v, (p) => p.encrypted));
            if (enc === UNKNOWN || enc) continue;
            if (read(v, (p) => p.encrypted) === undefined && covered(v)) continue;
            report(`volume ${v.name} is not encrypted (encrypted is ${JSON.stringify(read(v, (p) => p.encrypted)) ?? "not set"}).`, v.urn);
        }
        for (const t of templates) {
            const mappings = read(t, (p) => p.blockDeviceMappings);
            if (mappings === UNKNOWN) continue;
            const ebs = asArray(mappings as Inputs[]).filter((m) => read({ props: m }, (p) => p.ebs) !== undefined);
            if (ebs.length === 0) {
                if (!covered(t))
                    report(
                        `launch template ${t.name} declares no EBS block device, so its volumes take the AMI snapshot's encryption; declare the root device with encrypted "true" or enable EBS encryption by default.`,
                        t.urn,
                    );
                continue;
            }
            for (const m of ebs) {
                const raw = read({ props: m }, (p) => p.ebs?.encrypted);
                const enc = isEncrypted(raw);
                if (enc === UNKNOWN || enc) continue;
                if (raw === undefined && covered(t)) continue;
                const dev = read({ props: m }, (p) => p.deviceName);
                report(
                    `launch template ${t.name}: block device ${typeof dev === "string" ? dev : "(unnamed)"} is not encrypted (encrypted is ${raw === undefined ? "not set" : JSON.stringify(raw)}).`,
                    t.urn,
                );
            }
        }
        for (const i of instances) {
            const root = read(i, (p) => p.rootBlockDevice);
            const usesTemplate = read(i, (p) => p.launchTemplate) !== undefined;
            if (root !== UNKNOWN) {
                const raw = root ? read({ props: root as Inputs }, (p) => p.encrypted) : undefined;
                const enc = isEncrypted(raw);
                if (enc !== UNKNOWN && !enc && !(raw === undefined && (covered(i) || usesTemplate))) {
                    report(
                        `instance ${i.name}: root volume is not encrypted (rootBlockDevice.encrypted is ${raw === undefined ? "not set" : JSON.stringify(raw)}).`,
                        i.urn,
                    );
                }
            }
            const devices = read(i, (p) => p.ebsBlockDevices);
            if (devices === UNKNOWN) continue;
            for (const d of asArray(devices as Inputs[])) {
                const raw = read({ props: d }, (p) => p.encrypted);
                const enc = isEncrypted(raw);
                if (enc === UNKNOWN || enc) continue;
                if (raw === undefined && covered(i)) continue;
                const dev = read({ props: d }, (p) => p.deviceName);
                report(`instance ${i.name}: EBS device ${typeof dev === "string" ? dev : "(unnamed)"} is not encrypted.`, i.urn);
            }
        }
    },
};
