import { ConfigError, Problem } from "../components/model";
import { EnvironmentInput, planEnvironment } from "../components/plan";

/** The problems `planEnvironment` reports for a stack's config (empty when it is valid). */
export function planProblems(input: EnvironmentInput): Problem[] {
    try {
        planEnvironment(input);
        return [];
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
}
