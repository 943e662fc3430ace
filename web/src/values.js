// MessagePack values cross to Go as one JSON string (see internal/taggedjson): the
// browser's JSON.stringify and JSON.parse do the walking, these two functions tag what JSON
// cannot carry. They run once per value inside JSON's own loop; Go never walks a JS object.

function bytesToBase64(bytes) {
    if (typeof bytes.toBase64 === "function") {
        return bytes.toBase64();
    }
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
        s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(s);
}

function base64ToBytes(text) {
    if (typeof Uint8Array.fromBase64 === "function") {
        return Uint8Array.fromBase64(text);
    }
    const s = atob(text);
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
        bytes[i] = s.charCodeAt(i);
    }
    return bytes;
}

// msgpackReplacer is JSON.stringify's replacer with @msgpack/msgpack's value rules: binary
// views become bin, Dates the timestamp extension, undefined nil, non-finite numbers stay
// numbers, an object's toJSON is ignored, and what MessagePack cannot encode throws its error.
function msgpackReplacer(key, value) {
    const original = this[key];
    switch (typeof original) {
        case "undefined":
            return null;
        case "number":
            return Number.isFinite(original) ? original : { "\u0000n": String(original) };
        case "function":
        case "symbol":
        case "bigint":
            throw new Error("Unrecognized object: " + Object.prototype.toString.apply(original));
        case "object":
            if (original === null) {
                return null;
            }
            if (original instanceof Date) {
                return { "\u0000d": original.getTime() };
            }
            if (ArrayBuffer.isView(original)) {
                return { "\u0000b": bytesToBase64(new Uint8Array(original.buffer, original.byteOffset, original.byteLength)) };
            }
            if (value !== original && !Array.isArray(original)) {
                return Object.assign({}, original); // toJSON ran: MessagePack takes the own keys
            }
    }
    return value;
}

// msgpackReviver is JSON.parse's reviver for a text with tags; Go tells when there are any.
function msgpackReviver(key, value) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return value;
    }
    const keys = Object.keys(value);
    if (keys.length !== 1 || keys[0].length !== 2 || keys[0][0] !== "\u0000") {
        return value;
    }
    const tagged = value[keys[0]];
    switch (keys[0][1]) {
        case "b":
            return base64ToBytes(tagged);
        case "d":
            return new Date(tagged);
        case "n":
            return Number(tagged);
        case "e": {
            const at = tagged.indexOf(":");
            return { type: Number(tagged.slice(0, at)), data: base64ToBytes(tagged.slice(at + 1)) };
        }
    }
    return value;
}
