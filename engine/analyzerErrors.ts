// The analyzer's two failures, shared by its process and client modules.

/** The pack config is malformed or asks for something the pack refuses. The plan should report it and stop. */
export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

/** The analyzer process failed (did not start, crashed, or an RPC failed). */
export class PolicyAnalyzerError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyAnalyzerError";
    }
}
