import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { planEnvironment } from "../../components/plan";
import { KUBERNETES_SHAPE } from "../../components/kubernetes/config";
import { Shape } from "../../components/model/shape";
import {
    KNOBS_BEGIN,
    KNOBS_END,
    KUBERNETES_FILE,
    REFERENCE_FILE,
    disagreement,
    generateKnobs,
    generateReference,
    replaceReference,
} from "../../tools/docs/config-reference";
import { KUBERNETES_ROOT, configProgram, documentedKeys, splitComment } from "../../tools/docs/configKeys";

const ROOT = path.resolve(__dirname, "../..");

describe("configuration reference (docs/configuration.md)", () => {
    let reference = "";
    before(() => {
        reference = generateReference(ROOT);
    });

    it("is what `npm run docs` writes from the config types and defaults", () => {
        const committed = fs.readFileSync(path.join(ROOT, REFERENCE_FILE), "utf8");
        assert.ok(replaceReference(committed, reference) === committed, `${REFERENCE_FILE} is stale: run \`npm run docs\` and commit it`);
    });

    it("docs/kubernetes.md lists every kafka-env:kubernetes knob with its default, as `npm run docs` writes it", () => {
        const committed = fs.readFileSync(path.join(ROOT, KUBERNETES_FILE), "utf8");
        const knobs = generateKnobs(ROOT);
        assert.ok(
            replaceReference(committed, knobs, [KNOBS_BEGIN, KNOBS_END], KUBERNETES_FILE) === committed,
            `${KUBERNETES_FILE} is stale: run \`npm run docs\``,
        );
        for (const knob of [
            "podSecurity.enforce",
            "networkPolicy.enabled",
            "rack.enabled",
            "pods.nodeSelector",
            "external.sourceRanges",
            "monitoring.monitor",
        ]) {
            assert.match(knobs, new RegExp(`^\\| \`${knob.replace(".", "\\.")}\` \\|`, "m"), knob);
        }
    });

    it("documents only top-level keys the program accepts", () => {
        const topLevel = [...reference.matchAll(/^\| `kafka-env:(\w+)` \|/gm)].map((m) => m[1]);
        assert.ok(topLevel.length > 0);
        const samples: Record<string, unknown> = { target: "kubernetes", cluster: {}, kafkaUiPassword: "secret", namespace: "kafka", kubernetes: {} };
        for (const key of topLevel) {
            const problems = problemsOf({ target: "kubernetes", [key]: samples[key] });
            assert.deepEqual(
                problems.filter((p) => p.path === key && /unknown key/.test(p.message)),
                [],
                `kafka-env:${key} is documented but the program does not know it`,
            );
        }
    });

    it("documents every key of the Kubernetes shape, and no other", () => {
        const program = configProgram(ROOT, [KUBERNETES_ROOT]);
        const documented = documentedKeys(program, ROOT, KUBERNETES_ROOT);
        const expanded = new Set(documented.filter((k) => k.isObject).map((k) => k.path));
        const inShape = shapePaths(KUBERNETES_SHAPE, "").filter((p) => !p.includes(".") || expanded.has(p.slice(0, p.lastIndexOf(".")).replace(/\[\]$/, "")));
        assert.deepEqual(documented.map((k) => k.path).sort(), inShape.sort());
    });
});

describe("doc comment parts", () => {
    const cases: [string, ReturnType<typeof splitComment>][] = [
        ["Number of Kafka brokers. Default: 3.", { description: "Number of Kafka brokers.", statedDefault: "3", required: false }],
        [
            "Host address published ports bind to. Default: `127.0.0.1` (use `0.0.0.0` to open them on every interface).",
            {
                description: "Host address published ports bind to.",
                statedDefault: "`127.0.0.1` (use `0.0.0.0` to open them on every interface)",
                required: false,
            },
        ],
        [
            "Container images. Defaults: pinned per mode (see `defaults.ts`). Never `latest`.",
            { description: "Container images. Never `latest`.", statedDefault: "pinned per mode (see `defaults.ts`)", required: false },
        ],
        ["Partition count, at least 1. Required.", { description: "Partition count, at least 1.", statedDefault: undefined, required: true }],
        [
            "Cluster-wide defaults. Defaults fit the broker count (see below).",
            { description: "Cluster-wide defaults. Defaults fit the broker count (see below).", statedDefault: undefined, required: false },
        ],
    ];
    for (const [comment, expected] of cases) {
        it(comment, () => assert.deepEqual(splitComment(comment), expected));
    }
});

describe("a stated default against the defaults object", () => {
    const cases: [string | undefined, unknown, boolean][] = [
        ["3", 3, true],
        ["min(brokers, 3)", undefined, true],
        ["`kraft`", "kraft", true],
        ["`-Xms512m -Xmx512m`", "-Xms512m -Xmx512m", true],
        ["`confluentinc/cp-kafka:7.9.3` (zookeeper), `apache/kafka:4.1.1` (kraft)", ["confluentinc/cp-kafka:7.9.3", "apache/kafka:4.1.1"], true],
        [undefined, 8080, true],
        ["4", 3, false],
        ["30092", 3, false],
        ["`confluentinc/cp-kafka:7.9.3` (zookeeper)", ["confluentinc/cp-kafka:7.9.3", "apache/kafka:4.1.1"], false],
        ["`cp-kafka:7.9.3`", "cp-kafka:7.9.4", false],
    ];
    for (const [stated, known, agrees] of cases) {
        it(`${String(stated)} vs ${JSON.stringify(known)}: ${agrees ? "agree" : "disagree"}`, () => {
            assert.equal(disagreement(stated, known) === undefined, agrees);
        });
    }

    it("names both sides when they disagree", () => {
        assert.equal(disagreement("4", 3), 'the doc comment says "Default: 4" but the defaults object has 3; make them agree');
    });
});

function problemsOf(values: Record<string, unknown>): { path: string; message: string }[] {
    try {
        planEnvironment({ values, stack: "docs" });
        return [];
    } catch (e) {
        const problems = (e as { problems?: { path: string; message: string }[] }).problems;
        if (!problems) throw e;
        return problems;
    }
}

function shapePaths(shape: Shape, prefix: string): string[] {
    if (shape.kind === "list") return shapePaths(shape.of, `${prefix}[]`);
    if (shape.kind !== "object") return [];
    return Object.entries(shape.fields).flatMap(([k, s]) => {
        const p = prefix ? `${prefix}.${k}` : k;
        return [p, ...shapePaths(s, p)];
    });
}
