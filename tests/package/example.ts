/**
 * examples/typescript as a user's project has it: beside the packed kafka-env installed in the
 * consumer's project (consumer.ts), type-checked against the package's declarations, then run
 * under the runtime's mocks with the consumer's own @pulumi/pulumi.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { STRICT_NODE_OPTIONS } from "../../tools/docs/configKeys";
import { Consumer, ROOT } from "./consumer";

const EXAMPLE = path.join(ROOT, "examples", "typescript", "index.ts");
const WRONG = path.join(__dirname, "fixtures", "wrongArgs.ts");
const EXPECT_ERROR = "// @ts-expect-error";

/** One compiler diagnostic: the file's base name, the line (1-based) and the message. */
export interface Diagnostic {
    readonly file: string;
    readonly line: number;
    readonly message: string;
}

/** Type-checks `files` (copied into the consumer's project) against what it installed. */
export function typeCheck(consumer: Consumer, files: Record<string, string>): Diagnostic[] {
    const names = Object.entries(files).map(([name, text]) => {
        const file = path.join(consumer.dir, name);
        fs.writeFileSync(file, text);
        return file;
    });
    const program = ts.createProgram(names, STRICT_NODE_OPTIONS);
    return ts.getPreEmitDiagnostics(program).map((d) => ({
        file: path.basename(d.file?.fileName ?? ""),
        line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
        message: ts.flattenDiagnosticMessageText(d.messageText, " "),
    }));
}

/** The example and the wrong-arguments fixture, and the fixture with its expectations removed. */
export function exampleSources(): { example: string; wrong: string; unmarked: string; marked: number[] } {
    const wrong = fs.readFileSync(WRONG, "utf8");
    const lines = wrong.split("\n");
    // Each marker's next line is the one that must fail.
    const marked = lines.flatMap((l, i) => (l.trim().startsWith(EXPECT_ERROR) ? [i + 2] : []));
    const unmarked = lines.map((l) => (l.trim().startsWith(EXPECT_ERROR) ? "" : l)).join("\n");
    return { example: fs.readFileSync(EXAMPLE, "utf8"), wrong, unmarked, marked };
}

/** What the example registers under mocks with `config` (its keys without the namespace): each resource's type, name and provider reference. */
export function runExample(consumer: Consumer, config: Record<string, string>): { type: string; name: string; provider?: string }[] {
    const js = ts.transpileModule(exampleSources().example, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    fs.writeFileSync(path.join(consumer.dir, "example.js"), js.outputText);
    const out = consumer.node(`
        const pulumi = require("@pulumi/pulumi");
        const recorded = [];
        pulumi.runtime.setMocks({
            newResource: (a) => { recorded.push({ type: a.type, name: a.name, provider: a.provider }); return { id: a.name + "-id", state: a.inputs }; },
            call: (a) => a.inputs,
        }, "example", "dev", false).then(async () => {
            pulumi.runtime.setAllConfig(${JSON.stringify(Object.fromEntries(Object.entries(config).map(([k, v]) => [`example:${k}`, v])))});
            require("./example.js");
            for (let last = -1, same = 0; same < 10; same = recorded.length === last ? same + 1 : 0, last = recorded.length) {
                await new Promise((r) => setTimeout(r, 10));
            }
            console.log(JSON.stringify(recorded));
        });
    `);
    return JSON.parse(out) as { type: string; name: string; provider?: string }[];
}
