// Writes golden.json: for each value, the tagged JSON our page-side replacer gives and the
// MessagePack the official add-on's encoder (@msgpack/msgpack) gives. The Go tests check
// against it. Run from the repository root after npm ci:
//   node internal/taggedjson/testdata/gen-golden.mjs > internal/taggedjson/testdata/golden.json
import { readFileSync } from "node:fs";
import { Encoder } from "@msgpack/msgpack";

const { msgpackReplacer } = new Function(readFileSync("web/src/values.js", "utf8") + "; return { msgpackReplacer };")();
const encoder = new Encoder();
const hex = (bytes) => Buffer.from(bytes).toString("hex");

const values = {
    integers: [0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, -(2 ** 53 - 1)],
    floats: [0.5, -1.25, 2 ** 53, 1e21, -0, 5e-324, 1.7976931348623157e308, NaN, Infinity, -Infinity],
    strings: ["", "a", "x".repeat(31), "x".repeat(32), "x".repeat(255), "x".repeat(256), "é€😀", "\u0000\n\"\\", "\ud800 lone", "\udc00"],
    scalars: [true, false, null, undefined],
    bytes: [new Uint8Array([]), new Uint8Array([1, 2, 3]), new Uint8Array(300).fill(7), new Uint16Array([1, 2]), new DataView(new ArrayBuffer(2))],
    dates: [new Date(0), new Date(1000), new Date(1500), new Date(Date.UTC(2026, 10, 25, 12, 0, 0, 123)), new Date(-1), new Date(-86400000 * 365), new Date(2 ** 34 * 1000 + 5)],
    containers: [[], {}, [1, [2, [3]]], { a: 1, b: [true, null], c: { d: "e" } }, Object.fromEntries(Array.from({ length: 16 }, (_, i) => ["k" + i, i])), Array.from({ length: 16 }, (_, i) => i), { u: undefined, n: null }, [undefined]],
    objects: [new (class { constructor() { this.own = 1; } toJSON() { return "not this"; } })(), new Map([["a", 1]]), new ArrayBuffer(4)],
};

const cases = [];
for (const [group, list] of Object.entries(values)) {
    list.forEach((value, i) => {
        cases.push({ name: `${group}/${i}`, json: JSON.stringify([value], msgpackReplacer), msgpack: hex(encoder.encode([value])) });
    });
}
console.log(JSON.stringify({ values: cases }, null, 1));
