package jstext

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// parseFloatBits is strconv's double for a JSON number token, the reference: an overflow is
// its infinity, as JSON.parse makes it.
func parseFloatBits(t *testing.T, token string) uint64 {
	t.Helper()
	f, err := strconv.ParseFloat(token, 64)
	if err != nil && !math.IsInf(f, 0) {
		t.Fatalf("ParseFloat(%q): %v", token, err)
	}
	return math.Float64bits(f)
}

func TestParseDecimalRoundsAsStrconv(t *testing.T) {
	for _, token := range []string{
		"1.5", "-2.25", "0.1", "0.3", "0.30000000000000004", "1e-7", "123.456e-5", "6.02214076e23",
		"1.7976931348623157e27", "9007199254740993", "9007199254740995", "9007199254740992.5",
		"18014398509481985", "1234567890123456789", "9999999999999999999", "12345678901234568000000",
		"1e27", "1e-27", "0.000000000000000000000000001", "1E+5", "2.5E-3", "1e40", "0.1e-20",
		"8.98846567431158e26", "0.5000000000000000555", "1.2345678901234567e-11",
	} {
		f, ok := parseDecimal([]byte(token))
		if !ok {
			t.Errorf("parseDecimal(%q) left it to the platform", token)
			continue
		}
		if got, want := math.Float64bits(f), parseFloatBits(t, token); got != want {
			t.Errorf("parseDecimal(%q) = %v (%#x), strconv reads %v (%#x)", token, f, got, math.Float64frombits(want), want)
		}
	}
	// More digits than a uint64 holds, or a decimal exponent beyond ±27 once the digits are.
	for _, token := range []string{"1.00000000000000011102230246251565", "1.2345678901234567e-12", "1e50", "4.5e-37", "5e-324", "1.7976931348623157e308"} {
		if _, ok := parseDecimal([]byte(token)); ok {
			t.Errorf("parseDecimal(%q) read it", token)
		}
	}
}

// TestParseDecimalReadsWhatJSWrites: the doubles of everyday magnitudes, as JS writes them
// (JSON.stringify's shortest digits) or with all 17 digits, are read here, without the
// platform's parser, back to the same double.
func TestParseDecimalReadsWhatJSWrites(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		f := math.Float64frombits(r.Uint64())
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		f = math.Ldexp(math.Frexp(f)) // any mantissa
		_, e := math.Frexp(f)
		f = math.Ldexp(f, -e+r.IntN(300)-150) // about 10^±45
		for _, text := range []string{NumberText(f), strconv.FormatFloat(f, 'e', 16, 64)} {
			got, ok := parseDecimal([]byte(text))
			abs := math.Abs(f)
			if !ok {
				if abs > 1e-10 && abs < 1e40 {
					t.Fatalf("parseDecimal(%q) left it to the platform", text)
				}
				continue
			}
			if math.Float64bits(got) != parseFloatBits(t, text) {
				t.Fatalf("parseDecimal(%q) = %v, strconv reads %v", text, got, math.Float64frombits(parseFloatBits(t, text)))
			}
		}
	}
}

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		token string
		want  float64
		ok    bool
	}{
		{"0", 0, true}, {"-7", -7, true}, {"1.5", 1.5, true}, {"1e400", math.Inf(1), true},
		{"-1e400", math.Inf(-1), true}, {"1e-400", 0, true}, {"5e-324", 5e-324, true},
		{"", 0, false}, {"01", 0, false}, {"1.", 0, false}, {".5", 0, false}, {"+1", 0, false},
		{"1e", 0, false}, {"0x10", 0, false}, {"1 ", 0, false}, {"NaN", 0, false},
	} {
		got, ok := ParseNumber([]byte(tc.token))
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tc.token, got, ok, tc.want, tc.ok)
		}
	}
	if f, _ := ParseNumber([]byte("-0.0")); !math.Signbit(f) {
		t.Errorf("ParseNumber(-0.0) = %v, want -0", f)
	}
}

// FuzzParseNumber checks ParseNumber against strconv.ParseFloat for every JSON number token,
// and parseDecimal on its own, bit for bit, where it reads the token itself.
func FuzzParseNumber(f *testing.F) {
	for _, seed := range []string{"0", "-0", "1", "01", "1.5", "-2.5e-3", "1e27", "1e28", "9007199254740993",
		"123456789012345678901", "0.30000000000000004", "1e-27", "4.5e-30", "", "x", "1e", "1E+400"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		got, ok := ParseNumber([]byte(token))
		valid := token != "" && ScanNumber([]byte(token), 0) == len(token)
		if ok != valid {
			t.Fatalf("ParseNumber(%q) ok = %v, JSON's grammar says %v", token, ok, valid)
		}
		if !valid {
			return
		}
		want := math.Float64frombits(parseFloatBits(t, token))
		if got != want {
			t.Fatalf("ParseNumber(%q) = %v, strconv reads %v", token, got, want)
		}
		if d, ok := parseDecimal([]byte(token)); ok && math.Float64bits(d) != math.Float64bits(want) {
			t.Fatalf("parseDecimal(%q) = %v, strconv reads %v", token, d, want)
		}
	})
}
