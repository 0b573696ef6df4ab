// Package redact removes credentials from text that a server or proxy may have echoed back, so
// that nothing an error or a log record quotes ever shows them.
package redact

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// Mark replaces every credential found.
const Mark = "[REDACTED]"

// Scrubber replaces the forms in which a server could echo basic-auth credentials: the password,
// "user:password", the base64 token of the Authorization header, and the JSON-escaped form of
// each (with and without HTML escaping, as JSON encoders differ there).
type Scrubber struct{ r *strings.Replacer }

// New returns the Scrubber of the credentials. An empty password scrubs nothing.
func New(username, password string) *Scrubber {
	if password == "" {
		return &Scrubber{}
	}
	pair := username + ":" + password
	var forms []string
	for _, s := range []string{pair, base64.StdEncoding.EncodeToString([]byte(pair)), password} {
		forms = append(forms, s, jsonEscaped(s, true), jsonEscaped(s, false))
	}
	// strings.Replacer tries the old strings in argument order at each position: longer forms
	// (the pair contains the password) come first.
	var args []string
	seen := map[string]bool{}
	for _, f := range forms {
		if f != "" && !seen[f] {
			seen[f] = true
			args = append(args, f, Mark)
		}
	}
	return &Scrubber{r: strings.NewReplacer(args...)}
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

// String returns s with every credential form replaced by Mark.
func (s *Scrubber) String(text string) string {
	if s == nil || s.r == nil {
		return text
	}
	return s.r.Replace(text)
}

// Bytes is String for a body. It returns b itself when there is nothing to replace.
func (s *Scrubber) Bytes(b []byte) []byte {
	if s == nil || s.r == nil {
		return b
	}
	out := s.r.Replace(string(b))
	if len(out) == len(b) && out == string(b) {
		return b
	}
	return []byte(out)
}
