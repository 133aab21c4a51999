import { strict as assert } from "node:assert";
import { topicGuardProvider } from "../../components/guards/topicGuard";
import { refusedTopicChanges } from "../../components/model/topicGuard";

describe("topic guard: partition decreases are refused before any topic is touched", () => {
    it("refuses a decrease with the counts and what to do; increases, new and removed topics pass", () => {
        assert.deepEqual(refusedTopicChanges({ orders: 3, events: 2, gone: 4 }, { orders: 3, events: 5, added: 1 }), []);
        const [line, ...rest] = refusedTopicChanges({ orders: 3, events: 2 }, { orders: 2, events: 1 });
        assert.equal(rest.length, 1);
        assert.match(line, /^refused: events has 2 partitions and the config asks for 1; Kafka cannot remove partitions/);
        assert.match(line, /Keep 2, or recreate it deliberately: remove the topic from the stack \(protectTopics: false\), pulumi up, then add it back\.$/);
    });

    it("a re-added topic is a new topic: its old count no longer binds", () => {
        assert.deepEqual(refusedTopicChanges({}, { orders: 1 }), []);
    });

    it("the dynamic provider's check fails with the refusals against its previous inputs, not on create", async () => {
        const check = topicGuardProvider.check!.bind(topicGuardProvider);
        assert.deepEqual((await check({}, { partitions: { orders: 1 } })).failures, []);
        const { failures } = await check({ partitions: { orders: 3 } }, { partitions: { orders: 2 } });
        assert.equal(failures!.length, 1);
        assert.equal(failures![0].property, "partitions");
        assert.match(failures![0].reason, /^refused: orders has 3 partitions and the config asks for 2/);
        const diff = topicGuardProvider.diff!.bind(topicGuardProvider);
        assert.equal((await diff("topics", { partitions: { a: 1, b: 2 } }, { partitions: { b: 2, a: 1 } })).changes, false);
        assert.equal((await diff("topics", { partitions: { a: 1 } }, { partitions: { a: 2 } })).changes, true);
    });
});
