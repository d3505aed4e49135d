// A one-node Redis cluster (cluster mode on, every slot assigned to the node) on 127.0.0.1 with a random port, for
// the clickstream handlers: ElastiCache Serverless is always cluster mode, so a multi-key command or script whose keys
// hash to different slots fails here with CROSSSLOT as it would there. Stopped by PID (after hook and process exit).
import { spawn, type ChildProcess } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import Redis from "ioredis";
import { findRedisServer, freeLoopbackPort, LOOPBACK } from "./services";

export class ClusterRedis {
    private constructor(
        readonly port: number,
        private readonly child: ChildProcess,
        private readonly dir: string,
    ) {}

    static async start(): Promise<ClusterRedis> {
        const dir = mkdtempSync(join(tmpdir(), "clickstream-redis-"));
        const port = await freeLoopbackPort();
        const child = spawn(
            findRedisServer(),
            [
                "--port",
                String(port),
                "--bind",
                LOOPBACK,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir,
                "--loglevel",
                "warning",
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                join(dir, "nodes.conf"),
            ],
            { stdio: ["ignore", "ignore", "pipe"] },
        );
        let stderr = "";
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const server = new ClusterRedis(port, child, dir);
        const kill = () => child.kill("SIGKILL");
        process.once("exit", kill);
        const admin = new Redis({ host: LOOPBACK, port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        admin.on("error", () => undefined); // start-up attempts are retried below
        try {
            const deadline = Date.now() + 15_000;
            for (;;) {
                try {
                    await admin.connect();
                    break;
                } catch {
                    if (child.exitCode !== null) throw new Error(`redis-server exited: ${stderr}`);
                    if (Date.now() > deadline) throw new Error(`redis-server did not start within 15 s: ${stderr}`);
                    await new Promise((r) => setTimeout(r, 50));
                }
            }
            await admin.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            while (!String(await admin.call("CLUSTER", "INFO")).includes("cluster_state:ok")) {
                if (Date.now() > deadline) throw new Error("cluster did not reach cluster_state:ok within 15 s");
                await new Promise((r) => setTimeout(r, 50));
            }
        } catch (error) {
            await server.stop();
            throw error;
        } finally {
            admin.disconnect();
        }
        return server;
    }

    async stop(): Promise<void> {
        if (this.child.exitCode === null && this.child.signalCode === null) {
            const exited = new Promise((resolve) => this.child.once("exit", resolve));
            this.child.kill("SIGTERM");
            await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
            if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
        }
        rmSync(this.dir, { recursive: true, force: true });
    }
}
