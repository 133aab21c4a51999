/**
 * Topic settings that can lose data or acknowledged writes when they change, and the broker
 * defaults behind them: a topic without its own `retention.ms` keeps what `log.retention.*` says.
 * Values are compared as Kafka applies them (the topic's own value, else the broker's, else Kafka's).
 */

type Props = Readonly<Record<string, string>>;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface Setting {
    /** The broker properties that hold this setting's default, most specific first. */
    readonly brokerKeys: readonly string[];
    /** The broker-level default, from the broker's properties. */
    brokerDefault(broker: Props): string;
    /** Why going from `before` to `after` (effective values) is dangerous; undefined when it is not. */
    risk(before: string, after: string): string | undefined;
}

const lowered = (show: (v: string) => string, what: (after: string) => string) => (before: string, after: string) => {
    const n = (v: string) => (Number(v) < 0 ? Infinity : Number(v));
    return n(after) < n(before) ? `retention ${show(before)} → ${show(after)}: ${what(after)}` : undefined;
};

const SETTINGS: Readonly<Record<string, Setting>> = {
    "retention.ms": {
        brokerKeys: ["log.retention.ms", "log.retention.minutes", "log.retention.hours"],
        brokerDefault: (b) =>
            b["log.retention.ms"] ??
            (b["log.retention.minutes"] !== undefined ? String(Number(b["log.retention.minutes"]) * 60_000) : undefined) ??
            String(Number(b["log.retention.hours"] ?? "168") * HOUR_MS),
        risk: lowered(duration, (after) => `records older than ${duration(after)} are deleted`),
    },
    "retention.bytes": {
        brokerKeys: ["log.retention.bytes"],
        brokerDefault: (b) => b["log.retention.bytes"] ?? "-1",
        risk: lowered(bytes, (after) => `each partition keeps at most ${bytes(after)}, older segments are deleted`),
    },
    "cleanup.policy": {
        brokerKeys: ["log.cleanup.policy"],
        brokerDefault: (b) => b["log.cleanup.policy"] ?? "delete",
        risk: (before, after) => (before === after ? undefined : `cleanup.policy ${before} → ${after}: ${cleanupChange(before, after)}`),
    },
    "unclean.leader.election.enable": {
        brokerKeys: ["unclean.leader.election.enable"],
        brokerDefault: (b) => b["unclean.leader.election.enable"] ?? "false",
        risk: (before, after) =>
            after === "true" && before !== "true"
                ? "unclean leader election on: an out-of-sync replica may become leader, and acknowledged writes can be lost"
                : undefined,
    },
};

function cleanupChange(before: string, after: string): string {
    const has = (v: string, p: string) => v.split(",").includes(p);
    if (has(after, "compact") && !has(before, "compact"))
        return "compaction keeps only the latest record of each key (older ones are deleted) and refuses records without a key";
    if (has(before, "compact") && !has(after, "compact"))
        return "records are now deleted by retention instead of kept per key: the latest value of a key expires too";
    return "records kept so far may be deleted";
}

export const topicSettings = {
    /** Why changing a topic's own `property` is dangerous, or undefined. */
    topicRisk(property: string, brokerBefore: Props, brokerAfter: Props, before?: string, after?: string): string | undefined {
        const s = SETTINGS[property];
        return s?.risk(before ?? s.brokerDefault(brokerBefore), after ?? s.brokerDefault(brokerAfter));
    },
    /** Why changing the broker property `property` (a topic default) is dangerous, or undefined. */
    brokerDefaultRisk(property: string, brokerBefore: Props, brokerAfter: Props): string | undefined {
        const s = Object.values(SETTINGS).find((x) => x.brokerKeys.includes(property));
        return s?.risk(s.brokerDefault(brokerBefore), s.brokerDefault(brokerAfter));
    },
};

/** `86400000` -> `1 d`, `-1` -> `unlimited`. */
export function duration(ms: string): string {
    const n = Number(ms);
    if (n < 0) return "unlimited";
    for (const [unit, size] of [
        ["d", DAY_MS],
        ["h", HOUR_MS],
        ["min", 60_000],
        ["s", 1000],
    ] as const) {
        if (n >= size && n % size === 0) return `${n / size} ${unit}`;
    }
    return `${n} ms`;
}

/** `1073741824` -> `1 GiB`, `-1` -> `unlimited`. */
export function bytes(value: string): string {
    const n = Number(value);
    if (n < 0) return "unlimited";
    for (const [unit, size] of [
        ["TiB", 2 ** 40],
        ["GiB", 2 ** 30],
        ["MiB", 2 ** 20],
        ["KiB", 2 ** 10],
    ] as const) {
        if (n >= size && n % size === 0) return `${n / size} ${unit}`;
    }
    return `${n} B`;
}
