/**
 * Configuration problems are collected, never thrown one by one: a user sees every mistake at once.
 */

/** One thing wrong with the configuration: the key, and a sentence with the value and the fix. */
export interface Problem {
    /** Dotted path of the offending key, e.g. `cluster.replication.minInsyncReplicas`. */
    readonly path: string;
    /** What is wrong and how to fix it. */
    readonly message: string;
}

/** Thrown before any resource is registered when the configuration has one or more problems. */
export class ConfigError extends Error {
    /** `subject` names what was configured: the stack's config, or a `KafkaEnvironment`'s arguments. */
    constructor(
        readonly problems: readonly Problem[],
        subject?: string,
    ) {
        super(formatProblems(problems, subject));
        this.name = "ConfigError";
    }
}

export function formatProblems(problems: readonly Problem[], subject = "kafka-env configuration"): string {
    const lines = problems.map((p) => `  - ${p.path}: ${p.message}`);
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    return `${subject} has ${count}:\n${lines.join("\n")}`;
}

/** Renders a config value for a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
    return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}
