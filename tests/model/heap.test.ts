/** `heapOpts` must be flags the JVM starts with (components/model/heap.ts): every rule, word for word. */
import { strict as assert } from "node:assert";
import { checkConfig } from "../../components/model";
import { heapSizes } from "../../components/model/heap";

const heapProblems = (heapOpts: string) =>
    checkConfig({ cluster: { heapOpts }, stack: "test", hasKafkaUiPassword: false }).problems.filter((p) => p.path === "cluster.heapOpts");

const CASES: [rule: string, heapOpts: string, message: string][] = [
    ["a bare size", "512m", 'is "512m", which is not a JVM flag (JVM flags start with "-"); for a 512m heap write "-Xmx512m -Xms512m"'],
    ["a bare size with a B", "2GB", 'is "2GB", which is not a JVM flag (JVM flags start with "-"); for a 2G heap write "-Xmx2G -Xms2G"'],
    [
        "words that are not flags",
        "foo -Xmx1g bar",
        'is "foo -Xmx1g bar", but "foo", "bar" are not JVM flags (JVM flags start with "-"); write JVM flags such as "-Xms512m -Xmx512m"',
    ],
    [
        "a quoted value the launcher splits",
        '-Xmx1g -Dx="a b"',
        'is "-Xmx1g -Dx="a b"", but "b"" is not a JVM flag (JVM flags start with "-"); write JVM flags such as "-Xms512m -Xmx512m"',
    ],
    [
        "a size the JVM does not read",
        "-Xms512m -Xmx512mb",
        'is "-Xms512m -Xmx512mb", but "-Xmx512mb" is not a size the JVM reads; write a whole number with k, m or g, such as "-Xmx512m"',
    ],
    [
        "an initial heap above the maximum",
        "-Xms1g -Xmx512m",
        'is "-Xms1g -Xmx512m": the initial heap (-Xms) is above the maximum (-Xmx), and the JVM would not start; make -Xms at most -Xmx',
    ],
    ["nothing", "  ", 'is empty; remove it for the default heap, or give JVM flags such as "-Xms512m -Xmx512m"'],
];

describe("heapOpts", () => {
    for (const [rule, heapOpts, message] of CASES) {
        it(`refuses ${rule}`, () => {
            assert.deepEqual(heapProblems(heapOpts), [{ path: "cluster.heapOpts", message }]);
        });
    }

    it("accepts JVM flags, heap or not", () => {
        for (const ok of ["-Xms512m -Xmx512m", "-Xmx2G", "-XX:MaxRAMPercentage=75", "-Xmx1g -XX:+UseG1GC -Dkafka.logs.dir=/tmp", "-Xmx1048576k -Xms1g"]) {
            assert.deepEqual(heapProblems(ok), [], ok);
        }
    });

    it("reads the sizes as the JVM does: the last flag wins, k/m/g/t in either case, bytes without a unit", () => {
        assert.deepEqual(heapSizes("-Xms256m -Xmx1g -Xmx2G"), { initial: 256 * 2 ** 20, max: 2 * 2 ** 30 });
        assert.deepEqual(heapSizes("-Xmx1048576 -Xms64K"), { max: 2 ** 20, initial: 64 * 2 ** 10 });
        assert.deepEqual(heapSizes("-XX:MaxRAMPercentage=75"), { max: undefined, initial: undefined });
    });
});
