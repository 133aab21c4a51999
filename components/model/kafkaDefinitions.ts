/**
 * Kafka's own definitions of its topic configs and broker properties, per release line: each key's
 * type and what its validator accepts, as Kafka's `ConfigDef` declares them. The data files in
 * `kafkaConfigs/` are generated from Kafka's jars by `tools/kafka-configs/generate.sh` (each file
 * says so); nothing here is written by hand.
 *
 * A value is checked the way Kafka parses and validates it (`ConfigDef.parseType`, then the
 * validator), so what is refused here is what the broker would refuse when the topic is created or
 * the broker starts.
 */
import { kafkaVersionOf, showVersion } from "./day2";
import { editDistance } from "./shape";

export type ConfigType = "boolean" | "string" | "int" | "short" | "long" | "double" | "list" | "class" | "password";

/** One key as Kafka defines it. */
export interface Definition {
    readonly type: ConfigType;
    /** Topic configs: the broker property holding the cluster-wide default (`log.retention.ms`). */
    readonly broker?: string;
    /** Range bounds, as decimal strings (longs exceed JavaScript's safe integers). */
    readonly min?: string;
    readonly max?: string;
    /** Allowed values (of the string, or of each list item). */
    readonly in?: readonly string[];
    readonly ignoreCase?: boolean;
    readonly nonEmpty?: boolean;
    readonly noControlChars?: boolean;
    /** A validator of Kafka's own (not one of ConfigDef's kinds), by its description: only the type is checked. */
    readonly unchecked?: string;
}

export interface Definitions {
    /** The Kafka release the definitions were read from (`4.1.2`). */
    readonly kafka: string;
    readonly generatedBy: string;
    readonly topic: Readonly<Record<string, Definition>>;
    readonly broker: Readonly<Record<string, Definition>>;
}

/** The release lines whose definitions are known: cp-kafka 7.8/7.9 carry 3.8/3.9; apache/kafka 4.0/4.1. */
export const KAFKA_LINES = ["3.8", "3.9", "4.0", "4.1"] as const;

const loaded = new Map<string, Definitions>();

/** The definitions of one line, read on first use. */
export function definitionsOf(line: (typeof KAFKA_LINES)[number]): Definitions {
    let d = loaded.get(line);
    if (!d) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        d = require(`./kafkaConfigs/kafka-${line}.json`) as Definitions;
        loaded.set(line, d);
    }
    return d;
}

/** The definitions that apply to an image, and how messages name them. */
export interface Scope {
    /** `Kafka 4.1`; `Kafka 3.8 to 4.1` when the image's line is not known. */
    readonly label: string;
    /** One line when the image's is known; every known line otherwise, newest last. */
    readonly lines: readonly { readonly line: string; readonly label: string; readonly defs: Definitions }[];
}

/**
 * The image's line when its tag names a known one; otherwise every known line, so that only what
 * all of them refuse is refused (a digest, a private image, a line not generated yet).
 */
export function scopeOf(image: string): Scope {
    const version = kafkaVersionOf(image);
    const line = version && KAFKA_LINES.find((l) => l === showVersion(version));
    return line ? { label: `Kafka ${line}`, lines: [lineEntry(line)] } : everyLine();
}

/** Every known line, oldest first. */
export function everyLine(): Scope {
    return { label: `Kafka ${KAFKA_LINES[0]} to ${KAFKA_LINES[KAFKA_LINES.length - 1]}`, lines: KAFKA_LINES.map(lineEntry) };
}

const lineEntry = (line: (typeof KAFKA_LINES)[number]) => ({ line, label: `Kafka ${line}`, defs: definitionsOf(line) });

const JAVA_RANGES: Partial<Record<ConfigType, readonly [bigint, bigint]>> = {
    short: [-(2n ** 15n), 2n ** 15n - 1n],
    int: [-(2n ** 31n), 2n ** 31n - 1n],
    long: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** Java's `Integer.parseInt`/`Long.parseLong` syntax, after `ConfigDef` trims the value. */
const WHOLE = /^[+-]?\d+$/;
/** `Double.parseDouble`, without its rarer forms (hexadecimal, a trailing `d`). */
const DECIMAL = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)$/;

