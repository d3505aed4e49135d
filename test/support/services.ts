// Real PostgreSQL and Redis for the handler tests and benchmarks: started once per process on
// 127.0.0.1 with random free ports, data in a temporary directory, stopped by PID afterwards.
//
// Test files call getServices() in a before hook; the first call starts both servers. A root-level
// mocha `after` hook (registered when this module is first loaded by a spec file) stops them after the
// whole run, also when tests fail, and a process 'exit' listener kills them if the run dies early.
// PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user (Debian's
// postgresql package creates it): initdb through runuser, the server spawned with that uid/gid so
// the PID we hold is the postmaster's own.
import { execFileSync, spawn, type ChildProcess } from "child_process";
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "fs";
import { createServer, Socket } from "net";
import { tmpdir } from "os";
import { join } from "path";
import type Redis from "ioredis";
import { Client, Pool } from "pg";
import { ignoreCheckedOutClientErrors } from "../../handlers/lib/db";
import { applyMigrations } from "../../handlers/lib/migrate";
import { createRedis } from "../../handlers/lib/redis";
import type { HandlerLogger } from "../../handlers/lib/logger";

export const LOOPBACK = "127.0.0.1";
const SUPERUSER = "postgres";

export interface ServiceOptions {
    /**
     * false (tests): fsync, synchronous_commit and full_page_writes off -- the data is thrown away and
     * the suite stays fast. true (benchmarks): PostgreSQL's durable defaults, as in production.
     */
    durable: boolean;
}

export interface PostgresTarget {
    host: string;
    port: number;
    database: string;
    user: string;
}

/** Finds the newest /usr/lib/postgresql/<version>/bin (or PG_BIN_DIR). */
export function findPostgresBinDir(): string {
    if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
    const root = "/usr/lib/postgresql";
    const versions = existsSync(root) ? readdirSync(root).filter((entry) => existsSync(join(root, entry, "bin", "postgres"))) : [];
    if (versions.length === 0) {
        throw new Error(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; install them with: apt-get install -y postgresql (or set PG_BIN_DIR)",
        );
    }
    versions.sort((a, b) => Number(b) - Number(a));
    return join(root, versions[0], "bin");
}

export function findRedisServer(): string {
    const candidates = [process.env.REDIS_SERVER_BIN, "/usr/bin/redis-server", "/usr/local/bin/redis-server"].filter(
        (path): path is string => Boolean(path),
    );
    const found = candidates.find((path) => existsSync(path));
    if (!found) throw new Error("redis-server not found; install it with: apt-get install -y redis-server (or set REDIS_SERVER_BIN)");
    return found;
}

export async function freeLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, LOOPBACK, () => {
            const address = server.address();
            const port = typeof address === "object" && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        child.once("exit", () => {
            clearTimeout(timer);
            resolve(true);
        });
    });
}

const silentLogger: HandlerLogger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
} as unknown as HandlerLogger;

export class TestServices {
    readonly tempDir: string;
    readonly pgPort: number;
    readonly redisPort: number;
    private readonly pgBinDir = findPostgresBinDir();
    private readonly redisServerBin = findRedisServer();
    private readonly runAs?: { uid: number; gid: number };
    private postgresProcess?: ChildProcess;
    private redisProcess?: ChildProcess;
    private readonly pools = new Set<Pool>();
    private readonly redisClients = new Set<Redis>();
    private readonly exitSafetyNet = () => this.killNow();

    private constructor(
        tempDir: string,
        pgPort: number,
        redisPort: number,
        private readonly options: ServiceOptions,
    ) {
        this.tempDir = tempDir;
        this.pgPort = pgPort;
        this.redisPort = redisPort;
        if (process.getuid?.() === 0) {
            const uid = Number(execFileSync("id", ["-u", SUPERUSER]).toString().trim());
            const gid = Number(execFileSync("id", ["-g", SUPERUSER]).toString().trim());
            this.runAs = { uid, gid };
        }
    }

    static async start(options: ServiceOptions): Promise<TestServices> {
        const tempDir = mkdtempSync(join(tmpdir(), "retail-handlers-"));
        const services = new TestServices(tempDir, await freeLoopbackPort(), await freeLoopbackPort(), options);
        process.on("exit", services.exitSafetyNet);
        try {
            services.initPostgres();
            await services.startPostgres();
            await services.startRedis();
        } catch (error) {
            await services.stopAll();
            throw error;
        }
        return services;
    }

