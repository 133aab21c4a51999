/**
 * Waiting for something outside Pulumi (a container healthy, a pod gone, an address answering),
 * one way for every dynamic resource: ask, pause, ask again until a deadline, and when it passes,
 * fail naming what was awaited and the last thing seen.
 */

/** When a wait gives up: a point in time, and the seconds it allowed (for the message). */
export interface Deadline {
    readonly at: number;
    readonly seconds: number;
}

export function deadlineIn(seconds: number): Deadline {
    return { at: Date.now() + seconds * 1000, seconds };
}

/** One answer of a probe: done (with a value), or not yet (with what it saw). */
export type Poll<T, S = string> = { readonly done: true; readonly value: T } | { readonly done: false; readonly seen: S };

export const done = <T>(value: T): Poll<T, never> => ({ done: true, value });
export const notYet = <S>(seen: S): Poll<never, S> => ({ done: false, seen });

export interface PollOptions<S> {
    /** The pause between two probes, in milliseconds. Default: 2000. */
    readonly everyMs?: number;
    /** Appended to the timeout's message: what the user can check. */
    readonly hint?: string;
    /** The whole timeout message, when the last thing seen needs more to explain it (logs to read). */
    readonly timedOut?: (seen: S, deadline: Deadline) => string | Promise<string>;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Probes until it reports done, and resolves to its value. The probe runs at least once, and
 * again until `deadline`; then this rejects with `what` was awaited and the last thing seen. A
 * probe that knows waiting cannot help (a crash loop, a failed Job) throws, and that ends it.
 */
export async function pollUntil<T, S = string>(deadline: Deadline, what: string, probe: () => Promise<Poll<T, S>>, options: PollOptions<S> = {}): Promise<T> {
    for (;;) {
        const answer = await probe();
        if (answer.done) return answer.value;
        if (Date.now() >= deadline.at) {
            const message = options.timedOut
                ? await options.timedOut(answer.seen, deadline)
                : `kafka-env: gave up after ${deadline.seconds} s waiting for ${what}; last seen: ${String(answer.seen)}.${options.hint ? ` ${options.hint}` : ""}`;
            throw new Error(message);
        }
        await sleep(options.everyMs ?? 2000);
    }
}
