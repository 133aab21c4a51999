// Lint: typescript-eslint's recommended type-aware rules plus Pulumi's output-in-template rules.
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    // examples/ and tests/package/fixtures/ import "kafka-env" as its users do: tests/package type-checks them against the packed package.
    { ignores: ["node_modules/", "bin/", "dist/", ".tools/", ".e2e/", "rendered/", "**/*.js", "**/*.mjs", "examples/", "tests/package/fixtures/"] },
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
        },
    },
    {
        files: ["tests/**/*.ts", "e2e/**/*.ts", "bench/**/*.ts"],
        // Tests read mocked resource inputs, which are untyped by nature.
        rules: {
            "@typescript-eslint/no-unused-expressions": "off",
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-return": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
        },
    },
);
