// Reading and writing a WebAssembly file's sections, for wasm/size.mjs and wasm/pack.mjs.

export const sectionNames = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "data count"];

// sections splits a wasm module into its sections: [{id, name, body}].
export function sections(buf) {
    const out = [];
    let pos = 8; // magic and version
    while (pos < buf.length) {
        const id = buf[pos++];
        const [size, n] = leb(buf, pos);
        pos += n;
        const body = buf.subarray(pos, pos + size);
        let name = sectionNames[id];
        if (id === 0) {
            const [len, m] = leb(body, 0);
            name = "custom " + body.subarray(m, m + len).toString();
        }
        out.push({ id, name, body });
        pos += size;
    }
    return out;
}

// module joins the header of original and the sections back into a wasm module.
export function module(original, parts) {
    return Buffer.concat([original.subarray(0, 8), ...parts.flatMap(({ id, body }) => [Buffer.from([id]), uleb(body.length), body])]);
}

// leb reads an unsigned LEB128 number at pos: [value, bytes read].
export function leb(buf, pos) {
    let result = 0, shift = 0, n = 0, byte;
    do {
        byte = buf[pos + n++];
        result += (byte & 0x7f) * 2 ** shift;
        shift += 7;
    } while (byte & 0x80);
    return [result, n];
}

export function uleb(value) {
    const out = [];
    do {
        let byte = value % 128;
        value = Math.floor(value / 128);
        if (value > 0) {
            byte |= 0x80;
        }
        out.push(byte);
    } while (value > 0);
    return Buffer.from(out);
}

// sleb writes a signed LEB128 number (an i32.const's operand).
export function sleb(value) {
    const out = [];
    for (;;) {
        const byte = value & 0x7f;
        value >>= 7;
        if ((value === 0 && !(byte & 0x40)) || (value === -1 && (byte & 0x40))) {
            out.push(byte);
            return Buffer.from(out);
        }
        out.push(byte | 0x80);
    }
}
