// The pack's analyzer process, as the CLI's policy plugin runs it:
//   node -r engine/register.js node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine> <packDir>
// with cwd = packDir. TS_NODE_IGNORE hands .ts files to the esbuild loader instead of run-policy-pack's
// type-checking ts-node (type checking is `npm run typecheck`'s job). It prints its port on the first line of
// stdout; its last output lines go into every error. Killed by PID, never by name.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { PolicyAnalyzerError } from "./analyzerErrors";

const REPO_ROOT = path.resolve(__dirname, "..");
const REGISTER = path.join(REPO_ROOT, "engine", "register.js");
const PRELOAD = path.join(REPO_ROOT, "engine", "analyzer-preload.js");
/** Output lines kept for error messages. */
const KEPT_LINES = 40;

export interface AnalyzerProcess {
    readonly pid: number;
    /** The port the analyzer listens on; rejects if it exits, prints something else first, or takes too long. */
    readonly port: Promise<number>;
    exited(): boolean;
    /** " (analyzer exit code 1)" once the process has exited, else "". */
    exitNote(): string;
    /** An error carrying the process's last output lines. */
    failure(what: string): PolicyAnalyzerError;
    /** SIGTERM, then SIGKILL after 2 s; resolves when it has exited. Idempotent. */
    kill(): Promise<void>;
}

export function spawnAnalyzer(dir: string, startTimeoutMs: number): AnalyzerProcess {
    const runPolicyPack = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack");
    const child: ChildProcess = spawn(process.execPath, ["-r", REGISTER, "-r", PRELOAD, runPolicyPack, "127.0.0.1:0", dir], {
        cwd: dir,
        env: { ...process.env, TS_NODE_IGNORE: "." },
        stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid === undefined) throw new PolicyAnalyzerError(`could not start the policy analyzer for ${dir}`);
    const pid = child.pid;
    const output: string[] = [];
    const remember = (chunk: Buffer) => {
        output.push(
            ...String(chunk)
                .split("\n")
                .filter((l) => l.trim()),
        );
        if (output.length > KEPT_LINES) output.splice(0, output.length - KEPT_LINES);
    };
    child.stderr!.on("data", remember);

    let exited = false;
    let exitInfo = "";
    const exitPromise = new Promise<void>((resolve) => {
        child.on("exit", (code, signal) => {
            exited = true;
            exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
            resolve();
        });
    });
    const killOnExit = () => {
        try {
            if (!exited) process.kill(pid, "SIGKILL");
        } catch {
            /* already gone */
        }
    };
    process.on("exit", killOnExit);

    const failure = (what: string) => new PolicyAnalyzerError(`${what}${output.length ? `:\n${output.join("\n")}` : ""}`);

    const port = new Promise<number>((resolve, reject) => {
        let buf = "";
        const timer = setTimeout(() => reject(failure(`the policy analyzer did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
        child.stdout!.on("data", (chunk: Buffer) => {
            buf += String(chunk);
            const nl = buf.indexOf("\n");
            if (nl < 0) return;
            const first = buf.slice(0, nl).trim();
            clearTimeout(timer);
            child.stdout!.removeAllListeners("data");
            child.stdout!.on("data", remember);
            remember(Buffer.from(buf.slice(nl + 1)));
            const n = Number(first);
            if (Number.isInteger(n) && n > 0) resolve(n);
            else reject(failure(`the policy analyzer printed "${first}" instead of its port`));
        });
        child.on("exit", () => {
            clearTimeout(timer);
            reject(failure(`the policy analyzer exited (${exitInfo}) before listening`));
        });
    });

    let killed = false;
    const kill = async () => {
        if (killed) return exitPromise;
        killed = true;
        process.removeListener("exit", killOnExit);
        if (!exited) {
            try {
                process.kill(pid, "SIGTERM");
            } catch {
                /* already gone */
            }
            const timer = setTimeout(() => {
                try {
                    if (!exited) process.kill(pid, "SIGKILL");
                } catch {
                    /* already gone */
                }
            }, 2000);
            await exitPromise;
            clearTimeout(timer);
        }
    };

    return { pid, port, exited: () => exited, exitNote: () => (exited ? ` (analyzer ${exitInfo})` : ""), failure, kill };
}
