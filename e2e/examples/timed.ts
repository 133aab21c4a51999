/** Runs a setup step and prints how long it took (the examples' tests report each step's time). */
export function timed<T>(what: string, run: () => T): T {
    const started = Date.now();
    const result = run();
    console.log(`      ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
}
