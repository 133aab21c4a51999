/**
 * Day-2 rules beyond restarts: brokers joining and leaving, Kafka version steps, and the changes a
 * running cluster cannot take (refused with what to do instead). Pure, like `restarts.ts`.
 */
import { Mode } from "./config";
import { ClusterModel, NodeModel, isBroker } from "./types";

export interface BrokerChanges {
    /** Broker ids only in `after`, ascending. */
    readonly added: readonly number[];
    /** Broker ids only in `before`, ascending: their replicas must move before they go. */
    readonly removed: readonly number[];
    /** Broker ids on both sides, ascending. */
    readonly kept: readonly number[];
}

export function brokerChanges(before: ClusterModel, after: ClusterModel): BrokerChanges {
    const ids = (m: ClusterModel) => m.nodes.filter(isBroker).map((n) => n.id);
    return brokerIdChanges(ids(before), ids(after));
}

/** `brokerChanges` between two lists of broker ids (a day-2 step's deployed and new inputs). */
export function brokerIdChanges(before: readonly number[], after: readonly number[]): BrokerChanges {
    const was = new Set(before);
    const is = new Set(after);
    const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
    return {
        added: sorted([...is].filter((id) => !was.has(id))),
        removed: sorted([...was].filter((id) => !is.has(id))),
        kept: sorted([...is].filter((id) => was.has(id))),
    };
}

/** A Kafka release line, `major.minor`. */
export interface KafkaVersion {
    readonly major: number;
    readonly minor: number;
}

/**
 * The Kafka release inside an image, from its tag: `apache/kafka:4.1.1` is 4.1; Confluent's
 * `cp-kafka:7.9.3` carries Kafka 3.9 (7.x ships 3.x, 8.x ships 4.x). Undefined when the tag
 * does not say (a digest, an unknown image).
 */
export function kafkaVersionOf(image: string): KafkaVersion | undefined {
    const colon = image.lastIndexOf(":");
    if (colon < 0 || image.includes("@")) return undefined;
    const repo = image.slice(0, colon);
    const m = /^(\d+)\.(\d+)/.exec(image.slice(colon + 1));
    if (!m) return undefined;
    const [major, minor] = [Number(m[1]), Number(m[2])];
    if (/(^|\/)cp-kafka$/.test(repo)) return major >= 7 ? { major: major - 4, minor } : undefined;
    if (/(^|\/)kafka$/.test(repo)) return { major, minor };
    return undefined;
}

export const showVersion = (v: KafkaVersion): string => `${v.major}.${v.minor}`;

const compare = (a: KafkaVersion, b: KafkaVersion) => a.major - b.major || a.minor - b.minor;

export type VersionStep =
    | { readonly kind: "none" }
    /** Roll every node onto the new image, then raise the cluster's version. */
    | { readonly kind: "upgrade"; readonly from: string; readonly to: string; readonly finalize: string }
    | { readonly kind: "refused"; readonly reason: string };

