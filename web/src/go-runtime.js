// Go's wasm_exec.js, scoped: build.sh puts it where the marker line is. Left to itself it
// writes Go, fs, process and path on the global object; here the `globalThis` it names is
// first a holder that receives them, then, once it has run, the real global object, which is
// what its run() hands to Go as js.Global(). Its bare `fs` (Go's writes to stdout and stderr)
// is the `fs` below. Go's syscall package reads fs, process and path from js.Global() in its
// package initialisers: startGo (loader.js) puts goShims there only while those run.
// It reads and writes text with ShortTextEncoder and ShortTextDecoder (short-text.js): it
// checks globalThis.TextEncoder and globalThis.TextDecoder, then makes its codecs with the
// bare names: the two constants below answer both.
const { Go, goShims } = ((realGlobal) => {
    const TextEncoder = ShortTextEncoder;
    const TextDecoder = ShortTextDecoder;
    let globalThis = {
        crypto: realGlobal.crypto,
        performance: realGlobal.performance,
        TextEncoder,
        TextDecoder,
    };
    let fs;
    // wasm_exec.js
    const holder = globalThis;
    fs = holder.fs;
    globalThis = realGlobal;
    return { Go: holder.Go, goShims: { fs: holder.fs, process: holder.process, path: holder.path } };
})(globalThis);
