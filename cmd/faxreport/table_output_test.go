package main

import (
	"strings"
	"testing"
)

// The table says "1 page" and "N pages".
func TestTableCountsPagesInWords(t *testing.T) {
	s, env := fakeEnv(t)
	s.DataCenter(0).PutJSON([]byte(`{"jobId":"FJTHREE","pages":3,"recipientStatus":[{"number":"+1 555 0100","status":"OK","reason":"OK","durationInSecs":9}]}`))
	for id, want := range map[string]string{exampleJob: "Job " + exampleJob + ", 1 page,", "FJTHREE": "Job FJTHREE, 3 pages\n"} {
		if inv := runCLI(t, env, "", "get", id); inv.code != exitOK || !strings.Contains(inv.stdout, want) {
			t.Errorf("%s: exit %d, want %q in\n%s%s", id, inv.code, want, inv.stdout, inv.stderr)
		}
	}
}

// Values from the service cannot drive the terminal or reorder the line: C0 and C1 controls
// and the bidi embeddings, overrides and isolates become spaces, in every column and the header.
func TestTableStripsControlAndBidiCharacters(t *testing.T) {
	s, env := fakeEnv(t)
	s.DataCenter(0).PutJSON([]byte(`{"jobId":"FJEVIL","pages":1,"reference":{"customerDefinedId":"id\u202ecod.exe"},` +
		`"recipientStatus":[{"number":"+49\u001b[31m1","status":"O\u009b31mK","reason":"r\u0085\u2066e\u2069a\u202a\u202bs\u202con\u202d\u007f",` +
		`"durationInSecs":1,"sentToNumber":"\u0080\u009f0049","remoteCsid":"\u2067\u2068csid"}]}`))
	inv := runCLI(t, env, "", "get", "FJEVIL")
	if inv.code != exitOK {
		t.Fatalf("exit %d %s", inv.code, inv.stderr)
	}
	for _, r := range inv.stdout {
		if r < ' ' && r != '\n' || r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			t.Fatalf("table has %U:\n%q", r, inv.stdout)
		}
	}
	for _, want := range []string{"customer ID id cod.exe", "+49 [31m1", "O 31mK", "r  e a  s on  ", "  0049", "  csid"} {
		if !strings.Contains(inv.stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, inv.stdout)
		}
	}
}
