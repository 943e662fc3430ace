// Writes msgpack-golden.json: for each value, the tagged JSON our page-side replacer gives
// and the MessagePack the official add-on's encoder (@msgpack/msgpack) gives; and the frames
// the add-on writes for the messages a client sends. The Go tests check against it. Run from the repository root after npm ci:
//   node protocol/testdata/gen-msgpack-golden.mjs > protocol/testdata/msgpack-golden.json
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Encoder } from "@msgpack/msgpack";

const { MessagePackHubProtocol } = createRequire(import.meta.url)("@microsoft/signalr-protocol-msgpack");

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
// The messages HubConnection hands the add-on, named as msgpack_test.go names them.
const protocol = new MessagePackHubProtocol();
const args = [1, "two"];
const messages = {
    invoke: { type: 1, target: "Echo", arguments: args, invocationId: "0" },
    send: { type: 1, target: "Echo", arguments: args },
    invokeWithStream: { type: 1, target: "Up", arguments: [], invocationId: "1", streamIds: ["0"] },
    stream: { type: 4, target: "Counter", arguments: args, invocationId: "2" },
    streamItem: { type: 2, invocationId: "0", item: 5 },
    streamComplete: { type: 3, invocationId: "0" },
    nullResult: { type: 3, invocationId: "s1", result: null },
    errorResult: { type: 3, invocationId: "s1", error: "no" },
    cancel: { type: 5, invocationId: "2" },
    ping: { type: 6 },
    close: { type: 7 },
    ack: { type: 8, sequenceId: 3 },
    sequence: { type: 9, sequenceId: 300 },
};
const frames = Object.entries(messages).map(([name, m]) => ({ name, frame: hex(new Uint8Array(protocol.writeMessage(m))) }));
console.log(JSON.stringify({ values: cases, frames }, null, 1));
