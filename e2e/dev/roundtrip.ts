/**
 * A producer and a consumer through the dev stack's `bootstrapServers`, from the host, with a real
 * client (@platformatic/kafka, e2e/lib/kafka.ts): what a newcomer checks after `npm run up`. The
 * outputs are read with the CLI `npm run up` used (tools/dev), not a `pulumi` on PATH.
 */
import { outputs } from "../../tools/dev/cli";
import { consumeAll, missing, produce } from "../lib/kafka";

const TOPIC = "orders";
const COUNT = 100;

async function main(): Promise<void> {
    const start = Date.now();
    const { bootstrapServers } = outputs();
    if (!bootstrapServers) throw new Error("the dev stack has no bootstrapServers output");
    const produced = await produce(bootstrapServers, TOPIC, COUNT);
    if (produced.failedSends > 0 || produced.acknowledged.length !== COUNT) {
        throw new Error(`${produced.failedSends} sends failed; ${produced.acknowledged.length} of ${COUNT} messages acknowledged`);
    }
    const got = await consumeAll(bootstrapServers, TOPIC, COUNT, 60000);
    const lost = missing(produced.acknowledged, got);
    if (lost.length > 0) throw new Error(`${lost.length} acknowledged messages were not read back`);
    const took = ((Date.now() - start) / 1000).toFixed(1);
    console.log(`produced ${COUNT} messages to ${TOPIC} through ${bootstrapServers} and read all ${COUNT} back (${took} s)`);
}

main().catch((e: unknown) => {
    console.error(`e2e/dev/roundtrip: ${(e as Error).message}`);
    process.exitCode = 1;
});