    private get pgDataDir(): string {
        return join(this.tempDir, "pgdata");
    }

    private get pgLogFile(): string {
        return join(this.tempDir, "postgres.log");
    }

    private initPostgres(): void {
        const socketDir = join(this.tempDir, "sockets");
        mkdirSync(socketDir);
        if (this.runAs) {
            chownSync(this.tempDir, this.runAs.uid, this.runAs.gid);
            chownSync(socketDir, this.runAs.uid, this.runAs.gid);
        }
        const initdb = join(this.pgBinDir, "initdb");
        const args = ["-D", this.pgDataDir, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--no-sync", "--no-instructions"];
        if (this.runAs) execFileSync("runuser", ["-u", SUPERUSER, "--", initdb, ...args], { stdio: "pipe" });
        else execFileSync(initdb, args, { stdio: "pipe" });
    }

    /** Starts (or restarts after stopPostgres) the postmaster on the same port and data directory. */
    async startPostgres(): Promise<void> {
        if (this.postgresProcess) throw new Error("PostgreSQL is already running");
        const settings = [
            `listen_addresses=${LOOPBACK}`,
            `unix_socket_directories=${join(this.tempDir, "sockets")}`,
            "max_connections=200",
            ...(this.options.durable ? [] : ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]),
        ];
        const log = openSync(this.pgLogFile, "a");
        const child = spawn(
            join(this.pgBinDir, "postgres"),
            ["-D", this.pgDataDir, "-p", String(this.pgPort), ...settings.flatMap((setting) => ["-c", setting])],
            {
                stdio: ["ignore", log, log],
                ...(this.runAs ?? {}),
            },
        );
        closeSync(log);
        this.postgresProcess = child;
        child.once("exit", () => {
            if (this.postgresProcess === child) this.postgresProcess = undefined;
        });
        const deadline = Date.now() + 30_000;
        for (;;) {
            if (this.postgresProcess !== child) throw new Error(`PostgreSQL exited during start-up:\n${this.logTail(this.pgLogFile)}`);
            const client = new Client({
                host: LOOPBACK,
                port: this.pgPort,
                user: SUPERUSER,
                database: "postgres",
                connectionTimeoutMillis: 1_000,
            });
            client.on("error", () => undefined);
            try {
                await client.connect();
                await client.end();
                return;
            } catch {
                await client.end().catch(() => undefined);
                if (Date.now() > deadline)
                    throw new Error(`PostgreSQL did not accept connections within 30 s:\n${this.logTail(this.pgLogFile)}`);
                await sleep(100);
            }
        }
    }

    /** Fast shutdown (SIGINT to the postmaster's PID): open connections are terminated, as in a failover. */
    async stopPostgres(): Promise<void> {
        const child = this.postgresProcess;
        if (!child?.pid) return;
        child.kill("SIGINT");
        if (!(await waitForExit(child, 20_000))) {
            child.kill("SIGQUIT");
            await waitForExit(child, 5_000);
        }
        this.postgresProcess = undefined;
    }

    async restartPostgres(): Promise<void> {
        await this.stopPostgres();
        await this.startPostgres();
    }

    async startRedis(): Promise<void> {
        if (this.redisProcess) throw new Error("Redis is already running");
        const child = spawn(
            this.redisServerBin,
            [
                "--port",
                String(this.redisPort),
                "--bind",
                LOOPBACK,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                this.tempDir,
                "--loglevel",
                "warning",
            ],
            { stdio: ["ignore", "ignore", "pipe"] },
        );
        let stderr = "";
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        this.redisProcess = child;
        child.once("exit", () => {
            if (this.redisProcess === child) this.redisProcess = undefined;
        });
        const deadline = Date.now() + 15_000;
        while (!(await this.pingRedis())) {
            if (this.redisProcess !== child) throw new Error(`redis-server exited during start-up: ${stderr}`);
            if (Date.now() > deadline) throw new Error(`redis-server did not answer PING within 15 s: ${stderr}`);
            await sleep(50);
        }
    }

    async stopRedis(): Promise<void> {
        const child = this.redisProcess;
        if (!child?.pid) return;
        child.kill("SIGTERM");
        if (!(await waitForExit(child, 10_000))) {
            child.kill("SIGKILL");
            await waitForExit(child, 5_000);
        }
        this.redisProcess = undefined;
    }

