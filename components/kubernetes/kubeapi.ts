/**
 * A minimal Kubernetes API client for the dynamic resources (the `WorkloadReady` waiter, the day-2 Jobs): reads the kubeconfig
 * the Kubernetes provider uses (the `kubeconfig` setting as a path or as contents, else
 * KUBECONFIG, else ~/.kube/config), authenticates with client certificates, a token or an `exec`
 * credential plugin, and GETs JSON or text (and POSTs or DELETEs what the day-2 Jobs need).
 *
 * Modules are `require`d inside the functions: the waiter runs in Pulumi's dynamic-provider host,
 * which receives these functions serialized, and a `require` call is what survives that.
 */
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any --
 * a kubeconfig is untyped YAML, and `require` is what survives serialization (see above). */

export interface KubeConnection {
    readonly server: string;
    readonly ca?: Buffer;
    readonly cert?: Buffer;
    readonly key?: Buffer;
    readonly token?: string;
    readonly insecure: boolean;
}

/** Reads a kubeconfig (path or contents) and picks the context's cluster and user. */
export function connect(kubeconfig: string | undefined, context: string | undefined): KubeConnection {
    const fs = require("fs");
    const os = require("os");
    const path = require("path");
    const yaml = require("yaml");
    const inline = kubeconfig !== undefined && /\n|^\s*\{/.test(kubeconfig);
    const file = inline ? undefined : (kubeconfig ?? process.env.KUBECONFIG?.split(path.delimiter)[0] ?? path.join(os.homedir(), ".kube", "config"));
    const doc = yaml.parse(inline ? kubeconfig : fs.readFileSync(file, "utf8"));
    const dir = file ? path.dirname(path.resolve(file)) : process.cwd();
    const named = (list: any[] | undefined, name: string, what: string) => {
        const found = (list ?? []).find((x) => x.name === name);
        if (!found) throw new Error(`kubeconfig ${file ?? "(inline)"}: no ${what} named "${name}"`);
        return found;
    };
    const ctx = named(doc.contexts, context ?? doc["current-context"], "context").context;
    const cluster = named(doc.clusters, ctx.cluster, "cluster").cluster;
    const user = ctx.user ? (named(doc.users, ctx.user, "user").user ?? {}) : {};
    const bytes = (data: string | undefined, filePath: string | undefined): Buffer | undefined =>
        data ? Buffer.from(data, "base64") : filePath ? fs.readFileSync(path.resolve(dir, filePath)) : undefined;
    let token: string | undefined = user.token ?? (user.tokenFile ? String(fs.readFileSync(path.resolve(dir, user.tokenFile), "utf8")).trim() : undefined);
    let cert = bytes(user["client-certificate-data"], user["client-certificate"]);
    let key = bytes(user["client-key-data"], user["client-key"]);
    if (user.exec) {
        const { spawnSync } = require("child_process");
        const env = { ...process.env, ...Object.fromEntries((user.exec.env ?? []).map((e: any) => [e.name, e.value])) };
        const r = spawnSync(user.exec.command, user.exec.args ?? [], { env, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`kubeconfig exec credential plugin ${user.exec.command} failed: ${r.stderr ?? r.error}`);
        const status = JSON.parse(r.stdout).status ?? {};
        token = status.token ?? token;
        if (status.clientCertificateData) cert = Buffer.from(status.clientCertificateData);
        if (status.clientKeyData) key = Buffer.from(status.clientKeyData);
    }
    return {
        server: String(cluster.server).replace(/\/+$/, ""),
        ca: bytes(cluster["certificate-authority-data"], cluster["certificate-authority"]),
        cert,
        key,
        token,
        insecure: cluster["insecure-skip-tls-verify"] === true,
    };
}

/** GET `apiPath`; JSON unless `text`. Rejects with the status and body on anything but 2xx. */
export function get<T = unknown>(conn: KubeConnection, apiPath: string, text = false): Promise<T> {
    return request<T>(conn, "GET", apiPath, undefined, text);
}

/**
 * `method` on `apiPath` with an optional JSON `body`; JSON answer unless `text`. Rejects with the
 * status and body on anything but 2xx (the error's `status` holds the HTTP status).
 */
export function request<T = unknown>(conn: KubeConnection, method: string, apiPath: string, body?: unknown, text = false): Promise<T> {
    const https = require("https");
    const http = require("http");
    const url = new URL(conn.server + apiPath);
    const client = url.protocol === "http:" ? http : https;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
        const req = client.request(
            url,
            {
                method,
                ca: conn.ca,
                cert: conn.cert,
                key: conn.key,
                rejectUnauthorized: !conn.insecure,
                // Logs are text, but the API server's content negotiation only knows its own media types.
                headers: {
                    Accept: text ? "*/*" : "application/json",
                    ...(payload === undefined ? {} : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) }),
                    ...(conn.token ? { Authorization: `Bearer ${conn.token}` } : {}),
                },
                timeout: 30000,
            },
            (res: any) => {
                let answer = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => (answer += chunk));
                res.on("end", () => {
                    if (res.statusCode < 200 || res.statusCode >= 300) {
                        reject(Object.assign(new Error(`${method} ${apiPath}: ${res.statusCode} ${answer.slice(0, 300)}`), { status: res.statusCode }));
                    } else resolve(text ? answer : JSON.parse(answer));
                });
            },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${apiPath}: no answer in 30 s`)));
        req.on("error", reject);
        req.end(payload);
    });
}
