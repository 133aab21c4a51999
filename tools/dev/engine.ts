/**
 * A Docker API for the dev stack: the one DOCKER_HOST names, else the project's Podman engine that
 * an earlier `npm run up` started, else the default socket; when none answers, `npm run up` starts
 * the project's engine (e2e/engine/start.sh: Podman's API service and the healthcheck ticker that
 * stands in for systemd's timers). That engine outlives the command, for the cluster's sake, and is
 * recorded so that `npm run down` stops it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DevError, env, must, quiet, say, shown, which } from "./proc";

/** Where the dev engine keeps its socket, pids and logs (short: a unix socket path has ~100 bytes). */
export const ENGINE_DIR = process.env.KAFKA_ENV_DEV_ENGINE_DIR ?? "/tmp/kafka-env-dev-engine";
const MARKER = "started-by-npm-run-up";
const DEFAULT_SOCKET = "/var/run/docker.sock";

export interface Engine {
    /** DOCKER_HOST to use; undefined: the docker CLI's default. */
    readonly host?: string;
    /** The project's Podman engine (local images can be built into it). */
    readonly podman: boolean;
    /** Started by `npm run up` (now or earlier): `npm run down` stops it. */
    readonly ours: boolean;
}

export const ourSocket = () => `unix://${path.join(ENGINE_DIR, "podman.sock")}`;

/** The server's name when a Docker API answers at `host` (undefined: the default). */
export function answers(host: string | undefined): string | undefined {
    const saved = env.DOCKER_HOST;
    if (host === undefined) delete env.DOCKER_HOST;
    else env.DOCKER_HOST = host;
    const r = quiet("docker", ["version", "--format", "{{.Server.Platform.Name}}|{{.Server.Version}}"], { timeoutSeconds: 15 });
    if (saved === undefined) delete env.DOCKER_HOST;
    else env.DOCKER_HOST = saved;
    return r.code === 0 ? r.stdout.trim() || "Docker" : undefined;
}

const isPodman = (server: string) => /podman/i.test(server);

function alive(pidFile: string): boolean {
    try {
        process.kill(Number(fs.readFileSync(pidFile, "utf8").trim()), 0);
        return true;
    } catch {
        return false;
    }
}

/** Finds a Docker API (starting the project's engine when `start` and none answers); sets `env.DOCKER_HOST`. */
export function ensureEngine(root: string, options: { start: boolean }): Engine | undefined {
    if (!which("docker")) installEnginePackages(root, "the docker CLI is missing (kafka-env's roll gates and checks use it)");
    const mine = fs.existsSync(path.join(ENGINE_DIR, MARKER));
    const wanted = process.env.DOCKER_HOST;
    if (wanted && wanted !== ourSocket()) {
        const server = answers(wanted);
        if (!server)
            throw new DevError(`DOCKER_HOST=${wanted} does not answer: start that engine, or unset DOCKER_HOST and npm run up starts the project's own`);
        return use({ host: wanted, podman: isPodman(server), ours: false }, server);
    }
    // Ours is reused while its API answers and its healthcheck ticker runs (without it no container turns healthy).
    if (mine && answers(ourSocket()) && alive(path.join(ENGINE_DIR, "ticker.pid"))) {
        say(`Docker API: the project's Podman engine that npm run up started earlier (${ENGINE_DIR})`);
        return use({ host: ourSocket(), podman: true, ours: true });
    }
    const server = !mine && !wanted ? answers(undefined) : undefined;
    if (server) return use({ podman: isPodman(server), ours: false }, server);
    if (!options.start) return undefined;
    const why = mine
        ? `the Podman engine an earlier npm run up started (${ENGINE_DIR}) no longer answers, or its healthcheck ticker stopped`
        : `none answers (${wanted ? `DOCKER_HOST=${wanted} does not` : "DOCKER_HOST unset"}, nothing on ${DEFAULT_SOCKET})`;
    return use(startEngine(root, why));
}

function use(engine: Engine, server?: string): Engine {
    if (engine.host === undefined) delete env.DOCKER_HOST;
    else env.DOCKER_HOST = engine.host;
    if (server) say(`Docker API: ${engine.host ?? DEFAULT_SOCKET} (${server})`);
    return engine;
}

function startEngine(root: string, why: string): Engine {
    if (!which("podman") || !which("runc")) installEnginePackages(root, `Docker API: ${why}, and Podman is not installed`);
    say(`Docker API: ${why}: starting the project's Podman engine (e2e/engine/start.sh) in ${ENGINE_DIR}; it keeps running for the cluster until npm run down`);
    // A service that died (a reboot, a kill) leaves pid files: stop.sh clears them.
    quiet("bash", [path.join(root, "e2e/engine/stop.sh"), ENGINE_DIR]);
    must("starting the Podman engine", "bash", [path.join(root, "e2e/engine/start.sh"), ENGINE_DIR]);
    fs.writeFileSync(path.join(ENGINE_DIR, MARKER), "npm run up started this engine; npm run down stops it\n");
    return { host: ourSocket(), podman: true, ours: true };
}

function installEnginePackages(root: string, why: string): void {
    if (process.getuid?.() !== 0) throw new DevError(`${why}: install Docker or Podman (npm run up installs Podman from Debian packages when run as root)`);
    say(`${why}: installing Podman and the image build tools from Debian packages (e2e/engine/install.sh): usually under a minute`);
    shown("installing Podman", "bash", [path.join(root, "e2e/engine/install.sh")]);
}

/** Stops the engine `npm run up` started, if it did (`npm run down`, once the environment is gone). */
export function stopOurEngine(root: string): boolean {
    if (!fs.existsSync(path.join(ENGINE_DIR, MARKER))) return false;
    must("stopping the Podman engine", "bash", [path.join(root, "e2e/engine/stop.sh"), ENGINE_DIR]);
    fs.rmSync(ENGINE_DIR, { recursive: true, force: true });
    return true;
}
