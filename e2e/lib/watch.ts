/**
 * Watching a cluster through a change, once a second: how long some partition of a topic had no
 * leader (as the brokers' metadata says), and how few brokers were running at once.
 * The producer's own view of the outage is the verifier's `longestAckGap`.
 */
import { docker } from "./docker";
import { Brokers, PartitionInfo, clusterPartitions } from "./kafka";

export interface WatchReport {
    /** Longest stretch during which some partition of the topic had no leader, seconds. */
    readonly longestLeaderlessSeconds: number;
    /** All the time some partition had no leader, seconds. */
    readonly leaderlessSeconds: number;
    /** Time no bootstrap broker answered a metadata request, seconds. */
    readonly unansweredSeconds: number;
    /** Fewest brokers running at one time. */
    readonly fewestRunning: number;
    readonly seconds: number;
}

export class Watch {
    private stopped = false;
    private readonly start = Date.now();
    private leaderless = 0;
    private longestLeaderless = 0;
    private leaderlessSince?: number;
    private unanswered = 0;
    private fewestRunning = Number.MAX_SAFE_INTEGER;
    private readonly loop: Promise<void>;

    /** `brokersUp` counts the brokers running now (Docker: `runningBrokers(environment)`; Kubernetes: Ready pods). */
    constructor(
        private readonly bootstrapServers: Brokers,
        private readonly topic: string,
        private readonly brokersUp: () => number,
    ) {
        this.loop = this.run();
    }

    async stop(): Promise<WatchReport> {
        this.stopped = true;
        await this.loop;
        this.endLeaderless(Date.now());
        return {
            longestLeaderlessSeconds: this.longestLeaderless / 1000,
            leaderlessSeconds: this.leaderless / 1000,
            unansweredSeconds: this.unanswered / 1000,
            fewestRunning: this.fewestRunning,
            seconds: (Date.now() - this.start) / 1000,
        };
    }

    private endLeaderless(now: number): void {
        if (this.leaderlessSince === undefined) return;
        this.longestLeaderless = Math.max(this.longestLeaderless, now - this.leaderlessSince);
        this.leaderlessSince = undefined;
    }

    private async run(): Promise<void> {
        while (!this.stopped) {
            const t0 = Date.now();
            const partitions = await clusterPartitions(this.bootstrapServers);
            const now = Date.now();
            if (partitions === undefined) {
                this.unanswered += now - t0;
            } else if (partitions.some((p) => p.topic === this.topic && p.leader < 0)) {
                this.leaderlessSince ??= t0;
                this.leaderless += now - t0;
            } else {
                this.endLeaderless(t0);
            }
            this.fewestRunning = Math.min(this.fewestRunning, this.brokersUp());
            await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t0))));
        }
    }
}

/** The broker containers of an environment (`kafka-env.environment` label) running now. */
export function runningBrokers(environment: string): number {
    const roles = docker(
        ["ps", "--filter", `label=kafka-env.environment=${environment}`, "--filter", "status=running", "--format", '{{.Label "kafka-env.roles"}}'],
        { allowFailure: true },
    );
    return roles.split("\n").filter((r) => r.split(",").includes("broker")).length;
}

/** Partitions not fully in sync or without a leader, or naming a broker not in `brokers`. */
export function replicationProblems(partitions: readonly PartitionInfo[], brokers: readonly number[]): string[] {
    const problems: string[] = [];
    for (const p of partitions) {
        const where = `${p.topic}-${p.partition} replicas [${p.replicas.join(",")}] isr [${p.isr.join(",")}] leader ${p.leader}`;
        if (p.isr.length !== p.replicas.length || p.leader < 0) problems.push(`${where}: not fully in sync`);
        else if (p.replicas.some((r) => !brokers.includes(r))) problems.push(`${where}: names a broker not in ${brokers.join(",")}`);
    }
    return problems;
}

/** The partitions (`topic-n`) with a replica on `broker`, sorted. */
export function replicasOn(partitions: readonly PartitionInfo[], broker: number): string[] {
    return partitions
        .filter((p) => p.replicas.includes(broker))
        .map((p) => `${p.topic}-${p.partition}`)
        .sort();
}
