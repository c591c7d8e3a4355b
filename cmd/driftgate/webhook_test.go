package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker/report"
)

func TestWebhookDeliveredMeansA2xxFromTheTargetItself(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
	}))
	defer other.Close()
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+"/collect", code)
			}))
			defer srv.Close()
			w, err := newWebhook(srv.URL+"/hook", 5*time.Second, time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			a := w.post(context.Background(), &report.Report{Command: "check", Status: report.StatusFail, Findings: []report.Finding{}})
			if a.Delivered || !strings.Contains(a.Error, "redirects are not followed") {
				t.Errorf("alert %+v, want not delivered: redirects are not followed", a)
			}
			if a.Attempts != 1 {
				t.Errorf("%d attempts, want 1: a redirect is not retried", a.Attempts)
			}
		})
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests, want none", n)
	}
}
