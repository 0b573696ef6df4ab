package faxreport_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
)

func TestNewPushHandlerRefusesBadConfig(t *testing.T) {
	client, err := faxreport.New(faxreport.Config{CustomerNumber: testCustNr, Username: testUser, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	handle := func(context.Context, *faxreport.Report) error { return nil }
	for name, tc := range map[string]struct {
		client *faxreport.Client
		cfg    faxreport.PushConfig
	}{
		"no credentials":                  {client, faxreport.PushConfig{Handle: handle}},
		"no password":                     {client, faxreport.PushConfig{Username: "u", Handle: handle}},
		"no user name":                    {client, faxreport.PushConfig{Password: "p", Handle: handle}},
		"credentials and unauthenticated": {client, faxreport.PushConfig{Username: "u", Password: "p", AllowUnauthenticated: true, Handle: handle}},
		"nil Handle":                      {client, faxreport.PushConfig{Username: "u", Password: "p"}},
		"user name with a colon":          {client, faxreport.PushConfig{Username: "push:user", Password: "p", Handle: handle}},
		"negative MaxBodyBytes":           {client, faxreport.PushConfig{Username: "u", Password: "p", Handle: handle, MaxBodyBytes: -1}},
		"negative MaxFetches":             {client, faxreport.PushConfig{Username: "u", Password: "p", Handle: handle, MaxFetches: -1}},
		"nil Client":                      {nil, faxreport.PushConfig{Username: "u", Password: "p", Handle: handle}},
	} {
		t.Run(name, func(t *testing.T) {
			h, err := faxreport.NewPushHandler(tc.client, tc.cfg)
			if h != nil || !errors.Is(err, faxreport.ErrInvalidArgument) {
				t.Fatalf("got %v, %v; want ErrInvalidArgument", h, err)
			}
		})
	}
}

func TestPushConfigPrintsNoPassword(t *testing.T) {
	cfg := faxreport.PushConfig{Username: pushUser, Password: pushPassword, MaxFetches: 7, OnPush: func(faxreport.PushOutcome) {}}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg)} {
		if strings.Contains(s, pushPassword) || !strings.Contains(s, pushUser) || !strings.Contains(s, "OnPush:set") || !strings.Contains(s, "MaxFetches:7") {
			t.Errorf("printed as %s", s)
		}
	}
}
