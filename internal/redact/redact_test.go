package redact

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestScrubberRemovesEveryForm(t *testing.T) {
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
		got := s.String(text)
		for _, secret := range []string{pass, token, `p\u003ca\"s\\s\u003eé`, `p<a\"s\\s>é`} {
			if strings.Contains(got, secret) {
				t.Errorf("String(%q) = %q: still holds %q", text, got, secret)
			}
		}
		if !strings.Contains(got, Mark) {
			t.Errorf("String(%q) = %q: nothing marked", text, got)
		}
		if b := s.Bytes([]byte(text)); string(b) != got {
			t.Errorf("Bytes and String differ: %q, %q", b, got)
		}
	}
	if got := s.String("nothing secret"); got != "nothing secret" {
		t.Errorf("changed a text without secrets: %q", got)
	}
	if got := New(user, "").String("fax-user"); got != "fax-user" {
		t.Errorf("an empty password scrubbed %q", got)
	}
}
