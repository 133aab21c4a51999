/**
 * The one way to write a dynamic resource: the diff every resource shares, outputs the engine can
 * encode, refusals as `check` failures, and a refusal thrown from an update printed as its message.
 */
import { strict as assert } from "node:assert";
import { inputsDiff, outputs } from "../../components/dynamic/diff";
import { isRefusal, refusal } from "../../components/dynamic/refusal";
import { dynamicProvider } from "../../components/dynamic/resource";

interface Counted {
    readonly n: number;
    readonly note?: string;
    readonly lastRun?: string;
}

describe("dynamic resources: the shared provider", () => {
    it("an update when an input changed, never a replacement; key order, the provider's code and outputs-only keys do not count", async () => {
        const olds = { a: 1, b: { y: [1, 2], x: "s" }, __provider: "old code", lastRun: "then" };
        assert.deepEqual(await inputsDiff(olds, { ...olds, a: 2 }), { changes: true, replaces: [], deleteBeforeReplace: false });
        assert.equal((await inputsDiff(olds, { b: { x: "s", y: [1, 2] }, a: 1, __provider: "new code", lastRun: "then" })).changes, false);
        assert.equal((await inputsDiff(olds, { ...olds, lastRun: "now" }, ["lastRun"])).changes, false);
        assert.equal((await inputsDiff(olds, { ...olds, lastRun: "now" })).changes, true, "an outputs-only key is declared, not guessed");
        assert.equal((await inputsDiff({ a: 1 }, { a: 1, b: undefined })).changes, false, "an undefined input is no input");
    });

    it("an update falls due without an input change when the spec says so (a certificate near its expiry)", async () => {
        const provider = dynamicProvider<Counted>({ id: () => "c", outputsOnly: ["lastRun"], due: (olds) => olds.lastRun === "long ago" });
        const diff = (olds: Counted, news: Counted) => provider.diff!("c", olds, news);
        assert.equal((await diff({ n: 1, lastRun: "long ago" }, { n: 1 })).changes, true);
        assert.equal((await diff({ n: 1, lastRun: "today" }, { n: 1 })).changes, false);
        assert.deepEqual(await diff({ n: 1, lastRun: "today" }, { n: 2 }), { changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("outputs drop undefined values (protobuf's Struct refuses them)", () => {
        assert.deepEqual(outputs({ a: 1, b: undefined, c: null }), { a: 1, c: null });
    });

    it("create, update and delete run the spec's steps; outputs without undefined; the id from the inputs", async () => {
        const deleted: Counted[] = [];
        const provider = dynamicProvider<Counted>({
            id: (inputs) => `counted-${inputs.n}`,
            outputsOnly: ["lastRun"],
            update: (olds, news) => Promise.resolve({ ...news, lastRun: `${olds.n} → ${news.n}`, note: undefined }),
            delete: (props) => {
                deleted.push(props);
                return Promise.resolve();
            },
        });
        assert.deepEqual(await provider.create({ n: 1, note: undefined }), { id: "counted-1", outs: { n: 1 } });
        assert.deepEqual(await provider.update!("counted-1", { n: 1 }, { n: 2, note: "x" }), { outs: { n: 2, lastRun: "1 → 2" } });
        assert.equal((await provider.diff!("counted-1", { n: 2, lastRun: "1 → 2" }, { n: 2 })).changes, false);
        await provider.delete!("counted-2", { n: 2 });
        assert.deepEqual(deleted, [{ n: 2 }]);
        assert.equal(provider.check, undefined, "no check without refusals: the engine takes the inputs as they are");
    });

    it("refusals fail check (preview and up stop before anything runs), never on a first deployment", async () => {
        const provider = dynamicProvider<Counted>({
            id: () => "c",
            refuse: { property: "n", reasons: (olds, news) => (olds.n !== undefined && news.n < olds.n ? [`n ${olds.n} → ${news.n}: keep ${olds.n}`] : []) },
        });
        assert.deepEqual(await provider.check!({}, { n: 1 }), { inputs: { n: 1 }, failures: [] });
        assert.deepEqual((await provider.check!({ n: 3 }, { n: 2 })).failures, [{ property: "n", reason: "n 3 → 2: keep 3" }]);
    });

    it("a refusal thrown while checking becomes a check failure, not a stack trace; other errors stay errors", async () => {
        const provider = dynamicProvider<Counted>({
            id: () => "c",
            refuse: {
                property: "n",
                reasons: (_olds, news) => {
                    if (news.n < 0) throw new Error("a bug");
                    throw refusal("kafka-env: cannot do that; do this instead");
                },
            },
        });
        assert.deepEqual((await provider.check!({ n: 1 }, { n: 2 })).failures, [{ property: "n", reason: "kafka-env: cannot do that; do this instead" }]);
        await assert.rejects(provider.check!({ n: 1 }, { n: -1 }), /a bug/);
    });

    it("a refusal thrown from an update reaches the user as its message alone, however the host prints it", async () => {
        const message = "kafka-env: cannot remove broker 4: 2 partition(s) have more replicas than the 3 broker(s) that stay. Nothing was moved or removed.";
        const provider = dynamicProvider<Counted>({ id: () => "c", update: () => Promise.reject(refusal(message)) });
        await assert.rejects(provider.update!("c", { n: 1 }, { n: 2 }), (e: Error) => {
            assert.ok(isRefusal(e));
            // The provider host sends `e.message` back for create and update; its uncaught handler prints `e.stack || e.message`.
            assert.equal(e.message, message);
            assert.equal(e.stack, message, "no stack frames");
            return true;
        });
        assert.ok(!isRefusal(new Error(message)));
    });
});