    get postgresRunning(): boolean {
        return this.postgresProcess !== undefined;
    }

    get redisRunning(): boolean {
        return this.redisProcess !== undefined;
    }

    private pingRedis(): Promise<boolean> {
        return new Promise((resolve) => {
            const socket = new Socket();
            const done = (ok: boolean) => {
                socket.destroy();
                resolve(ok);
            };
            socket.setTimeout(500, () => done(false));
            socket.once("error", () => done(false));
            socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
            socket.connect(this.redisPort, LOOPBACK, () => socket.write("PING\r\n"));
        });
    }

    /** Creates a fresh database and applies migrations/ to it with the superuser. */
    async createDatabase(name: string): Promise<void> {
        if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid test database name ${name}`);
        const admin = new Client({ host: LOOPBACK, port: this.pgPort, user: SUPERUSER, database: "postgres" });
        await admin.connect();
        try {
            await admin.query(`DROP DATABASE IF EXISTS ${name}`);
            await admin.query(`CREATE DATABASE ${name}`);
        } finally {
            await admin.end();
        }
        const pool = this.pool({ database: name, user: SUPERUSER, max: 2 });
        try {
            await applyMigrations(pool);
        } finally {
            await this.endPool(pool);
        }
    }

    target(database: string, user: string = SUPERUSER): PostgresTarget {
        return { host: LOOPBACK, port: this.pgPort, database, user };
    }

    /** A pg pool on the local server (tracked: ended by stopAll if the test does not end it). */
    pool(options: { database: string; user?: string; max?: number }): Pool {
        const pool = new Pool({
            host: LOOPBACK,
            port: this.pgPort,
            database: options.database,
            user: options.user ?? SUPERUSER,
            max: options.max ?? 5,
            connectionTimeoutMillis: 5_000,
        });
        pool.on("error", () => undefined);
        // As the handlers' pools do (handlers/lib/db.ts): a connection dropped while checked out must not crash.
        ignoreCheckedOutClientErrors(pool);
        this.pools.add(pool);
        return pool;
    }

    async endPool(pool: Pool): Promise<void> {
        this.pools.delete(pool);
        await pool.end().catch(() => undefined);
    }

    /** A Redis client configured as the handlers configure theirs (no TLS locally). */
    redis(options: { commandTimeoutMs?: number; logger?: HandlerLogger } = {}): Redis {
        const client = createRedis(
            { host: LOOPBACK, port: this.redisPort, tls: false, commandTimeoutMs: options.commandTimeoutMs ?? 1_000 },
            options.logger ?? silentLogger,
        );
        this.redisClients.add(client);
        return client;
    }

    closeRedis(client: Redis): void {
        this.redisClients.delete(client);
        client.disconnect();
    }

    async stopAll(): Promise<void> {
        for (const client of this.redisClients) client.disconnect();
        this.redisClients.clear();
        await Promise.all([...this.pools].map((pool) => pool.end().catch(() => undefined)));
        this.pools.clear();
        await Promise.all([this.stopPostgres(), this.stopRedis()]);
        process.removeListener("exit", this.exitSafetyNet);
        rmSync(this.tempDir, { recursive: true, force: true });
    }

    /** Synchronous last resort from process 'exit': immediate shutdown by PID, no waiting. */
    private killNow(): void {
        try {
            if (this.postgresProcess?.pid) process.kill(this.postgresProcess.pid, "SIGQUIT");
        } catch {
            // already gone
        }
        try {
            if (this.redisProcess?.pid) process.kill(this.redisProcess.pid, "SIGKILL");
        } catch {
            // already gone
        }
    }

    private logTail(file: string): string {
        try {
            return readFileSync(file, "utf8").split("\n").slice(-20).join("\n");
        } catch {
            return "(no log)";
        }
    }
}

let shared: Promise<TestServices> | undefined;

/** The servers shared by every handler test file in this mocha run (started on first call). */
export function getServices(): Promise<TestServices> {
    shared ??= TestServices.start({ durable: false });
    return shared;
}

// Registered at the root suite when the first spec file loads this module: runs after all tests,
// whether they passed or not.
if (typeof after === "function") {
    after(async function stopHandlerServices() {
        this.timeout(60_000);
        if (!shared) return;
        const services = await shared.catch(() => undefined);
        shared = undefined;
        await services?.stopAll();
    });
}
