import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";
import { UNKNOWN, asArray, type Inputs } from "../lib/util";

const LISTENERS = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const RULES = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"];

/**
 * A listener rule that forwards requests on an HTTP listener serves the application in plaintext, exactly as an
 * HTTP listener whose default action forwards (which alb-https-modern-tls reports on the listener). Rules on
 * listeners outside the program are not judged.
 */
export const albListenerRuleHttpsOnly: PackStackPolicy = {
    kind: "stack",
    id: "alb-listener-rule-https-only",
    description: "Listener rules on HTTP listeners must not forward requests (only redirect to HTTPS or answer fixed responses).",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["alb-http-to-https-redirection-check"],
        pciDss: ["4.2.1"],
        // ELB.1 judges the HTTP listener's default action, which alb-https-modern-tls checks; no FSBP control judges listener rules.
        securityHub: [],
    },
    remediation: "Attach forwarding rules to the HTTPS listener; on port 80 keep only the redirect to HTTPS.",
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const rules = graph.ofType(...RULES);
        if (rules.length === 0) args.notApplicable("the stack declares no listener rules");
        for (const r of rules) {
            const actions = read(r, (p) => p.actions);
            if (actions === UNKNOWN) continue;
            const forwards = asArray(actions as Inputs[]).some((a) => read({ props: a }, (p) => p.type) === "forward");
            if (!forwards) continue;
            for (const l of graph.referenced(
                r,
                "listenerArn",
                read(r, (p) => p.listenerArn),
                LISTENERS,
            )) {
                const protocol = read(l, (p) => p.protocol);
                const port = read(l, (p) => p.port);
                const http = protocol === "HTTP" || ((protocol === undefined || protocol === "") && port !== undefined);
                if (http)
                    report(
                        `listener rule ${r.name} forwards requests on HTTP listener ${l.name}: they are served in plaintext [AWS Config alb-http-to-https-redirection-check].`,
                        r.urn,
                    );
            }
        }
    },
};
