import type { PolicyResource } from "@pulumi/policy";
import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";
import { UNKNOWN, asArray, type Inputs } from "../lib/util";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const LC = "aws:ec2/launchConfiguration:LaunchConfiguration";
const INSTANCE = "aws:ec2/instance:Instance";
const ASG = "aws:autoscaling/group:Group";
const SPOT_INSTANCE = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";
const SPOT_FLEET = "aws:ec2/spotFleetRequest:SpotFleetRequest";
const FLEET = "aws:ec2/fleet:Fleet";

interface Metadata {
    httpTokens?: unknown;
    httpEndpoint?: unknown;
    httpPutResponseHopLimit?: unknown;
}

/** Problems with effective metadata options; [] when IMDSv2 is required with hop limit 1 (or IMDS is off). */
function problems(m: Metadata): string[] | typeof UNKNOWN {
    if (m.httpEndpoint === "disabled") return [];
    if (m.httpTokens === UNKNOWN || m.httpEndpoint === UNKNOWN || m.httpPutResponseHopLimit === UNKNOWN) return UNKNOWN;
    const out: string[] = [];
    if (m.httpTokens !== "required")
        out.push(
            m.httpTokens === undefined
                ? "metadataOptions.httpTokens is not set (IMDSv1 stays available)"
                : `metadataOptions.httpTokens is "${m.httpTokens}" (IMDSv1 stays available)`,
        );
    if (m.httpPutResponseHopLimit !== 1)
        out.push(
            m.httpPutResponseHopLimit === undefined
                ? "metadataOptions.httpPutResponseHopLimit is not set (AMIs flagged for IMDSv2 default to 2)"
                : `metadataOptions.httpPutResponseHopLimit is ${m.httpPutResponseHopLimit}, not 1`,
        );
    return out;
}

function metadataOf(r: PolicyResource): Metadata {
    const mo = read(r, (p) => p.metadataOptions);
    if (mo === UNKNOWN) return { httpTokens: UNKNOWN };
    if (!mo) return {};
    return {
        httpTokens: read({ props: mo as Inputs }, (p) => p.httpTokens),
        httpEndpoint: read({ props: mo as Inputs }, (p) => p.httpEndpoint),
        httpPutResponseHopLimit: read({ props: mo as Inputs }, (p) => p.httpPutResponseHopLimit),
    };
}

/** An instance's own settings override its template's, field by field. */
function merge(own: Metadata, template: Metadata): Metadata {
    return {
        httpTokens: own.httpTokens ?? template.httpTokens,
        httpEndpoint: own.httpEndpoint ?? template.httpEndpoint,
        httpPutResponseHopLimit: own.httpPutResponseHopLimit ?? template.httpPutResponseHopLimit,
    };
}

/**
 * IMDSv2 required with a hop limit of 1 on instances, launch templates, launch configurations and auto-scaling
 * groups. Absent settings fail. An instance or group that uses a launch template is judged by that template (an
 * instance's own metadataOptions override the template's); a template outside the program is not judged here.
 */
