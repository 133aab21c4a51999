/**
 * A fake Kubernetes API server (plain HTTP) for the dynamic resources that talk to one: `routes`
 * answer GETs by path (without the query) with JSON or text; `handle`, when given, answers any
 * request first (undefined: fall back to the routes, then 404). Records every request.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";

export interface ApiCall {
    readonly method: string;
    readonly url: string;
    readonly body?: unknown;
}

export type Handler = (method: string, path: string, body: unknown) => unknown;

export async function fakeApi(
    routes: Record<string, unknown>,
    handle?: Handler,
): Promise<{ kubeconfig: string; requests: string[]; calls: ApiCall[]; close: () => void }> {
    const requests: string[] = [];
    const calls: ApiCall[] = [];
    const server = http.createServer((req, res) => {
        let data = "";
        req.on("data", (d: Buffer) => (data += d.toString()));
        req.on("end", () => {
            requests.push(`${req.url} ${req.headers.authorization ?? ""}`.trim());
            const body: unknown = data ? JSON.parse(data) : undefined;
            calls.push({ method: req.method ?? "GET", url: req.url ?? "", body });
            const path = (req.url ?? "").split("?")[0];
            const answer = handle?.(req.method ?? "GET", path, body) ?? (req.method === "GET" ? routes[path] : undefined);
            if (answer === undefined) res.writeHead(404).end("not found");
            else res.writeHead(200).end(typeof answer === "string" ? answer : JSON.stringify(answer));
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const kubeconfig = [
        "apiVersion: v1",
        `clusters: [{name: fake, cluster: {server: "http://127.0.0.1:${port}"}}]`,
        "users: [{name: u, user: {token: t0ken}}]",
        "contexts: [{name: fake, context: {cluster: fake, user: u}}]",
        "current-context: fake",
        "",
    ].join("\n");
    return { kubeconfig, requests, calls, close: () => server.close() };
}
