/**
 * A refusal: a change the user asked for that kafka-env will not make, with the reason and what
 * to do instead. It must reach the user as one plain message, never a stack trace.
 *
 * How the provider host reports what a dynamic provider says (read in @pulumi/pulumi 3.270's
 * `cmd/dynamic-provider/index.js`, and seen with the Pulumi CLI 3.274):
 * - `check` failures: `error: ... resource '<name>': property <p> value {...} has a problem:
 *   <reason>`, at `pulumi preview` and `pulumi up` alike, before any resource is touched. The
 *   place for a refusal the inputs alone decide (the guards).
 * - an error thrown by `create` or `update`: only its message goes back (`grpcResponseFromError`),
 *   printed as `error: <message>`. The place for a refusal that needs the running cluster (the
 *   drain: only the brokers know which partitions a leaving broker holds).
 * - an error thrown by `check`, `diff`, `read` or `delete`: printed as `${e}: ${e.stack}`, a stack
 *   trace. `dynamicProvider` turns a refusal thrown in `check` into a failure; the others never refuse.
 */

const MARK = "kafkaEnvRefusal";

/** An error that is a refusal: its stack is its message, so whatever prints it prints no frames. */
export function refusal(message: string): Error {
    const e = new Error(message);
    e.stack = message;
    return Object.assign(e, { [MARK]: true });
}

export function isRefusal(e: unknown): e is Error {
    return e instanceof Error && (e as unknown as Record<string, unknown>)[MARK] === true;
}