export const ec2Imdsv2Required: PackStackPolicy = {
    kind: "stack",
    id: "ec2-imdsv2-required",
    description:
        "EC2 instances, spot requests, launch templates, fleets and auto-scaling groups must require IMDSv2 with a hop limit of 1.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: [
            "ec2-imdsv2-check",
            "ec2-launch-template-imdsv2-check",
            "autoscaling-launchconfig-requires-imdsv2",
            "autoscaling-launch-config-hop-limit",
        ],
        pciDss: ["2.2.1", "6.2.4"],
        // The policy also checks the hop limit and fleets' launch templates.
        securityHub: [
            "EC2.8", // EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)
            "EC2.170", // EC2 launch templates should use Instance Metadata Service Version 2 (IMDSv2)
            "AutoScaling.3", // Amazon EC2 Auto Scaling group launch configurations should configure EC2 instances to require Instance Metadata Service Version 2 (IMDSv2)
        ],
    },
    remediation:
        'Set metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" } on the launch template (or instance / launch configuration).',
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const templates = graph.ofType(LT);
        const configs = graph.ofType(LC);
        const instances = graph.ofType(INSTANCE);
        const groups = graph.ofType(ASG);
        const spotFleets = graph.ofType(SPOT_FLEET);
        const fleets = graph.ofType(FLEET);
        if (
            templates.length +
                configs.length +
                instances.length +
                groups.length +
                spotFleets.length +
                fleets.length +
                graph.ofType(SPOT_INSTANCE).length ===
            0
        )
            args.notApplicable("the stack declares no EC2 compute");

        const say = (r: PolicyResource, what: string, p: string[] | typeof UNKNOWN) => {
            if (p !== UNKNOWN && p.length) report(`${what}: ${p.join("; ")}.`, r.urn);
        };
        for (const t of templates) say(t, `launch template ${t.name}`, problems(metadataOf(t)));
        for (const c of configs) say(c, `launch configuration ${c.name}`, problems(metadataOf(c)));

        const templatesFor = (r: PolicyResource, prop: string, spec: unknown, idKey: string, nameKey: string): PolicyResource[] => {
            if (spec === UNKNOWN || !spec) return [];
            const id = read({ props: spec as Inputs }, (p) => p[idKey]);
            const name = read({ props: spec as Inputs }, (p) => p[nameKey]);
            return graph.referenced(r, prop, [id, name], [LT]);
        };

        for (const i of [...instances, ...graph.ofType(SPOT_INSTANCE)]) {
            const spec = read(i, (p) => p.launchTemplate);
            const own = metadataOf(i);
            if (spec === UNKNOWN) continue;
            if (!spec) {
                say(i, `${i.type === SPOT_INSTANCE ? "spot instance request" : "instance"} ${i.name}`, problems(own));
                continue;
            }
            const lts = templatesFor(i, "launchTemplate", spec, "id", "name");
            if (lts.length === 0) {
                // Template outside the program: only the instance's own complete settings can be judged.
                if (own.httpTokens !== undefined && own.httpPutResponseHopLimit !== undefined) say(i, `instance ${i.name}`, problems(own));
                continue;
            }
            for (const lt of lts) say(i, `instance ${i.name} (launch template ${lt.name})`, problems(merge(own, metadataOf(lt))));
        }

        // The launch templates a fleet's launchTemplateConfigs reference (spot fleets and EC2 fleets name the id and
        // name fields differently).
        const fleetTemplates = (f: PolicyResource, idKey: string, nameKey: string): Set<PolicyResource> => {
            const configs = read(f, (p) => p.launchTemplateConfigs);
            if (configs === UNKNOWN) return new Set();
            return new Set(
                asArray(configs as Inputs[]).flatMap((c) =>
                    templatesFor(
                        f,
                        "launchTemplateConfigs",
                        read({ props: c }, (p) => p.launchTemplateSpecification),
                        idKey,
                        nameKey,
                    ),
                ),
            );
        };

        // Spot fleet launch specifications have no metadata options at all: instances they launch keep IMDSv1.
        for (const f of spotFleets) {
            const specs = read(f, (p) => p.launchSpecifications);
            if (specs !== UNKNOWN && asArray(specs as unknown[]).length > 0) {
                report(
                    `spot fleet request ${f.name} uses launchSpecifications, which cannot require IMDSv2; launch from a launch template (launchTemplateConfigs) that does.`,
                    f.urn,
                );
            }
            for (const lt of fleetTemplates(f, "id", "name"))
                say(f, `spot fleet request ${f.name} (launch template ${lt.name})`, problems(metadataOf(lt)));
        }
        for (const f of fleets) {
            for (const lt of fleetTemplates(f, "launchTemplateId", "launchTemplateName"))
                say(f, `EC2 fleet ${f.name} (launch template ${lt.name})`, problems(metadataOf(lt)));
        }

        for (const g of groups) {
            const lc = read(g, (p) => p.launchConfiguration);
            const lcs = lc === UNKNOWN ? [] : graph.referenced(g, "launchConfiguration", lc, [LC]);
            if (lcs.length) continue; // judged on the launch configuration itself
            const direct = templatesFor(
                g,
                "launchTemplate",
                read(g, (p) => p.launchTemplate),
                "id",
                "name",
            );
            const mixedSpec = read(g, (p) => p.mixedInstancesPolicy?.launchTemplate?.launchTemplateSpecification);
            const mixed = templatesFor(g, "mixedInstancesPolicy", mixedSpec, "launchTemplateId", "launchTemplateName");
            const overrides = read(g, (p) => p.mixedInstancesPolicy?.launchTemplate?.overrides);
            const fromOverrides =
                overrides === UNKNOWN || !Array.isArray(overrides)
                    ? []
                    : overrides.flatMap((o: Inputs) =>
                          templatesFor(
                              g,
                              "mixedInstancesPolicy",
                              read({ props: o }, (p) => p.launchTemplateSpecification),
                              "launchTemplateId",
                              "launchTemplateName",
                          ),
                      );
            for (const lt of new Set([...direct, ...mixed, ...fromOverrides])) {
                say(g, `auto-scaling group ${g.name} (launch template ${lt.name})`, problems(metadataOf(lt)));
            }
        }
    },
};
