/**
 * The repository's own program as a user of `KafkaEnvironment`: the stack's `kafka-env:*` config
 * becomes the component's name and arguments. Every config problem (namespaces, top-level keys and
 * target settings included) is reported at once, in config terms (`kafka-env:cluster`, `pulumi
 * config set` hints), before any resource exists, as plain text (no stack trace).
 */
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentOutputs } from "./environment";
import { KafkaEnvironment, KafkaEnvironmentArgs } from "./kafkaEnvironment";
import { ConfigError } from "./model";
import { planEnvironment } from "./plan";
import { plainSdkStacks } from "./stackTraces";

/** Keys whose values are objects (the rest are strings). */
const OBJECT_KEYS: readonly string[] = ["cluster", "kubernetes"];
const SECRET_KEYS: readonly string[] = ["kafkaUiPassword", "caCertificate", "caKey"];

/** The stack's environment: its name (`cluster.name`, else `kafka-env-<stack>`) and arguments. */
export function stackArgs(): { name: string; args: KafkaEnvironmentArgs } {
    plainSdkStacks();
    const config = new pulumi.Config("kafka-env");
    const values: Record<string, unknown> = {};
    const otherKeys: string[] = [];
    for (const full of Object.keys(pulumi.runtime.allConfig())) {
        if (!full.startsWith("kafka-env:")) {
            otherKeys.push(full);
            continue;
        }
        const key = full.slice("kafka-env:".length);
        // A secret is only checked for presence here (and userPasswords for its user names); its value stays an Output.
        if (key === "userPasswords") values[key] = userNames(pulumi.runtime.allConfig()[full]);
        else values[key] = SECRET_KEYS.includes(key) ? true : OBJECT_KEYS.includes(key) ? config.getObject<unknown>(key) : config.get(key);
    }
    const { model } = forPeople(() => planEnvironment({ values, stack: pulumi.getStack(), otherKeys }));
    const secret = (key: string) => config.getSecret(key);
    const args: KafkaEnvironmentArgs = {
        ...(values.target !== undefined ? { target: values.target as KafkaEnvironmentArgs["target"] } : {}),
        ...(values.cluster !== undefined ? { cluster: values.cluster as KafkaEnvironmentArgs["cluster"] } : {}),
        ...(values.namespace !== undefined ? { namespace: values.namespace as string } : {}),
        ...(values.kubernetes !== undefined ? { kubernetes: values.kubernetes as KafkaEnvironmentArgs["kubernetes"] } : {}),
        ...optional("kafkaUiPassword", secret("kafkaUiPassword")),
        ...optional("caCertificate", secret("caCertificate")),
        ...optional("caKey", secret("caKey")),
        ...optional("userPasswords", userPasswords(secret("userPasswords"), values.userPasswords)),
    };
    return { name: model.name, args };
}

/** The program: the stack's `KafkaEnvironment`, its outputs and components (for the tests and tools). */
export function deployEnvironment(): EnvironmentOutputs {
    const { name, args } = stackArgs();
    const environment = new KafkaEnvironment(name, args);
    return { ...environment.stackOutputs(), components: environment.components() };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
    return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * Config problems become a `pulumi.RunError`, which the Pulumi CLI prints as its message alone: the
 * list of problems once, without a stack trace or the error's fields.
 */
export function forPeople<T>(plan: () => T): T {
    try {
        return plan();
    } catch (e) {
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}

/**
 * `kafka-env:userPasswords` as the component takes it: the user names plain, each password a secret.
 * Set whole as one secret string (not with `--path`), it is not a map and counts as none: its names
 * cannot reach the model either.
 */
function userPasswords(passwords: pulumi.Output<string> | undefined, names: unknown): Record<string, pulumi.Input<string>> | undefined {
    if (passwords === undefined || typeof names !== "object" || names === null) return undefined;
    const map = passwords.apply(passwordMap);
    return Object.fromEntries(Object.keys(names).map((name) => [name, map.apply((m) => m[name])]));
}

function passwordMap(json: string): Record<string, string> {
    try {
        const parsed: unknown = JSON.parse(json);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, string>;
    } catch {
        // Not a map: see userPasswords.
    }
    return {};
}

/** `kafka-env:userPasswords` with each password replaced by `true`: only the names reach the model. */
function userNames(json: string): unknown {
    try {
        const parsed: unknown = JSON.parse(json);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return Object.fromEntries(Object.keys(parsed).map((name) => [name, true]));
    } catch {
        // Not a map: the names cannot be known.
    }
    return true;
}
