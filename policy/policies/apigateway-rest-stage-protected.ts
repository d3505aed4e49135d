import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";
import { UNKNOWN, asArray } from "../lib/util";

const STAGE = "aws:apigateway/stage:Stage";
const REST_API = "aws:apigateway/restApi:RestApi";
const METHOD = "aws:apigateway/method:Method";
const WAF_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";

/**
 * Advisory: a public (non-PRIVATE) REST API stage should have a WAF web ACL associated, or methods that require an
 * authorizer (anything but authorization NONE). Stages of APIs declared outside the program are not judged.
 */
export const apigatewayRestStageProtected: PackStackPolicy = {
    kind: "stack",
    id: "apigateway-rest-stage-protected",
    description: "Public API Gateway REST stages should have a WAF web ACL or require an authorizer on their methods.",
    severity: "medium",
    enforcementLevel: "advisory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["api-gw-associated-with-waf"],
        pciDss: ["6.4.2", "7.2.1"],
        // Not APIGateway.4: it requires a WAF web ACL; this policy accepts an authorizer instead.
        securityHub: [],
    },
    remediation:
        "Associate a regional aws.wafv2.WebAcl with the stage (aws.wafv2.WebAclAssociation), or give the methods an authorizer (authorization AWS_IAM, COGNITO_USER_POOLS or CUSTOM).",
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const stages = graph.ofType(STAGE);
        if (stages.length === 0) args.notApplicable("the stack declares no REST API stages");
        for (const s of stages) {
            const apis = graph.referenced(
                s,
                "restApi",
                read(s, (p) => p.restApi),
                [REST_API],
            );
            if (apis.length === 0) continue;
            const api = apis[0];
            const types = read(api, (p) => p.endpointConfiguration?.types);
            if (types === UNKNOWN || asArray(types as string[]).includes("PRIVATE")) continue;
            const waf = graph.ofType(WAF_ASSOCIATION).some((a) => graph.dependencies(a, "resourceArn", [STAGE]).includes(s));
            if (waf) continue;
            const methods = graph.ofType(METHOD).filter((m) =>
                graph
                    .referenced(
                        m,
                        "restApi",
                        read(m, (p) => p.restApi),
                        [REST_API],
                    )
                    .includes(api),
            );
            const open = methods.filter((m) => read(m, (p) => p.authorization) === "NONE" && read(m, (p) => p.apiKeyRequired) !== true);
            if (methods.length > 0 && open.length === 0) continue;
            report(
                `stage ${s.name} of public REST API ${api.name} has no WAF web ACL and ${open.length ? `methods ${open.map((m) => m.name).join(", ")} need no authorizer` : "no methods with an authorizer"} [AWS Config api-gw-associated-with-waf].`,
                s.urn,
            );
        }
    },
};
