/**
 * What a pod's launcher exports before it hands over to the image: the StatefulSet's own command,
 * run by bash up to the image launcher, over the group's settings ConfigMap written to a temporary
 * directory, with the pod's host name. Tests read node settings through it, as a pod does.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NODE_CONFIG_DIR as CONFIG_DIR } from "../../components/kubernetes/nodes";
import { BEFORE_LAUNCH } from "../../components/model/images";

const LAUNCH = `\n${BEFORE_LAUNCH}\n`;

export function podEnv(command: string, files: Readonly<Record<string, string>>, pod: string): Record<string, string> {
    if (!command.includes(LAUNCH) || !command.includes(CONFIG_DIR)) throw new Error(`not a node launcher: ${command}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-pod-"));
    try {
        for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
        // The environment before and after: what the launcher adds is what the image gets from kafka-env.
        const script = `env -0; printf '\\1'\n${command.slice(0, command.indexOf(LAUNCH)).split(CONFIG_DIR).join(dir)}\nenv -0`;
        const out = execFileSync("env", ["-i", `HOSTNAME=${pod}`, "bash", "-c", script], { encoding: "utf8" });
        const parse = (text: string) =>
            new Map(
                text
                    .split("\0")
                    .filter(Boolean)
                    .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
            );
        const [before, after] = out.split("\x01").map(parse);
        return Object.fromEntries([...after].filter(([k, v]) => !["_", "SHLVL"].includes(k) && before.get(k) !== v).sort(([a], [b]) => (a < b ? -1 : 1)));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
