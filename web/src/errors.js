// signalr.js's error classes, with their messages and fields, so that `instanceof` and
// `err.errorType` work as pages expect. Only the exported three are reachable by name.
class HttpError extends Error {
    constructor(errorMessage, statusCode) {
        super(`${errorMessage}: Status code '${statusCode}'`);
        this.statusCode = statusCode;
    }
}

class TimeoutError extends Error {
    constructor(errorMessage = "A timeout occurred.") {
        super(errorMessage);
    }
}

class AbortError extends Error {
    constructor(errorMessage = "An abort occurred.") {
        super(errorMessage);
    }
}

class TransportError extends Error {
    constructor(message, transport, errorType) {
        super(message);
        this.transport = transport;
        this.errorType = errorType;
    }
}

class UnsupportedTransportError extends TransportError {
    constructor(message, transport) { super(message, transport, "UnsupportedTransportError"); }
}

class DisabledTransportError extends TransportError {
    constructor(message, transport) { super(message, transport, "DisabledTransportError"); }
}

class FailedToStartTransportError extends TransportError {
    constructor(message, transport) { super(message, transport, "FailedToStartTransportError"); }
}

class FailedToNegotiateWithServerError extends Error {
    constructor(message) {
        super(message);
        this.errorType = "FailedToNegotiateWithServerError";
    }
}

class AggregateErrors extends Error {
    constructor(message, innerErrors) {
        super(message);
        this.innerErrors = innerErrors;
    }
}

// @msgpack/msgpack's error for a MessagePack value it cannot read (not exported, as there).
class DecodeError extends Error {
    constructor(message) {
        super(message);
        Object.defineProperty(this, "name", { configurable: true, enumerable: false, value: "DecodeError" });
    }
}

const errorClasses = {
    Error, HttpError, TimeoutError, AbortError, UnsupportedTransportError, DisabledTransportError,
    FailedToStartTransportError, FailedToNegotiateWithServerError, AggregateErrors, DecodeError, RangeError,
};

// engineFaults are the expressions of signalr.js (and of @msgpack/msgpack) that throw on data
// they do not expect (protocol.DecodeError's Fault): each engine words the TypeError or
// RangeError its own way, and for the same words Go has them thrown here. They are written
// as text so that a minifier keeps signalr.js's names, which JavaScriptCore quotes.
const engineFaults = {
    handshake: ["response", "if (response.type) { return; }"],
    negotiate: ["negotiateResponse", "\"use strict\"; if (!negotiateResponse.negotiateVersion || negotiateResponse.negotiateVersion < 1) { negotiateResponse.connectionToken = negotiateResponse.connectionId; }"],
    dataView: ["", "new DataView(new ArrayBuffer(0)).getUint8(0);"],
};

// engineFault runs the expression named by fault on JSON.parse(json) and returns what it
// threw as [name, message], or undefined: it threw nothing, or this page cannot compile code
// (a Content-Security-Policy without 'unsafe-eval'), and Go keeps V8's words.
function engineFault(fault, json) {
    let run;
    try {
        run = new Function(...engineFaults[fault]);
    } catch {
        return undefined;
    }
    try {
        run(json === undefined ? undefined : JSON.parse(json));
    } catch (e) {
        return [e.name, e.message];
    }
    return undefined;
}

// createError is how Go makes these classes (jsapi/doc.go): extra is HttpError's statusCode,
// a transport error's transport, or AggregateErrors' innerErrors; null for the classes that
// take a message only.
function createError(kind, message, extra) {
    const E = errorClasses[kind] || Error;
    return extra === null || extra === undefined ? new E(message) : new E(message, extra);
}