/** `inter.broker.protocol.version` as a release line: "3.8" and "3.8-IV0" are 3.8. */
function protocolVersion(value: string | undefined): KafkaVersion | undefined {
    const m = /^(\d+)\.(\d+)/.exec(value ?? "");
    return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/**
 * What a change of the Kafka image asks for beyond the roll. `protocol` is the brokers'
 * `inter.broker.protocol.version` after the change (ZooKeeper mode; undefined when not set).
 *
 * In ZooKeeper mode a broker speaks its release's inter-broker protocol unless the setting pins
 * an older one, and followers fetch at that protocol's version: during a roll from 3.8 to 3.9 an
 * upgraded broker could not replicate from the brokers not yet upgraded. So an upgrade is taken
 * only with the protocol pinned at the running release, Kafka's own two-roll procedure: the first
 * `pulumi up` rolls onto the new image, the second (pin removed) rolls again onto its protocol.
 */
export function versionStep(mode: Mode, beforeImage: string, afterImage: string, protocol?: string): VersionStep {
    if (beforeImage === afterImage) return { kind: "none" };
    const from = kafkaVersionOf(beforeImage);
    const to = kafkaVersionOf(afterImage);
    if (!from || !to || compare(from, to) === 0) return { kind: "none" };
    const recreate = `or recreate the cluster deliberately (see "Changing a running cluster" in the README)`;
    if (compare(to, from) < 0) {
        return {
            kind: "refused",
            reason:
                `images.kafka ${beforeImage} → ${afterImage} is a downgrade from Kafka ${showVersion(from)} to ${showVersion(to)}: ` +
                (mode === "kraft"
                    ? "the cluster's metadata.version may already be newer than the older release can read, and KRaft downgrades are not supported; "
                    : "brokers of the newer release may have written data or inter.broker.protocol.version the older one cannot read; ") +
                `keep ${beforeImage}, ${recreate}`,
        };
    }
    if (mode === "kraft") {
        return { kind: "upgrade", from: showVersion(from), to: showVersion(to), finalize: `kafka-features upgrade --metadata ${showVersion(to)}` };
    }
    const pinned = protocolVersion(protocol);
    if (!pinned || compare(pinned, from) > 0) {
        return {
            kind: "refused",
            reason:
                `images.kafka ${beforeImage} → ${afterImage} upgrades Kafka ${showVersion(from)} → ${showVersion(to)} in ZooKeeper mode ` +
                `${pinned ? `with inter.broker.protocol.version ${protocol}, newer than the running release` : "without pinning the inter-broker protocol"}: ` +
                `while the brokers roll, an upgraded broker could not replicate from the ones not yet upgraded. ` +
                `Set brokerConfig "inter.broker.protocol.version": "${showVersion(from)}" in the same change and run \`pulumi up\` (one roll onto the new image); ` +
                `then remove it (or set "${showVersion(to)}") and run \`pulumi up\` again (a second roll raises the protocol)`,
        };
    }
    return {
        kind: "upgrade",
        from: showVersion(from),
        to: showVersion(to),
        finalize: `remove brokerConfig inter.broker.protocol.version (pinned at ${protocol}) and run \`pulumi up\` again: a second roll raises the protocol to ${showVersion(to)}`,
    };
}

/** What decides whether a running cluster can take a change: small, so it can be kept in state. */
export interface Day2Facts {
    readonly mode: Mode;
    readonly clusterId?: string;
    /** `controller.quorum.voters` (KRaft). */
    readonly voters?: string;
    readonly zookeeperNodes: number;
    /** The brokers' image. */
    readonly kafkaImage?: string;
    /** The brokers' `inter.broker.protocol.version` (ZooKeeper mode), when set. */
    readonly interBrokerProtocol?: string;
    /** Any `security` setting is on (set only then). */
    readonly secured?: true;
}

export function day2Facts(m: ClusterModel): Day2Facts {
    const protocol = m.mode === "zookeeper" ? m.nodes.find(isBroker)?.properties["inter.broker.protocol.version"] : undefined;
    return {
        mode: m.mode,
        clusterId: m.clusterId,
        voters: m.nodes.find((n) => n.roles.includes("controller"))?.properties["controller.quorum.voters"],
        zookeeperNodes: m.nodes.filter((n) => n.roles.includes("zookeeper")).length,
        kafkaImage: m.nodes.find(isBroker)?.image,
        // Only when set: a guard deployed before this fact existed sees no change.
        ...(protocol === undefined ? {} : { interBrokerProtocol: protocol }),
        ...(m.security ? { secured: true as const } : {}),
    };
}

/** Changes a running cluster cannot take in place, each with what to do instead. */
export function refusedChanges(before: ClusterModel, after: ClusterModel): string[] {
    return refusedFacts(day2Facts(before), day2Facts(after));
}

/** What the cluster guard refuses to apply: its reasons, in the order `refusals` finds them. */
export function refusedFacts(before: Day2Facts, after: Day2Facts): string[] {
    return refusals(before, after).map((r) => r.reason);
}

/** The facts a refusal is about: `kafkaImage` stands for the version step (image and protocol). */
export type RefusedFact = keyof Pick<Day2Facts, "mode" | "clusterId" | "voters" | "zookeeperNodes" | "kafkaImage" | "secured">;

export interface Refusal {
    readonly fact: RefusedFact;
    /** What is refused and what to do instead, as the guard says it. */
    readonly reason: string;
}

/** Each change a running cluster cannot take, with the fact that changed. */
export function refusals(before: Day2Facts, after: Day2Facts): Refusal[] {
    const refused: Refusal[] = [];
    const recreate = `to start over, run \`pulumi destroy\` (this deletes every volume and all data) and then \`pulumi up\``;
    if (before.mode !== after.mode) {
        refused.push({
            fact: "mode",
            reason:
                `mode ${before.mode} → ${after.mode} on a cluster that holds data: the brokers' data directories and metadata belong to ${before.mode} mode ` +
                `and the nodes would crash-loop; keep mode "${before.mode}", or ${recreate}, or deploy the new mode as a new stack (another cluster.name) and move the data with MirrorMaker`,
        });
        return refused;
    }
    if (before.clusterId !== after.clusterId) {
        refused.push({
            fact: "clusterId",
            reason: `kraft.clusterId ${before.clusterId} → ${after.clusterId}: the volumes are formatted for the old id and the nodes would refuse to start; keep the old id, or ${recreate}`,
        });
    }
    if (before.mode === "kraft" && before.voters !== after.voters) {
        refused.push({
            fact: "voters",
            reason:
                `the KRaft controller quorum changes (controller.quorum.voters ${before.voters} → ${after.voters}): a static quorum cannot gain or lose voters by a restart; ` +
                `keep kraft.controllers and kraft.dedicatedControllers as they are (set kraft.controllers explicitly when changing brokers), or ${recreate}`,
        });
    }
    if (before.zookeeperNodes !== after.zookeeperNodes) {
        refused.push({
            fact: "zookeeperNodes",
            reason: `zookeeper.nodes ${before.zookeeperNodes} → ${after.zookeeperNodes}: resizing the ensemble by restarts can split it; keep ${before.zookeeperNodes}, or ${recreate}`,
        });
    }
    const step = versionStep(before.mode, before.kafkaImage ?? "", after.kafkaImage ?? "", after.interBrokerProtocol);
    if (step.kind === "refused") refused.push({ fact: "kafkaImage", reason: step.reason });
    if (before.secured !== after.secured) refused.push({ fact: "secured", reason: securityToggleReason(after.secured === true, before.mode) });
    return refused;
}

/**
 * Why security cannot be turned on or off by a roll: inter-broker traffic moves between INTERNAL and
 * REPLICATION, and the controllers' listener changes protocol, while half the nodes still speak the
 * other way (a broker that loses the controllers is fenced, and its partitions go offline).
 */
function securityToggleReason(on: boolean, mode: Mode): string {
    const cut = mode === "kraft" ? "cutting brokers off from the controllers and from each other" : "cutting brokers off from each other";
    const traffic = mode === "kraft" ? "inter-broker and controller traffic" : "inter-broker traffic";
    return (
        `security ${on ? "on a running unsecured cluster" : "off on a running secured cluster"} would move ${traffic} ${on ? "to" : "off"} TLS in one roll, ${cut} mid-roll; ` +
        `keep cluster.security as it is, or deploy the ${on ? "secured" : "unsecured"} cluster as a new stack (another cluster.name), move clients and data to it ` +
        `(MirrorMaker 2), then destroy the old one; or run \`pulumi destroy\` (this deletes every volume and all data) and then \`pulumi up\``
    );
}

/** The broker node of `model` with id `id`. */
export function brokerById(model: ClusterModel, id: number): NodeModel | undefined {
    return model.nodes.find((n) => isBroker(n) && n.id === id);
}
