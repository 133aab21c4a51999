import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { plainSdkStacks } from "../../components/stackTraces";

/** `Error`, for its `prepareStackTrace` hook (V8's). */
const hook = Error as unknown as { prepareStackTrace?: (e: Error, frames: unknown[]) => unknown };

describe("stack traces of the Pulumi SDK's promise bookkeeping", () => {
    const saved = hook.prepareStackTrace;
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-stacks-"));
        // A stand-in for @pulumi/pulumi/runtime/debuggable.js: same file and function name.
        fs.writeFileSync(path.join(dir, "debuggable.js"), "exports.debuggablePromise = function debuggablePromise() { return new Error().stack; };\n");
    });
    after(() => {
        hook.prepareStackTrace = saved;
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("formats the SDK's bookkeeping stacks plainly and leaves every other stack to the installed formatter", () => {
        hook.prepareStackTrace = () => "mapped";
        plainSdkStacks();
        plainSdkStacks(); // once only: no second wrapper
        assert.equal(new Error("mine").stack, "mapped");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const sdk = require(path.join(dir, "debuggable.js")) as { debuggablePromise: () => string };
        const stack = sdk.debuggablePromise();
        assert.match(stack, /^Error\n {4}at debuggablePromise \(.*debuggable\.js:1:\d+\)\n {4}at /);
    });

    it("changes nothing where no formatter is installed", () => {
        hook.prepareStackTrace = undefined;
        plainSdkStacks();
        assert.equal(hook.prepareStackTrace, undefined);
    });
});
