/**
 * An empty project outside this repository that installs the packed `kafka-env` tarball the way a
 * user's program would, without the network: its lockfile is cut from this repository's own
 * `package-lock.json` (the tarball's runtime dependency tree, resolved as Node would from the
 * tarball), so `npm ci --offline` finds every package in npm's cache, where `npm ci` of this
 * repository put them.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

interface LockEntry {
    version?: string;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    [key: string]: unknown;
}

/** What `npm pack --json` says about the tarball. */
interface Packed {
    filename: string;
    integrity: string;
    files: { path: string }[];
}

/** Where Node finds `name` when `from` (a lockfile key such as `node_modules/a`) requires it. */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
    for (let dir = from; ; dir = dir.slice(0, Math.max(dir.lastIndexOf("/node_modules/"), 0))) {
        const key = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
        if (packages[key]) return key;
        if (dir === "") return undefined;
    }
}

/** The lockfile entries of everything `deps` needs at run time, found from `from`. */
function runtimeClosure(packages: Record<string, LockEntry>, from: string, deps: Record<string, string>): Record<string, LockEntry> {
    const out: Record<string, LockEntry> = {};
    const visit = (at: string, names: string[]): void => {
        for (const name of names) {
            const key = resolveIn(packages, at, name);
            if (key === undefined || out[key]) continue;
            const entry = packages[key];
            out[key] = entry;
            const peers = Object.keys(entry.peerDependencies ?? {}).filter((p) => !entry.peerDependenciesMeta?.[p]?.optional);
            visit(key, [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers]);
        }
    };
    visit(from, Object.keys(deps));
    return out;
}

export class Consumer {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-consumer-"));
    packed!: Packed;

    /** `npm pack` of this repository (its `prepack` builds dist/), then the tarball's install. */
    install(): void {
        const json = execFileSync("npm", ["pack", "--json", "--pack-destination", this.dir], {
            cwd: ROOT,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        this.packed = (JSON.parse(json) as Packed[])[0];
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as LockEntry & { name: string };
        const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
        const spec = `file:${this.packed.filename}`;
        const packages: Record<string, LockEntry> = {
            "": { name: "kafka-env-consumer", dependencies: { [manifest.name]: spec } },
            [`node_modules/${manifest.name}`]: {
                version: manifest.version,
                resolved: spec,
                integrity: this.packed.integrity,
                license: manifest.license,
                dependencies: manifest.dependencies,
                engines: manifest.engines,
            },
            ...runtimeClosure(lock.packages, "", manifest.dependencies ?? {}),
        };
        fs.writeFileSync(
            path.join(this.dir, "package.json"),
            JSON.stringify({ name: "kafka-env-consumer", private: true, dependencies: { [manifest.name]: spec } }, null, 2),
        );
        fs.writeFileSync(
            path.join(this.dir, "package-lock.json"),
            JSON.stringify({ name: "kafka-env-consumer", lockfileVersion: 3, requires: true, packages }, null, 2),
        );
        execFileSync("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: this.dir, stdio: ["ignore", "pipe", "pipe"] });
    }

    /** Runs `node -e script` in the project, as a program of its own would run. */
    node(script: string): string {
        return execFileSync(process.execPath, ["-e", script], { cwd: this.dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
