// Writes msgpack-golden.json: the frames the official add-on writes for the messages a
// client sends. The Go tests check against it. Run from the repository root after npm ci:
//   node protocol/testdata/gen-msgpack-golden.mjs > protocol/testdata/msgpack-golden.json
import { createRequire } from "node:module";

const { MessagePackHubProtocol } = createRequire(import.meta.url)("@microsoft/signalr-protocol-msgpack");
const hex = (bytes) => Buffer.from(bytes).toString("hex");

// The messages HubConnection hands the add-on, named as msgpack_test.go names them.
const protocol = new MessagePackHubProtocol();
const args = [1, "two"];
const messages = {
    invoke: { type: 1, target: "Echo", arguments: args, invocationId: "0" },
    send: { type: 1, target: "Echo", arguments: args },
    invokeWithStream: { type: 1, target: "Up", arguments: [], invocationId: "1", streamIds: ["0"] },
    stream: { type: 4, target: "Counter", arguments: args, invocationId: "2" },
    streamItem: { type: 2, invocationId: "0", item: 5 },
    streamComplete: { type: 3, invocationId: "0" },
    nullResult: { type: 3, invocationId: "s1", result: null },
    errorResult: { type: 3, invocationId: "s1", error: "no" },
    cancel: { type: 5, invocationId: "2" },
    ping: { type: 6 },
    close: { type: 7 },
    ack: { type: 8, sequenceId: 3 },
    sequence: { type: 9, sequenceId: 300 },
};
const frames = Object.entries(messages).map(([name, m]) => ({ name, frame: hex(new Uint8Array(protocol.writeMessage(m))) }));
console.log(JSON.stringify({ frames }, null, 1));
