#!/usr/bin/env node
// signalr-wasm-compress FILE-OR-FOLDER…: writes X.br and X.gz beside every .wasm, .js and .mjs
// (in folders, recursively), for servers that serve precompressed files (nginx brotli_static
// and gzip_static, ASP.NET Core's static assets): build.sh runs it on the package, and an app
// runs it on its bundler's output.
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

function* files(name) {
    if (fs.statSync(name).isDirectory()) {
        for (const entry of fs.readdirSync(name)) {
            yield* files(path.join(name, entry));
        }
    } else if (/\.(wasm|m?js)$/.test(name)) {
        yield name;
    }
}

for (const arg of process.argv.slice(2)) {
    for (const file of files(arg)) {
        const data = fs.readFileSync(file);
        fs.writeFileSync(file + ".gz", zlib.gzipSync(data, { level: 9 }));
        fs.writeFileSync(file + ".br", zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
}
