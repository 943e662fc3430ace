"use strict";

// csp.html's check: a connection works under a policy without 'unsafe-eval', and the error of a
// bad negotiate response, whose words the facade takes from the engine with new Function, keeps
// the engine's words that Go knows (V8's) where the policy forbids it.
window.cspRecord = (async () => {
    // The policy's refusal of the facade's new Function, which this check waits for.
    const evalRefused = new Promise((resolve) => {
        document.addEventListener("securitypolicyviolation", (e) => {
            if (e.blockedURI === "eval") {
                resolve(true);
            }
        });
    });
    const build = (url) => new signalR.HubConnectionBuilder().withUrl(url).configureLogging(signalR.LogLevel.None).build();
    const c = build("/testhub");
    await c.start();
    const echoed = await c.invoke("Echo", "under a CSP");
    await c.stop();
    let negotiateNull;
    try {
        await build("/testhub?negotiateBody=null").start();
    } catch (e) {
        negotiateNull = e.message;
    }
    return { echoed, negotiateNull, evalRefused: await evalRefused };
})();
