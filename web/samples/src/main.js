// The sample app, written against @microsoft/signalr, with only the module name changed.
import * as signalR from "signalr-wasm";
import { runSample } from "./sample.js";

window.sampleResult = runSample(signalR).catch((e) => ({ error: String(e) }));
