#!/usr/bin/env bash
# Builds the client into dist/: signalr.wasm, the classic script (UMD, global `signalR`) and
# the ES module, which share one source (web/src) and differ only in their wrappers.
set -euo pipefail
cd "$(dirname "$0")"

out=dist/browser
rm -rf dist
mkdir -p "$out"

# Our packages without inlining (17 KB less brotli; the codecs run 7 % more instructions per
# message, start-up and a fresh page's speed the same), Go's runtime and standard library
# with it (docs/performance.md, "Size" and "A fresh page runs V8's baseline code").
# WASM_NAMES=<file> also writes a build that keeps function names, for `make size`.
# -checklinkname=0: internal/jsevents hands messages to the event handler of syscall/js it
# replaces (see its package doc), and jsutil.Entry asks the runtime whether a goroutine is ready.
gcflags=-gcflags=github.com/signalr-wasm/signalr-wasm/...=-l
# The standard library's time/sleep.go without its GODEBUG setting, which a page cannot set:
# 26 KB of brotli less (wasm/overlay).
overlay_dir=$(mktemp -d)
trap 'rm -rf "$overlay_dir"' EXIT
overlay=-overlay=$(go run ./wasm/overlay "$overlay_dir")
GOOS=js GOARCH=wasm go build -trimpath "$overlay" "$gcflags" -ldflags="-s -w -checklinkname=0" -o "$out/signalr.wasm" ./wasm
# The data in one segment: 45 KB less brotli (wasm/pack.mjs).
node wasm/pack.mjs "$out/signalr.wasm"
if [ -n "${WASM_NAMES:-}" ]; then
	GOOS=js GOARCH=wasm go build -trimpath "$overlay" "$gcflags" -ldflags=-checklinkname=0 -o "$WASM_NAMES" ./wasm
fi

goroot=$(go env GOROOT)
wasm_exec=$goroot/lib/wasm/wasm_exec.js
[ -f "$wasm_exec" ] || wasm_exec=$goroot/misc/wasm/wasm_exec.js # Go 1.23 and older
# wasm_exec.js inside web/src/go-runtime.js, which keeps it off the page's global object, after
# the text codec it is given (web/src/short-text.js).
marker='    // wasm_exec.js'
[ "$(grep -cxF "$marker" web/src/go-runtime.js)" = 1 ] || { echo "build.sh: web/src/go-runtime.js lost its marker line" >&2; exit 1; }
go_runtime=$(cat web/src/short-text.js && awk -v marker="$marker" -v wasm_exec="$wasm_exec" '$0 == marker { while ((getline line < wasm_exec) > 0) print line; next } { print }' web/src/go-runtime.js)

src=(web/src/enums.js web/src/errors.js web/src/subject.js web/src/values.js web/src/protocols.js web/src/events.js web/src/loader.js web/src/connection.js web/src/builder.js)
# @microsoft/signalr's 17 runtime exports, the add-on's MessagePackHubProtocol, and the
# add-on's place on the global (signalR.protocols.msgpack).
exports="AbortError, DefaultHttpClient, HttpClient, HttpError, HttpResponse, HttpTransportType, HubConnection, HubConnectionBuilder, HubConnectionState, JsonHubProtocol, LogLevel, MessagePackHubProtocol, MessageType, NullLogger, Subject, TimeoutError, TransferFormat, VERSION, protocols"

banner="/* signalr-wasm: a drop-in for @microsoft/signalr's signalr.js, in Go compiled to WebAssembly. */"

