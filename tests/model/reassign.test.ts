import { strict as assert } from "node:assert";
import { PartitionReplicas, drainPlan, parseDescribe, reassignmentJson, spreadPlan } from "../../components/model/reassign";

/** `audit`, 4 partitions, RF 3 on brokers 1-4, as Kafka assigns it: broker 4 holds replicas of 1, 2 and 3. */
const AUDIT: PartitionReplicas[] = [
    { topic: "audit", partition: 0, replicas: [1, 2, 3] },
    { topic: "audit", partition: 1, replicas: [2, 3, 4] },
    { topic: "audit", partition: 2, replicas: [3, 4, 1] },
    { topic: "audit", partition: 3, replicas: [4, 1, 2] },
];

const perBroker = (a: readonly PartitionReplicas[], brokers: number[]) => brokers.map((b) => a.filter((p) => p.replicas.includes(b)).length);

function apply(a: readonly PartitionReplicas[], moves: readonly PartitionReplicas[]): PartitionReplicas[] {
    return a.map((p) => moves.find((m) => m.topic === p.topic && m.partition === p.partition) ?? p);
}

describe("reassignment plans", () => {
    it("drains a leaving broker onto the ones that stay, keeping each replica's position", () => {
        const plan = drainPlan(AUDIT, [4], [1, 2, 3]);
        assert.deepEqual(plan.stuck, []);
        assert.deepEqual(plan.moves, [
            { topic: "audit", partition: 1, replicas: [2, 3, 1] },
            { topic: "audit", partition: 2, replicas: [3, 2, 1] },
            { topic: "audit", partition: 3, replicas: [3, 1, 2] },
        ]);
        const after = apply(AUDIT, plan.moves);
        assert.ok(after.every((p) => !p.replicas.includes(4) && new Set(p.replicas).size === 3));
    });

    it("names the partitions that cannot be drained (more replicas than brokers left)", () => {
        const plan = drainPlan(AUDIT, [3, 4], [1, 2]);
        assert.deepEqual(plan.stuck, ["audit-0 (replicas 1,2,3)", "audit-1 (replicas 2,3,4)", "audit-2 (replicas 3,4,1)", "audit-3 (replicas 4,1,2)"]);
    });

    it("leaves partitions off the leaving broker alone", () => {
        assert.deepEqual(drainPlan([{ topic: "t", partition: 0, replicas: [1, 2] }], [4], [1, 2, 3]).moves, []);
    });

    it("spreads replicas onto a new broker with few moves, until no broker holds two more than another", () => {
        const three = AUDIT.map((p) => ({ ...p, replicas: p.replicas.map((r) => (r === 4 ? ((p.partition + 2) % 3) + 1 : r)) }));
        assert.deepEqual(perBroker(three, [1, 2, 3, 4]), [4, 4, 4, 0]);
        const moves = spreadPlan(three, [1, 2, 3, 4]);
        const after = apply(three, moves);
        const counts = perBroker(after, [1, 2, 3, 4]);
        assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, counts.join(","));
        assert.equal(moves.length, 3, "three replicas move to broker 4, nothing else");
        assert.ok(after.every((p) => new Set(p.replicas).size === p.replicas.length));
        assert.deepEqual(spreadPlan(after, [1, 2, 3, 4]), [], "a balanced assignment stays");
    });

    it("reads kafka-topics --describe of Kafka 3.9 and 4.1 and writes the reassignment file", () => {
        const out = [
            "Topic: audit\tTopicId: x\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: ",
            "\tTopic: audit\tPartition: 1\tLeader: 2\tReplicas: 2,3,4\tIsr: 2,3,4",
            "\tTopic: audit\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2\tElr: \tLastKnownElr: ",
            "\tTopic: __consumer_offsets\tPartition: 0\tLeader: none\tReplicas: 3\tIsr: 3",
        ].join("\n");
        const parsed = parseDescribe(out);
        assert.deepEqual(parsed, [
            { topic: "__consumer_offsets", partition: 0, replicas: [3] },
            { topic: "audit", partition: 0, replicas: [1, 2, 3] },
            { topic: "audit", partition: 1, replicas: [2, 3, 4] },
        ]);
        assert.deepEqual(reassignmentJson(parsed.slice(0, 1)), { version: 1, partitions: [{ topic: "__consumer_offsets", partition: 0, replicas: [3] }] });
    });
});
