// ShortTextEncoder and ShortTextDecoder are what crosses text between Go and JS: each
// message, each string Go reads or makes (wasm_exec.js's loadString, valuePrepareString) and
// each delivery. A call into Chromium's TextDecoder.decode or TextEncoder.encodeInto costs
// 0.3 to 2 µs whatever the text, more than copying a short ASCII text by hand costs in all;
// most SignalR messages are short and ASCII, so those are copied by hand, and anything longer
// or not ASCII goes to the browser's codec.

// Where the browser's codec becomes the faster one, measured in Chromium: encoding past
// about 200 bytes; decoding past about 64 in a loop of decodes, but inside the page, between
// messages, TextDecoder.decode took 8.5-8.9 µs for a chat message's 90 bytes of arguments
// where the copy by hand takes 3-4.6 (the `SendMany` receive bench, timed around it).
const shortDecode = 256;
const shortEncode = 192;
// codes holds the character codes of the text being decoded: String.fromCharCode.apply over a
// plain array of them took a MessagePack handler's arguments (about 100 bytes of tagged JSON)
// 2.5-3.3 µs inside the page, over the Uint8Array itself 4.6 (the `SendMany` bench, timed
// around the facade's textAt); decode never calls out while it fills it.
const codes = [];
class ShortTextDecoder extends TextDecoder {
    decode(input, options) {
        if (input && input.byteLength <= shortDecode && options === undefined) {
            const bytes = input instanceof Uint8Array ? input
                : ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
                : new Uint8Array(input);
            const n = bytes.length;
            codes.length = n;
            let i = 0;
            for (; i < n; i++) {
                const c = bytes[i];
                if (c > 0x7f) {
                    break;
                }
                codes[i] = c;
            }
            if (i === n) {
                return String.fromCharCode.apply(null, codes);
            }
        }
        return super.decode(input, options);
    }
}
// asciiInto writes text's UTF-16 units into view when all of them are ASCII and fit, and
// says how many it wrote; -1 leaves the text to the browser's encoder.
const asciiInto = (text, view) => {
    const n = text.length;
    if (n > shortEncode || n > view.length) {
        return -1;
    }
    for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c > 0x7f) {
            return -1;
        }
        view[i] = c;
    }
    return n;
};
class ShortTextEncoder extends TextEncoder {
    encode(text = "") {
        const bytes = new Uint8Array(text.length);
        return asciiInto(text, bytes) < 0 ? super.encode(text) : bytes;
    }
    encodeInto(text, view) {
        const n = asciiInto(text, view);
        return n < 0 ? super.encodeInto(text, view) : { read: n, written: n };
    }
}
