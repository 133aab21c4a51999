/**
 * The resource changes of one stack: each side's own program, run offline under the runtime's mocks
 * (`tools/graph/mocks.ts`, as the resource-graph tests run it), its recorded graph to be compared
 * by `tools/graph/diff.ts`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Recorded } from "../graph/mocks";
import { StackFile } from "./stack";

/** The recorded graph of a side, or why it could not be evaluated. */
export type Graph = { readonly resources: readonly Recorded[] } | { readonly error: string };

/** Runs `dir`'s program for one stack file under mocks. */
export async function evaluateGraph(dir: string, file: StackFile): Promise<Graph> {
    // The program's entry: components/stackConfig.ts since the KafkaEnvironment component, environment.ts before it.
    const program = ["stackConfig.ts", "environment.ts"].map((f) => path.join(dir, "components", f)).find((f) => fs.existsSync(f));
    if (program === undefined) return { error: "this revision has no components/stackConfig.ts or components/environment.ts" };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { deployEnvironment } = require(program) as { deployEnvironment: () => unknown };
        // Loaded here, so that a run that fails early never loads the Pulumi runtime.
        const { runMocked } = await import("../graph/mocks");
        const { resources } = await runMocked({ ...file.config }, deployEnvironment, { stack: file.stack, secretKeys: [...file.secretKeys] });
        return { resources };
    } catch (e) {
        return { error: (e as Error).message.split("\n")[0] };
    }
}
