// `make size`: what signalr.wasm costs. Usage: node wasm/size.mjs <signalr.wasm> <build with names>
//
// Prints the shipped wasm's raw, gzip and brotli bytes, its sections, and the code section by
// Go package, from a build that keeps the "name" section (function names). Each package's
// brotli column compresses its functions' code alone: a guide to what it costs, not an exact
// share (brotli compresses the whole file together). The data section (type data, strings,
// the runtime's function tables) has no names and is shown as a whole.
import fs from "node:fs";
import zlib from "node:zlib";
import { leb, sections } from "./wasmfile.mjs";

const [shippedPath, namedPath] = process.argv.slice(2);
if (!shippedPath || !namedPath) {
    console.error("usage: node wasm/size.mjs <signalr.wasm> <signalr.wasm built with names>");
    process.exit(2);
}

const gzip = (b) => zlib.gzipSync(b, { level: 9 }).length;
const brotli = (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (n) => (n / 1000).toFixed(1).padStart(8) + " KB"; // as build.sh and the README count

// functionNames reads the "name" section's function names: index -> name.
function functionNames(body) {
    const names = new Map();
    let pos = leb(body, 0)[1] + leb(body, 0)[0]; // the section's own name
    while (pos < body.length) {
        const kind = body[pos++];
        const [size, n] = leb(body, pos);
        pos += n;
        if (kind === 1) {
            let p = pos;
            const [count, c] = leb(body, p);
            p += c;
            for (let i = 0; i < count; i++) {
                const [index, a] = leb(body, p);
                p += a;
                const [len, b] = leb(body, p);
                p += b;
                names.set(index, body.subarray(p, p + len).toString());
                p += len;
            }
        }
        pos += size;
    }
    return names;
}

// goPackage is the package of a Go function name as the wasm names it ("/" and "-" become
// "_" there): the part before the first "." that follows the last path element.
function goPackage(name) {
    const domain = /^(github\.com|golang\.org|gopkg\.in)_/.exec(name);
    const rest = domain ? name.slice(domain[0].length) : name;
    const dot = rest.indexOf(".");
    return (domain ? domain[0] : "") + (dot < 0 ? rest : rest.slice(0, dot));
}

const shipped = fs.readFileSync(shippedPath);
console.log(`${shippedPath}: ${shipped.length} raw, ${gzip(shipped)} gzip, ${brotli(shipped)} brotli bytes`);
console.log("\nsections of the shipped wasm:          raw       brotli");
for (const s of sections(shipped)) {
    if (s.body.length > 1024) {
        console.log(`  ${s.name.padEnd(30)} ${kb(s.body.length)} ${kb(brotli(s.body))}`);
    }
}

const named = sections(fs.readFileSync(namedPath));
const names = functionNames(named.find((s) => s.name === "custom name").body);
const imported = named.find((s) => s.name === "import");
const importedFuncs = imported ? countFunctionImports(imported.body) : 0;
const code = named.find((s) => s.name === "code").body;
const packages = new Map();
let pos = 0;
const [count, c] = leb(code, pos);
pos += c;
for (let i = 0; i < count; i++) {
    const [size, n] = leb(code, pos);
    pos += n;
    const pkg = goPackage(names.get(importedFuncs + i) || "?");
    const entry = packages.get(pkg) || { bytes: 0, parts: [] };
    entry.bytes += size;
    entry.parts.push(code.subarray(pos, pos + size));
    packages.set(pkg, entry);
    pos += size;
}
const rows = [...packages].sort((a, b) => b[1].bytes - a[1].bytes);
console.log(`\ncode section by package (${count} functions):   raw   brotli alone`);
for (const [pkg, { bytes, parts }] of rows.slice(0, 30)) {
    console.log(`  ${pkg.replace(/^github\.com_signalr_wasm_signalr_wasm_/, "(ours) ").padEnd(36)} ${kb(bytes)} ${kb(brotli(Buffer.concat(parts)))}`);
}
const rest = rows.slice(30).flatMap(([, e]) => e.parts);
console.log(`  ${Math.max(rows.length - 30, 0)} more packages`.padEnd(38) +
    ` ${kb(rest.reduce((sum, p) => sum + p.length, 0))} ${kb(brotli(Buffer.concat(rest)))}`);

function countFunctionImports(body) {
    let p = 0;
    const [n, a] = leb(body, p);
    p += a;
    let funcs = 0;
    for (let i = 0; i < n; i++) {
        for (let k = 0; k < 2; k++) { // module and field names
            const [len, b] = leb(body, p);
            p += b + len;
        }
        const kind = body[p++];
        if (kind === 0) {
            funcs++;
            p += leb(body, p)[1];
        } else if (kind === 1) { // table: reftype, limits
            p++;
            p += limitsSize(body, p);
        } else if (kind === 2) {
            p += limitsSize(body, p);
        } else { // global: valtype, mutability
            p += 2;
        }
    }
    return funcs;
}

function limitsSize(body, p) {
    const flag = body[p];
    let size = 1 + leb(body, p + 1)[1];
    if (flag & 1) {
        size += leb(body, p + size)[1];
    }
    return size;
}
