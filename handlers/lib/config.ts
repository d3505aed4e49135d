// Reading Lambda configuration from environment variables with errors that name the variable,
// so a misconfigured function fails at init with a message that says what to fix.

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

export function requireEnv(env: Env, name: string): string {
    const value = env[name];
    if (value === undefined || value.trim() === "") {
        throw new ConfigError(`environment variable ${name} is required but not set`);
    }
    return value.trim();
}

export function optionalEnv(env: Env, name: string, fallback: string): string {
    const value = env[name];
    return value === undefined || value.trim() === "" ? fallback : value.trim();
}

export function intEnv(env: Env, name: string, fallback: number, min: number, max: number): number {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
        throw new ConfigError(`environment variable ${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
    }
    return value;
}

export function boolEnv(env: Env, name: string, fallback: boolean): boolean {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const normalized = raw.trim().toLowerCase();
    if (normalized === "true" || normalized === "1") return true;
    if (normalized === "false" || normalized === "0") return false;
    throw new ConfigError(`environment variable ${name} must be true or false, got ${JSON.stringify(raw)}`);
}

export function enumEnv<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = raw.trim() as T;
    if (!allowed.includes(value)) {
        throw new ConfigError(`environment variable ${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(raw)}`);
    }
    return value;
}
