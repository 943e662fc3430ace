// Vite 8 needs nothing for the package (Vite 7's dev server needed optimizeDeps.exclude, as
// its pre-bundling separated the module from its wasm). The proxy is the test's, not the app's.
export default {
    server: {
        proxy: { "/testhub": { target: process.env.SIGNALR_TEST_SERVER, ws: true } },
    },
};
