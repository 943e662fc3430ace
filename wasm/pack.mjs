// Usage: node wasm/pack.mjs <signalr.wasm>: rewrites the file with its data in one segment.
//
// Go's linker writes the data section for the raw size: it starts a new segment wherever 8 or
// more zero bytes can be skipped. Most of those zeros are the runtime's findfunctab, where
// each of the 36,000 buckets of 20 bytes (PCs are function index << 16 in wasm) holds one or
// two non-zero bytes: 39,000 segments, whose offsets and lengths (6-8 bytes each) do not
// compress. One segment holding the zeros too is 0.4 MB larger raw and 45 KB smaller brotli,
// 70 KB smaller gzip; the memory the module starts with is the same bytes (memory starts
// zeroed).
import fs from "node:fs";
import { leb, module, sections, sleb, uleb } from "./wasmfile.mjs";

const file = process.argv[2];
if (!file) {
    console.error("usage: node wasm/pack.mjs <file.wasm>");
    process.exit(2);
}
const wasm = fs.readFileSync(file);
const parts = sections(wasm);
const data = parts.find((s) => s.name === "data");
if (!data || parts.some((s) => s.name === "data count")) {
    throw new Error(`${file}: expected a data section and no data count section, as Go's linker writes`);
}

// Go's segments: active, memory 0, offset `i32.const n; end`.
const segments = [];
let pos = 0;
const [count, n] = leb(data.body, pos);
pos += n;
for (let i = 0; i < count; i++) {
    if (data.body[pos] !== 0 || data.body[pos + 1] !== 0x41) {
        throw new Error(`${file}: data segment ${i} is not an active segment at an i32.const offset`);
    }
    const [offset, a] = leb(data.body, pos + 2); // non-negative: the unsigned reading is right
    pos += 2 + a;
    if (data.body[pos++] !== 0x0b) {
        throw new Error(`${file}: data segment ${i}'s offset is not a lone i32.const`);
    }
    const [length, b] = leb(data.body, pos);
    pos += b;
    segments.push({ offset, bytes: data.body.subarray(pos, pos + length) });
    pos += length;
}
if (segments.length > 1) {
    const start = Math.min(...segments.map((s) => s.offset));
    const end = Math.max(...segments.map((s) => s.offset + s.bytes.length));
    const memory = Buffer.alloc(end - start);
    for (const { offset, bytes } of segments) {
        bytes.copy(memory, offset - start);
    }
    data.body = Buffer.concat([uleb(1), Buffer.from([0, 0x41]), sleb(start), Buffer.from([0x0b]), uleb(memory.length), memory]);
    fs.writeFileSync(file, module(wasm, parts));
}