# Classic script: document.currentScript is only set while the script runs, so the wasm's
# default URL is taken from it right away.
{
	echo "$banner"
	cat <<'JS'
(function (root, factory) {
    if (typeof exports === "object" && typeof module === "object") {
        module.exports = factory();
    } else if (typeof define === "function" && define.amd) {
        define([], factory);
    } else if (typeof exports === "object") {
        exports["signalR"] = factory();
    } else {
        root["signalR"] = factory();
    }
})(typeof self !== "undefined" ? self : this, function () {
"use strict";
const scriptURL = (typeof document !== "undefined" && document.currentScript && document.currentScript.src) ||
    scriptURLFromStack() || (typeof self !== "undefined" && self.location && self.location.href) || "";
// importScripts() in a worker leaves no currentScript: the first URL of a stack trace taken
// while this script runs is this script's own.
function scriptURLFromStack() {
    const match = /((?:blob:)?(?:https?|file):\/\/[^\s()]+?):\d+:\d+/.exec(new Error().stack || "");
    return match && match[1];
}
function defaultWasmURL() {
    return new URL("signalr.wasm", scriptURL).href;
}
JS
	echo "$go_runtime"
	cat "${src[@]}"
	echo "return { $exports };"
	echo "});"
} > "$out/signalr.js"

# ES module: the Go runtime is its own module so that bundlers keep it (it is imported by name).
{
	echo "$go_runtime"
	echo "export { Go, goShims, ShortTextEncoder, ShortTextDecoder };"
} > "$out/go-runtime.mjs"
{
	echo "$banner"
	echo 'import { Go, goShims, ShortTextEncoder, ShortTextDecoder } from "./go-runtime.mjs";'
	cat <<'JS'
// The literal new URL("./signalr.wasm", import.meta.url) is what bundlers look for to ship
// the wasm; bundles without import.meta (esbuild's iife) fall back to the page's URL.
function defaultWasmURL() {
    try {
        return new URL("./signalr.wasm", import.meta.url);
    } catch {
        return new URL("signalr.wasm", (typeof document !== "undefined" && document.baseURI) || self.location.href);
    }
}
JS
	cat "${src[@]}"
	echo "export { $exports };"
} > "$out/signalr.mjs"

[ -x node_modules/.bin/esbuild ] || { echo "build.sh: node_modules is missing: run npm ci" >&2; exit 1; }
node_modules/.bin/esbuild --minify --log-level=warning "$out/signalr.js" --outfile="$out/signalr.min.js"
cp web/types/index.d.ts "$out/signalr.d.ts"

# Precompressed copies for servers that serve them (nginx gzip_static/brotli_static, CDNs);
# the package ships the tool as signalr-wasm-compress, for apps' bundles.
node web/compress.js "$out"/signalr.js "$out"/signalr.min.js "$out"/signalr.mjs "$out"/go-runtime.mjs "$out"/signalr.wasm
cp web/compress.js dist/compress.js

cat > dist/package.json <<'JSON'
{
  "name": "signalr-wasm",
  "version": "10.0.11-wasm.0",
  "description": "A drop-in replacement for @microsoft/signalr's browser client, in Go compiled to WebAssembly",
  "license": "MIT",
  "main": "./browser/signalr.js",
  "module": "./browser/signalr.mjs",
  "types": "./browser/signalr.d.ts",
  "browser": "./browser/signalr.js",
  "unpkg": "./browser/signalr.min.js",
  "umd_name": "signalR",
  "bin": { "signalr-wasm-compress": "./compress.js" },
  "exports": {
    ".": {
      "types": "./browser/signalr.d.ts",
      "import": "./browser/signalr.mjs",
      "default": "./browser/signalr.js"
    },
    "./signalr.wasm": "./browser/signalr.wasm",
    "./package.json": "./package.json"
  },
  "sideEffects": ["./browser/go-runtime.mjs", "./browser/signalr.js", "./browser/signalr.min.js"],
  "files": ["browser", "compress.js", "README.md"]
}
JSON
[ -f README.md ] && cp README.md dist/

echo "dist/browser (what a page downloads):"
for f in signalr.js signalr.min.js signalr.wasm; do
	printf '%-18s %9d raw %9d gzip %9d brotli\n' "$f" "$(wc -c < "$out/$f")" "$(wc -c < "$out/$f.gz")" "$(wc -c < "$out/$f.br")"
done