/**
 * Why Kafka refuses `value` for `key`, as the end of a sentence (`retention.ms must be at least -1`),
 * or undefined when Kafka accepts it.
 */
export function refusal(key: string, d: Definition, value: string): string | undefined {
    const v = value.trim();
    const range = JAVA_RANGES[d.type];
    if (range) {
        if (!WHOLE.test(v)) return `${key} is a whole number${unitHint(key, v)}`;
        const n = BigInt(v);
        if (n < range[0] || n > range[1]) return `${key} is a whole number from ${range[0]} to ${range[1]}`;
        return rangeRefusal(
            key,
            d,
            (bound) => n >= BigInt(bound),
            (bound) => n <= BigInt(bound),
        );
    }
    switch (d.type) {
        case "double": {
            if (!DECIMAL.test(v)) return `${key} is a number`;
            const n = Number(v);
            return rangeRefusal(
                key,
                d,
                (bound) => n >= Number(bound),
                (bound) => n <= Number(bound),
            );
        }
        case "boolean":
            return ["true", "false"].includes(v.toLowerCase()) ? undefined : `${key} is "true" or "false"`;
        case "list": {
            const items = v === "" ? [] : v.split(/\s*,\s*/);
            const bad = d.in ? items.find((item) => !allowed(d, item)) : undefined;
            if (bad !== undefined) return `${key} is a comma-separated list of ${d.in!.map(quote).join(", ")}${guess(bad, d.in!)}`;
            return undefined;
        }
        case "string":
            if (d.in && !allowed(d, v)) return `${key} is one of ${d.in.map(quote).join(", ")}${d.ignoreCase ? " (in any case)" : ""}${guess(v, d.in)}`;
            if (d.nonEmpty && v === "") return `${key} must not be empty`;
            if (d.noControlChars && /[\u0000-\u001f\u007f]/.test(v)) return `${key} must not contain control characters`;
            return undefined;
        default:
            return undefined;
    }
}

function rangeRefusal(key: string, d: Definition, atLeast: (b: string) => boolean, atMost: (b: string) => boolean): string | undefined {
    const low = d.min !== undefined && !atLeast(d.min);
    const high = d.max !== undefined && !atMost(d.max);
    if (!low && !high) return undefined;
    if (d.min !== undefined && d.max !== undefined) return `${key} must be from ${d.min} to ${d.max}`;
    return low ? `${key} must be at least ${d.min}` : `${key} must be at most ${d.max}`;
}

const allowed = (d: Definition, v: string) => (d.ignoreCase ? d.in!.some((x) => x.toLowerCase() === v.toLowerCase()) : d.in!.includes(v));

const quote = (s: string) => `"${s}"`;

/** `: did you mean "compact"?` when one allowed value is near. */
function guess(value: string, candidates: readonly string[]): string {
    const v = value.toLowerCase();
    const near = candidates.filter((c) => {
        const l = c.toLowerCase();
        return (v !== "" && (l.startsWith(v) || v.startsWith(l))) || editDistance(v, l) <= 2;
    });
    return near.length === 1 ? `: did you mean "${near[0]}"?` : "";
}

const SIZE_UNITS: Readonly<Record<string, number>> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
const TIME_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A size or duration written with a unit (`1GB`, `7d`), in the number Kafka wants. */
function unitHint(key: string, v: string): string {
    const m = /^(\d+)\s*([a-zA-Z]+)$/.exec(v);
    if (!m) return "";
    const [n, unit] = [Number(m[1]), m[2].toLowerCase()];
    const sizeUnit = SIZE_UNITS[unit.replace(/i?b$/, "")];
    if (/bytes$/.test(key) && sizeUnit !== undefined) {
        return ` of bytes: write "${n * sizeUnit}" for ${n} ${unit.replace(/i?b$/, "").toUpperCase()}iB`;
    }
    if (/\.ms$/.test(key) && TIME_UNITS[unit] !== undefined) return ` of milliseconds: write "${n * TIME_UNITS[unit]}" for ${n} ${unit}`;
    return "";
}
