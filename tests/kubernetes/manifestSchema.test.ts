/** The schema check (schema.ts) that the resource-graph tests run on every rendered object. */
import { strict as assert } from "node:assert";
import { schemaErrors } from "./schema";

describe("the schema check itself", () => {
    it("fails a misspelled field", function () {
        this.timeout(60000);
        const errors = schemaErrors([
            { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "x" }, spec: { serviceName: "x", replica: 3, selector: {}, template: {} } },
        ]);
        assert.equal(errors.length, 1);
        assert.match(errors[0], /'replica' was unexpected/);
    });
});
