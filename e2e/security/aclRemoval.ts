/**
 * Removing an ACL with `pulumi up` takes effect without restarting anything: `orders-app` writes to
 * `orders` (@platformatic/kafka, through EXTERNAL) while its Write ACL is removed from the config;
 * the preview plans exactly the change the target makes (that binding's `Acl` deleted, or the
 * access Job's step updated), the writes start failing with a topic-authorization error, and every
 * container or pod keeps its identity and restart count. Measured: the seconds from the start of
 * `pulumi up` (and from its end) to the first refused write. Runs last before destroy.
 */
import { strict as assert } from "node:assert";
import { Producer, stringSerializers } from "@platformatic/kafka";
import { docker } from "../lib/docker";
import { connection } from "../lib/kafka";
import { pods } from "../lib/k8s";
import { PulumiStack } from "../lib/pulumi";
import { hasError } from "../lib/clientErrors";
import { SecuredCluster, USER } from "./checks";

interface Refusal {
    /** ms since the epoch of the first refused write. */
    readonly at: number;
    readonly sent: number;
}

/** Sends to `orders` every 200 ms until a send is refused for lack of authorization, or `stop`. */
function writer(m: SecuredCluster): { refused: Promise<Refusal | undefined>; stop: () => void; sent: () => number } {
    let running = true;
    let sent = 0;
    const producer = new Producer({
        clientId: "kafka-env-e2e-acl",
        ...connection({ servers: m.outputs().bootstrapServers, login: m.logins().users[USER] }),
        serializers: stringSerializers,
        retries: 0,
    });
    const refused = (async () => {
        try {
            while (running) {
                try {
                    await producer.send({ messages: [{ topic: "orders", key: "acl", value: String(sent) }] });
                    sent++;
                } catch (e) {
                    if (hasError(e, "apiId", "TOPIC_AUTHORIZATION_FAILED")) return { at: Date.now(), sent };
                }
                await new Promise((r) => setTimeout(r, 200));
            }
            return undefined;
        } finally {
            await producer.close().catch(() => undefined);
        }
    })();
    return { refused, stop: () => (running = false), sent: () => sent };
}

/** Each container of a Docker environment: its id and restart count. */
export function containers(env: string): string[] {
    const names = docker(["ps", "-a", "--filter", `label=kafka-env.environment=${env}`, "--format", "{{.Names}}"])
        .split("\n")
        .filter(Boolean)
        .sort();
    return names.map((n) => `${n} ${docker(["inspect", "--format", "{{.Id}} {{.RestartCount}}", n])}`);
}

/** Each long-running pod of a Kubernetes environment (its nodes and kafka-ui; not the Jobs'): its uid and restart count. */
export function longRunningPods(namespace: string, env: string): string[] {
    return pods(namespace, `app.kubernetes.io/instance=${env},!job-name`)
        .map((p) => `${p.name} ${p.uid} ${p.restarts}`)
        .sort();
}

/** The preview of the removal where `@pulumi/kafka` keeps the ACLs: that one binding's `Acl` deleted. */
export const aclDeleted = (env: string): [string, string, string][] => [
    ["delete", "kafka:index/acl:Acl", `${env}-access-acl-${USER}-topic-literal-orders-Write`],
];

export interface AclRemovalPlace {
    readonly stack: PulumiStack;
    /** What runs, each with its identity and restart count: the same after the change means nothing was replaced or restarted. */
    readonly running: () => string[];
    /** The steps the removal previews as (PulumiStack.previewSteps()). */
    readonly previews: [string, string, string][];
}

export function aclRemovalStep(m: SecuredCluster & AclRemovalPlace): void {
    it(`removing ${USER}'s Write on orders with pulumi up refuses its next writes, restarting nothing`, async () => {
        const stack = m.stack;
        const before = m.running();
        const w = writer(m);
        try {
            const deadline = Date.now() + 60000;
            while (w.sent() < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
            assert.ok(w.sent() >= 5, `${USER} writes to orders before the change (${w.sent()} sent)`);
            stack.editCluster((c) => {
                const acl = c.users.find((u: { name: string }) => u.name === USER).acls.find((a: { name: string }) => a.name === "orders");
                acl.operations = acl.operations.filter((o: string) => o !== "Write");
            });
            assert.deepEqual(stack.previewSteps(), m.previews);
            const start = Date.now();
            const up = await stack.upAsync();
            const end = start + up.seconds * 1000;
            const refusal = await Promise.race([w.refused, new Promise<undefined>((r) => setTimeout(() => r(undefined), 60000))]);
            assert.ok(refusal, `${USER}'s writes are refused within 60 s of the change (${w.sent()} sent)`);
            console.log(
                `      first refused write ${((refusal.at - start) / 1000).toFixed(1)} s after pulumi up started, ` +
                    `${((refusal.at - end) / 1000).toFixed(1)} s after it ended (up took ${up.seconds.toFixed(0)} s; ${refusal.sent} writes before)`,
            );
        } finally {
            w.stop();
            await w.refused;
        }
        assert.deepEqual(m.running(), before, "nothing was replaced or restarted");
        stack.run(["preview", "--expect-no-changes"]);
    });
}
