package taggedjson

import "errors"

// Binary values cross as standard base64 with padding (web/src/values.js writes them with
// the browser's btoa). This small codec replaces encoding/base64 in the wasm, which costs
// about 3 KB of brotli for its four encodings, tables and init; FuzzBase64 checks it
// against encoding/base64's StdEncoding.

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

var errBase64 = errors.New("illegal base64 data")

func appendBase64(dst, src []byte) []byte {
	for len(src) >= 3 {
		n := uint(src[0])<<16 | uint(src[1])<<8 | uint(src[2])
		dst = append(dst, base64Alphabet[n>>18&63], base64Alphabet[n>>12&63], base64Alphabet[n>>6&63], base64Alphabet[n&63])
		src = src[3:]
	}
	switch len(src) {
	case 1:
		n := uint(src[0]) << 16
		dst = append(dst, base64Alphabet[n>>18&63], base64Alphabet[n>>12&63], '=', '=')
	case 2:
		n := uint(src[0])<<16 | uint(src[1])<<8
		dst = append(dst, base64Alphabet[n>>18&63], base64Alphabet[n>>12&63], base64Alphabet[n>>6&63], '=')
	}
	return dst
}

func base64Value(c byte) (uint, bool) {
	switch {
	case 'A' <= c && c <= 'Z':
		return uint(c - 'A'), true
	case 'a' <= c && c <= 'z':
		return uint(c-'a') + 26, true
	case '0' <= c && c <= '9':
		return uint(c-'0') + 52, true
	case c == '+':
		return 62, true
	case c == '/':
		return 63, true
	}
	return 0, false
}

// appendDecodedBase64 decodes padded standard base64, strictly: the bits a padded group
// leaves over must be zero, as encoding/base64's Strict decoding has them; btoa never
// writes others.
func appendDecodedBase64(dst, src []byte) ([]byte, error) {
	if len(src)%4 != 0 {
		return nil, errBase64
	}
	for len(src) > 0 {
		group := src[:4]
		src = src[4:]
		pad := 0
		if len(src) == 0 {
			for pad < 2 && group[3-pad] == '=' {
				pad++
			}
		}
		var n uint
		for i := 0; i < 4-pad; i++ {
			v, ok := base64Value(group[i])
			if !ok {
				return nil, errBase64
			}
			n |= v << (18 - 6*i)
		}
		switch pad {
		case 0:
			dst = append(dst, byte(n>>16), byte(n>>8), byte(n))
		case 1:
			if n&0xff != 0 {
				return nil, errBase64
			}
			dst = append(dst, byte(n>>16), byte(n>>8))
		case 2:
			if n&0xffff != 0 {
				return nil, errBase64
			}
			dst = append(dst, byte(n>>16))
		}
	}
	return dst, nil
}
