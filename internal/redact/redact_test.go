package redact

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
)

// Every form a server could echo withholds the whole text: the password, user:password, the
// Authorization token, raw or JSON-escaped.
func TestEveryFormWithholdsTheText(t *testing.T) {
	const user, pass = "fax-user", `p<a"s\s>é`
	s := New(user, pass)
	token := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	for _, text := range []string{
		"bad password " + pass + " here",
		"Authorization: Basic " + token,
		`{"message":"login fax-user:p\u003ca\"s\\s\u003eé failed"}`,
		`{"message":"login fax-user:p<a\"s\\s>é failed"}`,
		"user:password = " + user + ":" + pass,
	} {
		if got := s.String(text); got != Mark {
			t.Errorf("String(%q) = %q, want %q", text, got, Mark)
		}
		if got := s.Bytes([]byte(text)); string(got) != Mark {
			t.Errorf("Bytes(%q) = %q, want %q", text, got, Mark)
		}
	}
	if got := s.String("nothing secret"); got != "nothing secret" {
		t.Errorf("changed a text without secrets: %q", got)
	}
	if got := New(user, "").String("fax-user"); got != "fax-user" {
		t.Errorf("an empty password withheld %q", got)
	}
	var none *Scrubber
	if got := none.String("text"); got != "text" {
		t.Errorf("a nil Scrubber withheld %q", got)
	}
}

// A short password inside a word leaves the text as it is, so that no mark tells where it was;
// as a whole token it withholds the whole text, never a part of it.
func TestShortPasswordWithholdsOnlyAWholeToken(t *testing.T) {
	for _, tc := range []struct {
		password string
		kept     []string // texts that hold the password only inside words
		withheld []string // texts that hold it as a whole token
	}{
		{"p", []string{"field /pages: value must be an integer", "http://host/rest/v1/123/fax/reports", "p_q", "xp"},
			[]string{"password p", "p", "(p)", `"p"`, "p/pages", "pages/p", "ä p"}},
		{"report", []string{"no reports for job FJ1", "a status report_x", "reported"},
			[]string{"no report for job FJ1", "report", "job-report.", "report: FJ1"}},
		{"a.b", []string{"data.bin", "xa.b", "a.bc"}, []string{"file a.b here", "(a.b)"}},
		{"-x-", nil, []string{"a-x-b", "-x-"}}, // no word character at its ends: never inside a word
		{"é1", []string{"café1", "é12"}, []string{"café é1 x"}},
	} {
		s := New("fax-user", tc.password)
		for _, text := range tc.kept {
			if got := s.String(text); got != text {
				t.Errorf("password %q: String(%q) = %q, want it kept", tc.password, text, got)
			}
		}
		for _, text := range tc.withheld {
			if got := s.String(text); got != Mark {
				t.Errorf("password %q: String(%q) = %q, want %q", tc.password, text, got, Mark)
			}
		}
	}
}

// A long password is an echo wherever it appears, also glued to other letters and digits: the
// text is withheld.
func TestLongPasswordWithholdsTheTextWhereverItIs(t *testing.T) {
	pass := randomPassword(t)
	s := New("fax-user", pass)
	for _, text := range []string{pass, "x" + pass, pass + "x", "FJ" + pass + "00", "bad password " + pass, strings.Repeat("A", 60) + pass} {
		if got := s.String(text); got != Mark {
			t.Errorf("String(%q) = %q, want %q", text, got, Mark)
		}
	}
	if text := "FJJ66GHGX105ZZBIELVCN1 " + pass[:len(pass)-1]; s.String(text) != text {
		t.Errorf("withheld %q, which lacks the password's last character", text)
	}
}

// randomPassword is 24 random characters of base64, "+" and "/" included.
func randomPassword(t *testing.T) string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}
