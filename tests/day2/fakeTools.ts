/**
 * A stand-in for `KafkaTools`: records every run (what, script, variables) and answers a
 * `kafka-topics --describe` with the assignment it was given, anything else with nothing.
 */
import { KafkaTools } from "../../components/day2/tools";

export interface ToolRun {
    readonly what: string;
    readonly script: string;
    readonly env?: Readonly<Record<string, string>>;
}

export function fakeTools(bootstrap: string, describeOutput: string, runs: ToolRun[] = []): { tools: KafkaTools; runs: ToolRun[] } {
    const tools: KafkaTools = {
        admin: { bootstrap },
        run: (what, script, env) => {
            runs.push({ what, script, env });
            return Promise.resolve(what === "describe" ? describeOutput : "");
        },
    };
    return { tools, runs };
}

/** `kafka-topics --describe` lines for [topic, partition, replicas]. */
export const describeLines = (rows: [string, number, number[]][]) =>
    rows.map(([t, p, r]) => `\tTopic: ${t}\tPartition: ${p}\tLeader: ${r[0]}\tReplicas: ${r.join(",")}\tIsr: ${r.join(",")}`).join("\n");
