// Package redact keeps credentials out of text that a server or proxy may have echoed back, so
// that nothing an error or a log record quotes ever shows them, nor where they were.
//
// A text that holds a credential is withheld whole (replaced by Mark), never punched through:
// a mark in the middle of a text shows where the credential was, and so what it is ("field
// /[REDACTED]ages" tells the password "p"). A credential inside a word ("report" in "reports")
// does not withhold the text when the password is short: a short password turns up inside
// words by chance, and the text reveals nothing of it there. A long one anywhere is an echo.
package redact

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mark replaces a text that holds a credential.
const Mark = "[REDACTED]"

// shortPassword is the length, in characters, from which a password is taken for an echo
// wherever it appears, also inside a word: below it, it may be part of a word by chance.
const shortPassword = 8

// Scrubber withholds texts that hold basic-auth credentials in a form a server could echo: the
// password, "user:password", the base64 token of the Authorization header, and the JSON-escaped
// form of each (with and without HTML escaping, as JSON encoders differ there).
type Scrubber struct {
	forms  []string
	inWord bool // an occurrence inside a word leaves the text as it is (a short password)
}

// New returns the Scrubber of the credentials. An empty password withholds nothing.
func New(username, password string) *Scrubber {
	if password == "" {
		return &Scrubber{}
	}
	pair := username + ":" + password
	s := &Scrubber{inWord: utf8.RuneCountInString(password) < shortPassword}
	seen := map[string]bool{}
	for _, v := range []string{pair, base64.StdEncoding.EncodeToString([]byte(pair)), password} {
		for _, f := range []string{v, jsonEscaped(v, true), jsonEscaped(v, false)} {
			if f != "" && !seen[f] {
				seen[f] = true
				s.forms = append(s.forms, f)
			}
		}
	}
	return s
}

// jsonEscaped is s as it appears inside a JSON string, without the quotes.
func jsonEscaped(s string, escapeHTML bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	if enc.Encode(s) != nil {
		return ""
	}
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// String returns text, or Mark in its place when text holds a credential: as a whole token (not
// continued by a letter, digit or "_" on either side where the credential itself has one), or,
// for a password of shortPassword characters or more, anywhere.
func (s *Scrubber) String(text string) string {
	if s.holds(text) {
		return Mark
	}
	return text
}

// Bytes is String for a body. It returns b itself when it holds no credential.
func (s *Scrubber) Bytes(b []byte) []byte {
	if s.holds(string(b)) {
		return []byte(Mark)
	}
	return b
}

// holds reports whether text holds a credential form other than inside a word, as String says.
func (s *Scrubber) holds(text string) bool {
	if s == nil {
		return false
	}
	for _, f := range s.forms {
		for from := 0; ; {
			i := strings.Index(text[from:], f)
			if i < 0 {
				break
			}
			i += from
			if !s.inWord || !insideWord(text, i, i+len(f)) {
				return true
			}
			_, size := utf8.DecodeRuneInString(text[i:])
			from = i + size
		}
	}
	return false
}

// insideWord reports whether text[i:j] continues a word: its first character and the one before
// it are word characters, or its last character and the one after it are.
func insideWord(text string, i, j int) bool {
	first, _ := utf8.DecodeRuneInString(text[i:j])
	last, _ := utf8.DecodeLastRuneInString(text[i:j])
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	after, _ := utf8.DecodeRuneInString(text[j:])
	return i > 0 && isWord(first) && isWord(before) || j < len(text) && isWord(last) && isWord(after)
}

// isWord reports whether r is part of a word: a letter, a digit or "_".
func isWord(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }
