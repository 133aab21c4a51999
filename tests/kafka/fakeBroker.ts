import * as net from "node:net";

/**
 * A stand-in broker on a free port: records the request it gets, and answers it as `answer` says
 * (an ApiVersions v0 response: size, correlation id, error code, an empty array of api keys).
 */
export async function fakeBroker(answer: (request: Buffer) => Buffer | undefined): Promise<{ port: number; requests: Buffer[]; close: () => void }> {
    const requests: Buffer[] = [];
    const server = net.createServer((socket) => {
        let got = Buffer.alloc(0);
        socket.on("data", (d) => {
            got = Buffer.concat([got, d]);
            if (got.length < 4 || got.length < 4 + got.readInt32BE(0)) return;
            requests.push(got);
            const reply = answer(got);
            if (reply) socket.end(reply);
        });
        socket.on("error", () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { port: (server.address() as net.AddressInfo).port, requests, close: () => server.close() };
}

export function apiVersionsResponse(correlationId: number, errorCode: number): Buffer {
    const body = Buffer.alloc(10);
    body.writeInt32BE(correlationId, 0);
    body.writeInt16BE(errorCode, 4);
    body.writeInt32BE(0, 6); // no api keys
    return Buffer.concat([Buffer.from([0, 0, 0, body.length]), body]);
}
