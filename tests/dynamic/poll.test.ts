/** `pollUntil`: every wait of the dynamic resources (gates, waiters, pods gone, addresses answering). */
import { strict as assert } from "node:assert";
import { deadlineIn, done, notYet, pollUntil } from "../../components/dynamic/poll";

/** A probe that answers `answers` in turn (the last one again and again), counting its calls. */
function probe<T>(answers: readonly (T | undefined)[], seen = (n: number) => `answer ${n}`) {
    const state = { calls: 0 };
    const run = () => {
        const i = Math.min(state.calls++, answers.length - 1);
        const a = answers[i];
        return Promise.resolve(a === undefined ? notYet(seen(i)) : done(a));
    };
    return { run, state };
}

describe("pollUntil", () => {
    it("resolves to the probe's value once it is done, pausing between probes", async () => {
        const p = probe([undefined, undefined, "ready"]);
        const t0 = Date.now();
        assert.equal(await pollUntil(deadlineIn(10), "the thing", p.run, { everyMs: 50 }), "ready");
        assert.equal(p.state.calls, 3);
        assert.ok(Date.now() - t0 >= 100, "two pauses");
    });

    it("probes once even when the deadline has passed, and returns what it finds", async () => {
        const p = probe(["at once"]);
        assert.equal(await pollUntil(deadlineIn(-1), "the thing", p.run), "at once");
    });

    it("gives up at the deadline naming what it waited for, how long, the last thing seen and the hint", async () => {
        const p = probe<string>([undefined]);
        await assert.rejects(pollUntil(deadlineIn(0.2), "pod kafka/x to be gone", p.run, { everyMs: 50, hint: "Check the node." }), (e: Error) => {
            assert.match(e.message, /^kafka-env: gave up after 0\.2 s waiting for pod kafka\/x to be gone; last seen: answer 0\. Check the node\.$/);
            return true;
        });
        assert.ok(p.state.calls >= 2 && p.state.calls <= 6, `${p.state.calls} probes in 0.2 s, 50 ms apart`);
    });

    it("lets the caller explain a timeout from the last thing seen (logs to read)", async () => {
        let n = 0;
        const counting = () => Promise.resolve(notYet({ n: ++n }));
        await assert.rejects(
            pollUntil(deadlineIn(0), "x", counting, {
                everyMs: 10,
                timedOut: (seen, deadline) => Promise.resolve(`saw ${seen.n} within ${deadline.seconds} s`),
            }),
            /^Error: saw 1 within 0 s$/,
        );
    });

    it("ends at once when the probe throws (waiting cannot help)", async () => {
        let calls = 0;
        const failing = () => {
            calls++;
            return Promise.reject(new Error("CrashLoopBackOff"));
        };
        await assert.rejects(pollUntil(deadlineIn(60), "x", failing), /CrashLoopBackOff/);
        assert.equal(calls, 1);
    });
});
