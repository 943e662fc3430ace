// The one line the Vite dev server needs (bundling.md): without it, Vite pre-bundles the
// package and the wasm beside it is no longer found. The proxy is the test's, not the app's.
export default {
    optimizeDeps: { exclude: ["signalr-wasm"] },
    server: {
        proxy: { "/testhub": { target: process.env.SIGNALR_TEST_SERVER, ws: true } },
    },
};
