/**
 * How the day-2 steps (e2e/day2/steps.ts) measure a change: the change runs while Kafka's
 * VerifiableProducer writes through it (acks=all, idempotent; see lib/verifier.ts); every
 * acknowledged value must be read back by VerifiableConsumer and every partition must end fully
 * replicated on the brokers that remain. One row of figures per change is printed and written to
 * `.e2e/day2.json`. Also what the steps read to check a change: the preview's steps, the broker
 * set's last reassignment, the cluster's partitions.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { docker } from "../lib/docker";
import { Brokers, clusterPartitions } from "../lib/kafka";
import { PROJECT_DIR, PulumiStack } from "../lib/pulumi";
import { StackLogins, brokerToolArgs } from "../lib/security";
import { Ack, ToolPlace, VerifiableProducer, longestAckGap, readBack, verify } from "../lib/verifier";
import { Watch, WatchReport, replicationProblems, runningBrokers } from "../lib/watch";

/** The cluster the steps change: created by the scenario, three brokers, topic `d2-orders`. */
export interface Day2Cluster {
    readonly mode: "zookeeper" | "kraft";
    readonly stack: PulumiStack;
    /** `cluster.name`: the container prefix and network. */
    readonly env: string;
    /** The image Kafka's tools run from, on the cluster network. */
    readonly toolImage: string;
    /** The outputs `bootstrapServers` and `internalBootstrapServers`, once the cluster is up. */
    readonly outputs: () => Readonly<Record<string, string>>;
    /** How clients log in, on a secured stack (read from its outputs once it is up). */
    readonly logins: () => StackLogins | undefined;
}

export const TOPIC = "d2-orders";
/** Sends per second: enough to see a stall, little enough for two shared cores. */
const THROUGHPUT = 100;
const RESULTS = path.join(PROJECT_DIR, ".e2e", "day2.json");

export interface Row {
    readonly mode: string;
    readonly change: string;
    readonly seconds: number;
    readonly acknowledged: number;
    readonly lost: number;
    readonly duplicated: number;
    readonly sendErrors: number;
    /** Longest time a partition went without an acknowledged send. */
    readonly longestAckGapSeconds: number;
    /** Longest stretch with some partition of the topic without a leader (metadata, once a second). */
    readonly longestLeaderlessSeconds: number;
    readonly fewestBrokersRunning: number;
    readonly reassignment?: string;
}
const results: Row[] = [];

/** Writes the rows of every mode run so far to `.e2e/day2.json` and prints them as a table. */
export function reportDay2(): void {
    if (results.length === 0) return;
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + "\n");
    console.log("\n  mode | change | s | acknowledged | lost | longest ack gap s | longest leaderless s | fewest brokers | reassignment");
    for (const r of results) {
        console.log(
            `  ${r.mode} | ${r.change} | ${r.seconds} | ${r.acknowledged} | ${r.lost} | ${r.longestAckGapSeconds} | ${r.longestLeaderlessSeconds} | ${r.fewestBrokersRunning} | ${r.reassignment ?? ""}`,
        );
    }
}

/**
 * Runs one of Kafka's tools in a broker container of either image family, against that broker as
 * the broker itself (`brokerToolArgs`), then `args`.
 */
export function execKafka(container: string, tool: string, args: string, secured: boolean): string {
    return docker(["exec", container, "bash", "-c", `t=$(command -v ${tool} || echo /opt/kafka/bin/${tool}.sh); "$t" ${brokerToolArgs(secured)} ${args}`]);
}

/** The measuring of one mode's day-2 steps, on the cluster `m`. */
export function day2Measure(m: Day2Cluster) {
    const stack = m.stack;
    const bootstrap = (): Brokers => ({ servers: m.outputs().bootstrapServers, login: m.logins()?.admin });
    const place = (): ToolPlace => ({
        network: m.env,
        image: m.toolImage,
        bootstrap: m.outputs().internalBootstrapServers,
        login: m.logins()?.admin,
    });
    /** Every value acknowledged in any step, checked again at the end. */
    const allAcks: Ack[] = [];
    let step = 0;

    /**
     * Runs `change` with a producer writing through it (a few hundred acknowledged sends before
     * and after); checks that every acknowledged value is read back and that every partition is
     * fully replicated on `brokers` alone.
     */
    async function through(change: string, run: () => Promise<unknown>, brokers: number[]): Promise<Row> {
        step++;
        const producer = new VerifiableProducer(`${m.env}-verifier-producer`, place(), TOPIC, THROUGHPUT, step);
        producer.start();
        let w: WatchReport;
        try {
            await producer.waitForAcks(300);
            const watch = new Watch(bootstrap(), TOPIC, () => runningBrokers(m.env));
            try {
                await run();
                await producer.waitForAcks(300);
            } finally {
                w = await watch.stop();
            }
        } catch (e) {
            producer.stop();
            throw e;
        }
        const log = producer.stop();
        allAcks.push(...log.acks);
        const reads = await readBack(`${m.env}-verifier-consumer`, place(), TOPIC, new Set(allAcks.map((a) => a.value)).size);
        const verdict = verify(log.acks, reads);
        const row = {
            mode: m.mode,
            change,
            seconds: Math.round(w.seconds),
            acknowledged: verdict.acknowledged,
            lost: verdict.lost.length,
            duplicated: verdict.duplicated,
            sendErrors: log.errors,
            longestAckGapSeconds: Number(longestAckGap(log.acks).seconds.toFixed(1)),
            longestLeaderlessSeconds: Number(w.longestLeaderlessSeconds.toFixed(1)),
            fewestBrokersRunning: w.fewestRunning,
        };
        console.log(`      ${JSON.stringify(row)}`);
        assert.deepEqual(verdict.lost.slice(0, 20), [], `${verdict.lost.length} of ${verdict.acknowledged} acknowledged values were not read back`);
        assert.equal(verdict.duplicated, 0, "an idempotent producer writes no duplicates");
        assert.deepEqual(replicationProblems(await partitions(), brokers), [], "every partition fully replicated on the remaining brokers");
        return row;
    }

    function record(row: Row, reassignment?: string): Row {
        const r = { ...row, reassignment };
        results.push(r);
        if (reassignment) console.log(`      ${reassignment}`);
        return r;
    }

    async function partitions() {
        const p = await clusterPartitions(bootstrap());
        assert.ok(p, `the brokers at ${m.outputs().bootstrapServers} answer a metadata request`);
        return p;
    }

    /** The preview's steps as "op type name"; a replacement counts once, as `replace`. */
    function planned(): string[] {
        return stack
            .previewSteps()
            .filter(([op]) => op !== "create-replacement" && op !== "delete-replaced")
            .map((s) => s.join(" "));
    }

    /** What the broker set moved last, from the stack's state. */
    function lastReassignment(): string {
        const state = JSON.parse(stack.run(["stack", "export"]).stdout) as {
            deployment: {
                resources: { type: string; outputs?: Record<string, any> }[];
            };
        };
        const set = state.deployment.resources.find((x) => x.type === "pulumi-nodejs:dynamic/kafka-env:BrokerSet");
        const last = set?.outputs?.lastReassignment as { reason: string; partitions: number; seconds: number } | undefined;
        return last ? `reassignment "${last.reason}": ${last.partitions} partitions in ${last.seconds.toFixed(1)} s` : "no reassignment";
    }

    return { place, allAcks, through, record, partitions, planned, lastReassignment };
}
