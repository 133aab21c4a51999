/**
 * How long evaluating the program under mocks takes, small and large:
 *   3 brokers /    10 topics
 *   9 brokers / 1,000 topics
 * Prints wall times (median of a few runs), resources registered, and the ratios. Target: the large
 * case under 5 s, and time per topic no worse than linear (large/small time ratio close to the
 * topic ratio or below). Run with `npm run bench`.
 */
import { deployEnvironment } from "../components/stackConfig";
import { runMocked } from "../tools/graph/mocks";

interface Case {
    readonly label: string;
    readonly brokers: number;
    readonly topics: number;
}

const CASES: Case[] = [
    { label: "3 brokers / 10 topics", brokers: 3, topics: 10 },
    { label: "9 brokers / 1,000 topics", brokers: 9, topics: 1000 },
];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function config(c: Case): Record<string, string> {
    const cluster = {
        name: "bench",
        mode: "kraft",
        brokers: c.brokers,
        topics: Array.from({ length: c.topics }, (_, i) => ({ name: `topic-${String(i).padStart(4, "0")}`, partitions: 3 })),
    };
    return { "kafka-env:target": "docker", "kafka-env:cluster": JSON.stringify(cluster) };
}

async function measure(c: Case): Promise<{ ms: number; resources: number }> {
    const times: number[] = [];
    let resources = 0;
    for (let i = 0; i < RUNS; i++) {
        const start = process.hrtime.bigint();
        const run = await runMocked(config(c), deployEnvironment, { stack: "bench" });
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        resources = run.resources.length;
    }
    times.sort((a, b) => a - b);
    return { ms: times[Math.floor(times.length / 2)], resources };
}

async function main() {
    const results = [];
    for (const c of CASES) {
        const r = await measure(c);
        results.push(r);
        console.log(`${c.label.padEnd(26)} ${r.ms.toFixed(0).padStart(6)} ms  (${r.resources} resources, median of ${RUNS})`);
    }
    const [small, large] = results;
    const timeRatio = large.ms / small.ms;
    const topicRatio = CASES[1].topics / CASES[0].topics;
    console.log(`time ratio large/small: ${timeRatio.toFixed(1)}x for ${topicRatio}x the topics`);
    console.log(`per topic: small ${(small.ms / CASES[0].topics).toFixed(2)} ms, large ${(large.ms / CASES[1].topics).toFixed(2)} ms`);
    console.log(`large case ${large.ms < 5000 ? "within" : "OVER"} the 5 s target`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
