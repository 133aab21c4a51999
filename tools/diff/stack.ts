/**
 * One stack file of one side, read the way `pulumi up` would read it, with no backend and no
 * passphrase: `secure:` values are never decrypted, only their ciphertext is kept to tell whether a
 * secret changed. The config is planned with this checkout's model (`components/plan.ts`).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ConfigError, Problem } from "../../components/model";
import { EnvironmentPlan, planEnvironment } from "../../components/plan";

/** What a secret's value is replaced with wherever the model or the mocks see it. */
export const SECRET_PLACEHOLDER = "[secret]";
const NAMESPACE = "kafka-env:";

export interface StackFile {
    readonly stack: string;
    /** Secrets by config path (`kafkaUiPassword`, `cluster.kafkaUi.username`): their ciphertext. */
    readonly secrets: Readonly<Record<string, string>>;
    /**
     * Every config key as the program's `pulumi.runtime` gets it (objects as JSON). A secret is a
     * placeholder naming a digest of its ciphertext, so a changed secret still changes the resources
     * that carry it, while its value is never known.
     */
    readonly config: Readonly<Record<string, string>>;
    /** Keys of `config` that hold a secret. */
    readonly secretKeys: readonly string[];
    /** The valid plan, or the model's list of problems. */
    readonly plan?: EnvironmentPlan;
    readonly problems?: readonly Problem[];
}

/** Reads `Pulumi.<stack>.yaml` in `dir`, with the project's config defaults from `Pulumi.yaml`. */
export function readStack(dir: string, stack: string): StackFile {
    const file = `Pulumi.${stack}.yaml`;
    let values: Record<string, unknown>;
    try {
        values = { ...projectDefaults(dir), ...configOf(fs.readFileSync(path.join(dir, file), "utf8")) };
    } catch (e) {
        return {
            stack,
            secrets: {},
            config: {},
            secretKeys: [],
            problems: [{ path: file, message: `cannot be read: ${(e as Error).message.split("\n")[0]}` }],
        };
    }
    const secrets: Record<string, string> = {};
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const kafkaEnv: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const short = key.startsWith(NAMESPACE) ? key.slice(NAMESPACE.length) : key;
        const found: Record<string, string> = {};
        const value = hideSecrets(raw, short, found, () => SECRET_PLACEHOLDER);
        Object.assign(secrets, found);
        if (Object.keys(found).length > 0) secretKeys.push(key);
        const forProgram = hideSecrets(raw, short, {}, (ciphertext) => `[secret ${createHash("sha256").update(ciphertext).digest("hex").slice(0, 12)}]`);
        config[key] = typeof forProgram === "string" ? forProgram : JSON.stringify(forProgram);
        if (key.startsWith(NAMESPACE)) kafkaEnv[short] = value;
    }
    try {
        const otherKeys = Object.keys(values).filter((k) => !k.startsWith(NAMESPACE));
        return { stack, secrets, config, secretKeys, plan: planEnvironment({ values: kafkaEnv, stack, otherKeys }) };
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        return { stack, secrets, config, secretKeys, problems: e.problems };
    }
}

/** The `config:` block of a stack file. */
function configOf(text: string): Record<string, unknown> {
    const doc = (parse(text) ?? {}) as { config?: Record<string, unknown> };
    return doc.config ?? {};
}

/** `config:` defaults declared in the project file (`key: {default: v}` or `key: v`). */
function projectDefaults(dir: string): Record<string, unknown> {
    const file = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file)) return {};
    const defaults: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(configOf(fs.readFileSync(file, "utf8")))) {
        const full = key.includes(":") ? key : `${NAMESPACE}${key}`;
        if (spec !== null && typeof spec === "object" && !Array.isArray(spec)) {
            const s = spec as Record<string, unknown>;
            if ("default" in s) defaults[full] = s.default;
            else if ("value" in s) defaults[full] = s.value;
        } else if (spec !== undefined) {
            defaults[full] = spec;
        }
    }
    return defaults;
}

/** Replaces every `{secure: ciphertext}` below `value` with a placeholder, collecting ciphertexts by path. */
function hideSecrets(value: unknown, at: string, found: Record<string, string>, placeholder: (ciphertext: string) => string): unknown {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((v, i) => hideSecrets(v, `${at}[${i}]`, found, placeholder));
    const o = value as Record<string, unknown>;
    if (Object.keys(o).length === 1 && typeof o.secure === "string") {
        found[at] = o.secure;
        return placeholder(o.secure);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, hideSecrets(v, `${at}.${k}`, found, placeholder)]));
}
