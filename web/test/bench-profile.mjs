// Prints the functions with the most self time in a .cpuprofile (e2e/bench_test.go writes
// them under SIGNALR_PROFILE): node web/test/bench-profile.mjs file.cpuprofile [top [from [to]]].
// It counts samples, not the time between them: on a loaded machine the profiler's thread
// misses its turns, and the time until its next sample would all go to the function it
// happened to sample last (seen here: one sample of runtime.getitab followed by a 7 ms gap).
// With from (and to), only the samples from the first whose stack holds a function named from
// to the first after it whose stack holds to: the benchmark's measured part, not its start.
import { readFileSync } from "node:fs";

const [file, top = "25", from, to] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) {
    for (const c of n.children || []) {
        parent.set(c, n.id);
    }
}
function holds(id, name) {
    for (; id !== undefined; id = parent.get(id)) {
        if (byId.get(id).callFrame.functionName === name) {
            return true;
        }
    }
    return false;
}
const self = new Map();
let inside = !from;
let total = 0;
profile.samples.forEach((id) => {
    if (!inside && holds(id, from)) {
        inside = true;
    } else if (inside && to && holds(id, to)) {
        inside = null;
    }
    if (!inside) {
        return;
    }
    const { functionName, url } = byId.get(id).callFrame;
    const name = functionName || "(anonymous " + url.split("/").pop() + ")";
    self.set(name, (self.get(name) || 0) + 1);
    total++;
});
console.log(`${file}: ${total} samples`);
for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, +top)) {
    console.log(`${String(n).padStart(8)} ${(100 * n / total).toFixed(1).padStart(5)}%  ${name}`);
}
