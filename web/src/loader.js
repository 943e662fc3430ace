// Loading signalr.wasm. The wasm is fetched and compiled (streaming) as soon as this script or
// module runs, so that it arrives while the page goes on; the Go runtime starts at the first
// connection. The page's API is synchronous and the module arrives later, so the facade hands
// out objects at once and awaits loadModule() in every asynchronous call.
//
// globalThis.signalRWasmConfig, read when this script or module runs (set it before):
//   wasmURL            where the wasm comes from: a URL (string or URL), a Response, bytes or
//                      a compiled WebAssembly.Module; by default signalr.wasm beside this
//                      script or module (defaultWasmURL())
//   performanceMarks   true: the loading phases appear as performance.mark()s named
//                      "signalr-wasm:…" on the page's performance timeline
//   testHooks          true (page tests only): globalThis.signalRWasmCounters() tells the live
//                      cores, js.Funcs and the wasm memory's size
const loaderConfig = globalThis.signalRWasmConfig || {};
const compiledWasm = compileWasm(loaderConfig.wasmURL || defaultWasmURL());
// A page that never connects must not see an unhandled rejection if loading fails; its
// connections get the error.
compiledWasm.catch(() => {});
let modulePromise;

function loadModule() {
    if (!modulePromise) {
        modulePromise = startGo();
    }
    return modulePromise;
}

function markPhase(name) {
    if (loaderConfig.performanceMarks) {
        performance.mark("signalr-wasm:" + name);
    }
}

async function compileWasm(source) {
    if (source instanceof WebAssembly.Module) {
        return source;
    }
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
        return WebAssembly.compile(source);
    }
    const response = typeof Response !== "undefined" && source instanceof Response ? source : await fetch(source);
    if (!response.ok) {
        throw new Error(`Failed to load signalr.wasm from '${response.url}': ${response.status} ${response.statusText}`);
    }
    markPhase("wasm response");
    // Streaming compile needs the right MIME type; servers that send another still work.
    const module = typeof WebAssembly.compileStreaming === "function" &&
        /^application\/wasm($|;)/i.test(response.headers.get("Content-Type") || "")
        ? await WebAssembly.compileStreaming(response)
        : await WebAssembly.compile(await response.arrayBuffer());
    markPhase("wasm compiled");
    return module;
}

async function startGo() {
    const module = await compiledWasm;
    const go = new Go();
    // What Go calls as wasm imports (jsapi.Imports), bound once Go has handed over its api.
    // An import must never throw: an exception would unwind through Go's frames. caught wraps
    // each: what its call throws is kept for importThrown and it returns -1; else the call's
    // result, or 0.
    let textAt, api, thrown, inbox;
    const caught = (call) => (a, b, c, d) => {
        try {
            return call(a, b, c, d) ?? 0;
        } catch (e) {
            thrown = e;
            return -1;
        }
    };
    go.importObject.signalr = {
        // A handler's stand-in is fn in Go's table of values, its arguments' text at address;
        // flags: 1 tagged (the MessagePack reviver), 2 awaited.
        applyHandler: caught((fn, address, length, flags) =>
            applyHandler(go._values[fn], textAt(address, length), (flags & 1) !== 0, (flags & 2) !== 0, api.handlerSettled)),
        // The facade's deliver, with the errors Go holds as errs in its table of values (0:
        // none).
        deliver: caught((address, length, errs) => {
            deliver(textAt(address, length), errs === 0 ? undefined : go._values[errs]);
        }),
        sendFrame: caught((socket, binary, table, count) => inbox.sendFrame(socket, binary, table, count)),
    };
    const instance = await WebAssembly.instantiate(module, go.importObject);
    // Go's main hands over its API through a callback on the global object.
    go.env = { SIGNALR_WASM_READY: "__signalRWasmReady" };
    const exited = withGlobals({ ...goShims, __signalRWasmReady: (a) => { api = a; } }, () => go.run(instance))
        .then(() => { throw new Error("signalr.wasm exited."); });
    if (!api) {
        await exited;
    }
    exited.catch(() => {});
    markPhase("Go ready");
    // Go hands over the text of deliveries and of a handler's arguments as where it lies in
    // its memory (textAt).
    inbox = goInbox(go);
    textAt = inbox.textAt;
    api.init({
        createError, engineFault, msgpackReplacer, msgpackReviver, connectionIdle, sendsShared, watchPage,
        importThrown: () => {
            const e = thrown;
            thrown = undefined;
            return e;
        },
        inbox,
    });
    api.postCalls = inbox.postCalls;
    if (loaderConfig.testHooks) {
        // For the page tests: what a dropped connection must not leave behind.
        globalThis.signalRWasmCounters = () => ({ ...api.counters(), memory: instance.exports.mem.buffer.byteLength });
    }
    return api;
}

// withGlobals puts values on the global object while run runs, then puts back what was there.
// go.run() runs Go synchronously until its main has handed over the API: Go's package
// initialisers read wasm_exec.js's fs, process and path from the global object then (and
// keep them), and main reads its callback; page code never runs meanwhile, so the page never
// sees them, and a page's own fs, process or path is back untouched.
function withGlobals(values, run) {
    const saved = Object.keys(values).map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)]);
    for (const [name, own] of saved) {
        if (!own || own.configurable) {
            Object.defineProperty(globalThis, name, { value: values[name], configurable: true, writable: true });
        } else if (own.writable) {
            globalThis[name] = values[name]; // a page's `var`: not configurable, but writable
        }
    }
    try {
        return run();
    } finally {
        for (const [name, own] of saved) {
            if (!own) {
                delete globalThis[name];
            } else if (own.configurable) {
                Object.defineProperty(globalThis, name, own);
            } else if (own.writable) {
                globalThis[name] = own.value;
            }
        }
    }
}
