package protocol

// A record's envelope is read without encoding/json when it can be: in the browser,
// encoding/json's map of raw values costs about 16 µs and 26 allocations a message, the
// largest share of the receive path that is Go's own (BenchmarkJSONParse). The scanner
// validates the whole record as JSON.parse would; anything it does not accept goes to
// encoding/json, which then gives the exact error.

// scanEnvelope reads a record that is one JSON object: the raw value of each key, the last
// of duplicate keys winning, keys compared exactly. ok is false when the record is anything
// else, or uses what the scanner leaves to encoding/json (escapes in keys).
func scanEnvelope(rec []byte) (env jsonEnvelope, headers, streamIDs []byte, ok bool) {
	i := skipSpace(rec, 0)
	if i >= len(rec) || rec[i] != '{' {
		return env, nil, nil, false
	}
	i = skipSpace(rec, i+1)
	if i < len(rec) && rec[i] == '}' {
		return env, nil, nil, skipSpace(rec, i+1) == len(rec)
	}
	for {
		if i >= len(rec) || rec[i] != '"' {
			return env, nil, nil, false
		}
		keyEnd, plain := scanString(rec, i)
		if keyEnd < 0 || !plain {
			return env, nil, nil, false
		}
		key := rec[i+1 : keyEnd-1]
		i = skipSpace(rec, keyEnd)
		if i >= len(rec) || rec[i] != ':' {
			return env, nil, nil, false
		}
		i = skipSpace(rec, i+1)
		end := scanValue(rec, i, 0)
		if end < 0 {
			return env, nil, nil, false
		}
		raw := rec[i:end]
		switch string(key) {
		case "type":
			env.Type = raw
		case "invocationId":
			env.InvocationID = raw
		case "target":
			env.Target = raw
		case "arguments":
			env.Arguments = raw
		case "item":
			env.Item = raw
		case "result":
			env.Result = raw
		case "error":
			env.Error = raw
		case "allowReconnect":
			env.AllowReconnect = raw
		case "sequenceId":
			env.SequenceID = raw
		case "headers":
			headers = raw
		case "streamIds":
			streamIDs = raw
		}
		i = skipSpace(rec, end)
		if i >= len(rec) {
			return env, nil, nil, false
		}
		if rec[i] == '}' {
			return env, headers, streamIDs, skipSpace(rec, i+1) == len(rec)
		}
		if rec[i] != ',' {
			return env, nil, nil, false
		}
		i = skipSpace(rec, i+1)
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// maxScanDepth leaves deeper values to encoding/json.
const maxScanDepth = 64

// scanValue returns the end of the JSON value at i, or -1 when it is not valid JSON.
func scanValue(b []byte, i, depth int) int {
	if i >= len(b) || depth > maxScanDepth {
		return -1
	}
	switch c := b[i]; {
	case c == '"':
		end, _ := scanString(b, i)
		return end
	case c == '{':
		return scanMembers(b, i+1, '}', func(i int) int {
			if i >= len(b) || b[i] != '"' {
				return -1
			}
			if i, _ = scanString(b, i); i < 0 {
				return -1
			}
			if i = skipSpace(b, i); i >= len(b) || b[i] != ':' {
				return -1
			}
			return scanValue(b, skipSpace(b, i+1), depth+1)
		})
	case c == '[':
		return scanMembers(b, i+1, ']', func(i int) int { return scanValue(b, i, depth+1) })
	case c == 't':
		return literal(b, i, "true")
	case c == 'f':
		return literal(b, i, "false")
	case c == 'n':
		return literal(b, i, "null")
	case c == '-' || c >= '0' && c <= '9':
		return scanNumber(b, i)
	}
	return -1
}

// scanMembers scans an object's or an array's members, from after its opening bracket to its
// closing one; member scans one member and returns its end, or -1.
func scanMembers(b []byte, i int, closing byte, member func(int) int) int {
	i = skipSpace(b, i)
	if i < len(b) && b[i] == closing {
		return i + 1
	}
	for {
		if i = member(i); i < 0 {
			return -1
		}
		if i = skipSpace(b, i); i >= len(b) {
			return -1
		}
		if b[i] == closing {
			return i + 1
		}
		if b[i] != ',' {
			return -1
		}
		i = skipSpace(b, i+1)
	}
}

func literal(b []byte, i int, word string) int {
	if len(b)-i >= len(word) && string(b[i:i+len(word)]) == word {
		return i + len(word)
	}
	return -1
}

// scanString returns the end of the string at i (after its closing quote), or -1; plain
// tells that it has no escapes.
func scanString(b []byte, i int) (end int, plain bool) {
	plain = true
	for i++; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return i + 1, plain
		case c < 0x20:
			return -1, false
		case c == '\\':
			plain = false
			i++
			if i >= len(b) {
				return -1, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(b)-i <= 4 || !isHex(b[i+1]) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) {
					return -1, false
				}
				i += 4
			default:
				return -1, false
			}
		}
	}
	return -1, false
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// scanNumber follows JSON's grammar: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
func scanNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i - start
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return -1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return -1
		}
	}
	return i
}
