import type { PolicyResource } from "@pulumi/policy";
import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";
import { UNKNOWN } from "../lib/util";

const STAGE = "aws:apigateway/stage:Stage";
const REST_API = "aws:apigateway/restApi:RestApi";
const METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings";

/** The MethodSettings of a stage: they name it by dependency, or name its API and its stage name. */
function settingsOf(graph: StackGraph, stage: PolicyResource): PolicyResource[] {
    const apis = new Set(
        graph.referenced(
            stage,
            "restApi",
            read(stage, (p) => p.restApi),
            [REST_API],
        ),
    );
    const apiValue = read(stage, (p) => p.restApi);
    const stageName = read(stage, (p) => p.stageName);
    return graph.ofType(METHOD_SETTINGS).filter((m) => {
        if (graph.dependencies(m, "stageName", [STAGE]).includes(stage)) return true;
        if (read(m, (p) => p.stageName) !== stageName || stageName === UNKNOWN) return false;
        const sameApi =
            graph
                .referenced(
                    m,
                    "restApi",
                    read(m, (p) => p.restApi),
                    [REST_API],
                )
                .some((a) => apis.has(a)) ||
            (typeof apiValue === "string" && read(m, (p) => p.restApi) === apiValue);
        return sameApi;
    });
}

/**
 * A REST stage with its cache cluster on caches every GET method's responses by default, unencrypted unless the
 * stage's `*` `/` `*` method settings set cacheDataEncrypted (API Gateway developer guide, "Cache settings for REST
 * APIs"). The stage complies when such settings encrypt the cache or turn caching off; settings that turn caching
 * on without encryption are apigateway-stage-logging-encryption's finding, so one defect is reported once.
 */
export const apigatewayStageCacheEncrypted: PackStackPolicy = {
    kind: "stack",
    id: "apigateway-stage-cache-encrypted",
    description: "REST API stages with a cache cluster must encrypt the cache in their */* method settings.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: [],
        pciDss: ["3.5.1"],
        securityHub: [
            "APIGateway.5", // API Gateway REST API cache data should be encrypted at rest
        ],
    },
    remediation:
        'Declare aws.apigateway.MethodSettings for the stage with methodPath "*/*" and settings { cachingEnabled: true, cacheDataEncrypted: true } (or turn cacheClusterEnabled off).',
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const stages = graph.ofType(STAGE);
        if (stages.length === 0) args.notApplicable("the stack declares no REST API stages");
        for (const s of stages) {
            if (read(s, (p) => p.cacheClusterEnabled) !== true) continue;
            const all = settingsOf(graph, s).filter((m) => read(m, (p) => p.methodPath) === "*/*");
            const settled = all.some((m) => {
                const caching = read(m, (p) => p.settings?.cachingEnabled);
                const encrypted = read(m, (p) => p.settings?.cacheDataEncrypted);
                return caching === false || encrypted === true || encrypted === UNKNOWN || caching === true;
            });
            if (settled) continue;
            report(
                `stage ${s.name}: cacheClusterEnabled is true but no "*/*" method settings set cacheDataEncrypted: GET responses are cached unencrypted by default [platform rule].`,
                s.urn,
            );
        }
    },
};
