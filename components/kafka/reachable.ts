/**
 * `BootstrapReachable`: waits until every broker's outside address answers a Kafka request from
 * where `pulumi` runs, before the topics' provider connects.
 *
 * A broker pod can be Ready (it answers on its own listener) while its NodePort does not forward
 * yet: kube-proxy programs a Service's rules a moment after the endpoint turns ready. The Kafka
 * provider gives up on the first "connection refused" of every bootstrap address, which failed a
 * fresh `pulumi up` on a real cluster (`dial tcp 10.250.0.1:30193: connection refused`, seconds
 * after the StatefulSet was Ready). This resource asks each address an ApiVersions request, as the
 * Docker healthcheck does inside the container, until each one answers without error, and fails
 * with the addresses that never answered and why. It waits again when the addresses change (a
 * broker added: a new NodePort). Not on a roll: that would add a step to the preview of every
 * setting change, and a roll keeps the Services and their rules; only the restarted pod's
 * endpoint comes and goes, while the other addresses keep answering.
 */
// A named import: `import * as` would hand the closure serializer a copy of the module, which it
// cannot recognise as the built-in `net` and tries (and fails) to serialize.
import { connect, isIP } from "node:net";
import { connect as connectTls } from "node:tls";
import * as pulumi from "@pulumi/pulumi";
import { apiVersionsAnswered, apiVersionsRequest } from "../model/images";
import { deadlineIn, done, notYet, pollUntil } from "../dynamic/poll";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";

export interface BootstrapReachableArgs {
    /** `host:port` of every broker as clients outside the cluster reach it. */
    readonly addresses: pulumi.Input<string[]>;
    readonly timeoutSeconds: number;
    /** A secured cluster's listeners speak TLS: the CA to trust (host names are verified). Default: plaintext. */
    readonly caCertificate?: pulumi.Input<string>;
}

interface Inputs {
    addresses: string[];
    timeoutSeconds: number;
    caCertificate?: string;
}

/**
 * One ApiVersions round trip to `address` (over TLS trusting `ca`, when given: a SASL listener
 * answers ApiVersions before the login); resolves to undefined when answered without error, else to why not.
 */
export function askApiVersions(address: string, timeoutMs = 3000, ca?: string): Promise<string | undefined> {
    const colon = address.lastIndexOf(":");
    const host = address.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
    const port = Number(address.slice(colon + 1));
    return new Promise((resolve) => {
        // Declared before the callbacks that use it: Pulumi's closure serializer refuses a function
        // that reads a `const` declared after it.
        const socket = ca === undefined ? connect({ host, port }) : connectTls({ host, port, ca, ...(isIP(host) === 0 ? { servername: host } : {}) });
        let got = Buffer.alloc(0);
        let settled = false;
        const finish = (why: string | undefined) => {
            if (settled) return;
            settled = true;
            socket.destroy();
            resolve(why);
        };
        socket.on(ca === undefined ? "connect" : "secureConnect", () => socket.write(apiVersionsRequest()));
        socket.setTimeout(timeoutMs, () => finish(`no answer within ${timeoutMs} ms`));
        socket.on("data", (d: Buffer) => {
            got = Buffer.concat([got, d]);
            if (got.length >= 10) finish(apiVersionsAnswered(got) ? undefined : `unexpected answer ${got.subarray(4, 10).toString("hex")}`);
        });
        socket.on("error", (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
        socket.on("close", () => finish("closed without an answer"));
    });
}

/** Asks every address until each has answered once; throws naming those that never did. */
export async function waitReachable(inputs: Inputs, pauseMs = 500): Promise<void> {
    const pending = new Map(inputs.addresses.map((a) => [a, "not asked yet"]));
    const everyAnswered = async () => {
        await Promise.all(
            [...pending.keys()].map(async (a) => {
                const why = await askApiVersions(a, 3000, inputs.caCertificate);
                if (why === undefined) pending.delete(a);
                else pending.set(a, why);
            }),
        );
        if (pending.size === 0) return done(inputs.addresses);
        return notYet(`no answer yet from these: ${[...pending].map(([a, why]) => `${a} (${why})`).join(", ")}`);
    };
    await pollUntil(deadlineIn(inputs.timeoutSeconds), "every broker address to answer Kafka requests from where pulumi runs", everyAnswered, {
        everyMs: pauseMs,
        hint:
            "The brokers are ready inside the cluster; check that the advertised host is this machine's route to the cluster's nodes " +
            "(kafka-env:kubernetes.external.advertisedHost) and that nothing between blocks the ports.",
    });
}

const provider = dynamicProvider<Inputs>({
    id: () => "bootstrap",
    create: async (inputs) => {
        await waitReachable(inputs);
        return inputs;
    },
    update: async (_olds, news) => {
        await waitReachable(news);
        return news;
    },
});

export class BootstrapReachable extends DynamicResource {
    constructor(name: string, args: BootstrapReachableArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, "BootstrapReachable", name, args, opts);
    }
}
