// Loading signalr.wasm. The page's API is synchronous and the module arrives later, so the
// facade hands out objects at once and awaits loadModule() in every asynchronous call.
//
// Where the wasm comes from, first match wins:
//   globalThis.signalRWasmConfig = { wasmURL }   set by the page before this script/module:
//                                                a URL (string or URL), a Response, bytes or
//                                                a compiled WebAssembly.Module
//   defaultWasmURL()                             signalr.wasm beside this script or module
let modulePromise;

function loadModule() {
    if (!modulePromise) {
        modulePromise = instantiateGo();
    }
    return modulePromise;
}

async function instantiateGo() {
    const config = globalThis.signalRWasmConfig || {};
    const go = new Go();
    // Go announces its API through a one-shot global callback, deleted once called: nothing
    // of ours stays on the global object (wasm_exec.js's Go, fs, process and path do).
    const readyName = "__signalRWasmReady_" + Math.random().toString(36).slice(2);
    const ready = new Promise((resolve) => { globalThis[readyName] = resolve; });
    go.env = { SIGNALR_WASM_READY: readyName };
    try {
        const instance = await instantiate(config.wasmURL || defaultWasmURL(), go.importObject);
        const exited = go.run(instance).then(() => {
            throw new Error("signalr.wasm exited.");
        });
        const api = await Promise.race([ready, exited]);
        api.init({ createError, msgpackReplacer, msgpackReviver, connectionIdle });
        if (config.testHooks) {
            // For the page tests: what a dropped connection must not leave behind.
            globalThis.signalRWasmCounters = () => ({ ...api.counters(), memory: instance.exports.mem.buffer.byteLength });
        }
        return api;
    } finally {
        delete globalThis[readyName];
    }
}

async function instantiate(source, imports) {
    if (source instanceof WebAssembly.Module) {
        return WebAssembly.instantiate(source, imports);
    }
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
        return (await WebAssembly.instantiate(source, imports)).instance;
    }
    const response = typeof Response !== "undefined" && source instanceof Response ? source : await fetch(source);
    if (!response.ok) {
        throw new Error(`Failed to load signalr.wasm from '${response.url}': ${response.status} ${response.statusText}`);
    }
    // Streaming compile needs the right MIME type; servers that send another still work.
    if (typeof WebAssembly.instantiateStreaming === "function" &&
        /^application\/wasm($|;)/i.test(response.headers.get("Content-Type") || "")) {
        return (await WebAssembly.instantiateStreaming(response, imports)).instance;
    }
    return (await WebAssembly.instantiate(await response.arrayBuffer(), imports)).instance;
}
