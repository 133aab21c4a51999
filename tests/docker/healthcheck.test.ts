import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { healthcheckTest } from "../../components/docker/node";
import { brokerHealthcheck, zookeeperHealthcheck } from "../../components/model/images";

describe("Docker healthcheck form", () => {
    it("runs the check unchanged through sh, quotes and all", () => {
        const [form, command] = healthcheckTest(`x=$(echo "it's"); echo "$x $((1 + 1))"`);
        assert.equal(form, "CMD-SHELL");
        const r = spawnSync("sh", ["-c", command], { encoding: "utf8" });
        assert.equal(r.stdout, "it's 2\n");
    });

    it("keeps the real checks valid bash", () => {
        for (const check of [brokerHealthcheck(29092), zookeeperHealthcheck(2181)]) {
            const r = spawnSync("bash", ["-n", "-c", check], { encoding: "utf8" });
            assert.equal(r.status, 0, r.stderr);
        }
    });
});
