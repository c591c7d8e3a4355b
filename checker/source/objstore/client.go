package objstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"gocloud.dev/gcerrors"
)

// storeError is a failed request: what was done, to which URL, the
// sentinel it maps to (if any) and the provider's own error, which it
// keeps for errors.As but does not print (provider messages carry request
// ids and XML, not what a user needs).
type storeError struct {
	op   string
	kind error
	err  error
}

func (e *storeError) Error() string {
	if e.kind != nil {
		return e.op + ": " + e.kind.Error()
	}
	return e.op + ": " + e.err.Error()
}

func (e *storeError) Unwrap() []error {
	if e.kind != nil {
		return []error{e.kind, e.err}
	}
	return []error{e.err}
}

// do runs one request, retrying it with jittered exponential backoff while
// it fails transiently and the retry budget lasts.
func (c *Client) do(ctx context.Context, s store, op string, fn func(ctx context.Context) error) error {
	deadline := time.Now().Add(c.cfg.RetryBudget)
	wait := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if kind := s.classify(err); kind != nil {
			return &storeError{op: op, kind: kind, err: err}
		}
		if !transient(statusOf(s, err), gcerrors.Code(err), err) {
			return &storeError{op: op, err: err}
		}
		sleep := wait/2 + rand.N(wait/2+1)
		if time.Now().Add(sleep).After(deadline) {
			return &storeError{op: fmt.Sprintf("%s (gave up after %d attempts in %s)", op, attempt, c.cfg.RetryBudget), err: err}
		}
		t := time.NewTimer(sleep)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 10*time.Second)
	}
}

// Stat reads the identity of the object url names, without its content.
func (c *Client) Stat(ctx context.Context, url string) (Object, error) {
	_, obj, err := c.resolve(ctx, url)
	return obj, err
}

// resolve opens the bucket of the object url names and reads the object's
// identity.
func (c *Client) resolve(ctx context.Context, url string) (store, Object, error) {
	loc, err := Parse(url)
	if err != nil {
		return nil, Object{}, err
	}
	s, err := c.bucket(ctx, loc)
	if err != nil {
		return nil, Object{}, fmt.Errorf("open bucket: %w", err)
	}
	obj, err := c.stat(ctx, s, loc, loc.Key)
	return s, obj, err
}

func (c *Client) stat(ctx context.Context, s store, loc Location, key string) (Object, error) {
	var obj Object
	err := c.do(ctx, s, "stat", func(ctx context.Context) error {
		var err error
		obj, err = s.stat(ctx, key)
		return err
	})
	obj.URL = loc.URL(key)
	return obj, err
}

// Expand resolves a location into the data objects it names, sorted by
// key: an object stands for itself; a prefix (s3://bucket/path/, or a key
// that names no object) for every data object below it, skipping hidden
// parts (names starting with . or _, as Spark's _SUCCESS and _temporary);
// a glob (*, ?, [...] within a segment, ** across segments) for the
// objects it matches and the data objects below the "directories" it
// matches. isData says which keys hold data (by extension). A location
// that yields nothing is an error wrapping ErrNotFound or ErrNoObjects.
//
// Objects found by listing carry their size and modification time; Stat
// or Open adds the rest of their identity.
func (c *Client) Expand(ctx context.Context, raw string, isData func(key string) bool) ([]Object, error) {
	loc, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	s, err := c.bucket(ctx, loc)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", raw, err)
	}
	if loc.Scheme == HTTPS {
		obj, err := c.stat(ctx, s, loc, loc.Key)
		if err != nil {
			return nil, err
		}
		return []Object{obj}, nil
	}
	switch {
	case loc.IsPattern():
		re, err := globRegexp(strings.TrimSuffix(loc.Key, "/"))
		if err != nil {
			return nil, err
		}
		objs, err := c.list(ctx, s, loc, listPrefix(loc.Key), func(key string) bool {
			if re.MatchString(key) {
				return true
			}
			// Below a matched "directory": the data objects there.
			for i := strings.IndexByte(key, '/'); i >= 0; {
				if re.MatchString(key[:i]) {
					return isData(key) && !hidden(key[i+1:])
				}
				j := strings.IndexByte(key[i+1:], '/')
				if j < 0 {
					break
				}
				i += j + 1
			}
			return false
		})
		if err != nil {
			return nil, err
		}
		if len(objs) == 0 {
			return nil, fmt.Errorf("list %s: %w matches the glob", raw, ErrNoObjects)
		}
		return objs, nil
	case !loc.IsPrefix():
		obj, err := c.stat(ctx, s, loc, loc.Key)
		if err == nil {
			return []Object{obj}, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		// No such object: maybe a "directory" written without its slash.
		objs, lerr := c.listData(ctx, s, loc, loc.Key+"/", isData)
		if lerr != nil {
			return nil, lerr
		}
		if len(objs) == 0 {
			return nil, fmt.Errorf("stat %s: %w (no object of that name, nor data objects below it)", raw, ErrNotFound)
		}
		return objs, nil
	}
	objs, err := c.listData(ctx, s, loc, loc.Key, isData)
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 {
		return nil, fmt.Errorf("list %s: %w below the prefix", raw, ErrNoObjects)
	}
	return objs, nil
}

func (c *Client) listData(ctx context.Context, s store, loc Location, prefix string, isData func(string) bool) ([]Object, error) {
	return c.list(ctx, s, loc, prefix, func(key string) bool {
		return isData(key) && !hidden(key[len(prefix):])
	})
}

// list lists every key under prefix, page by page, keeping those keep
// accepts, sorted by key.
func (c *Client) list(ctx context.Context, s store, loc Location, prefix string, keep func(string) bool) ([]Object, error) {
	var out []Object
	var token []byte
	for page := 1; ; page++ {
		var objs []Object
		var next []byte
		err := c.do(ctx, s, "list "+loc.URL(prefix), func(ctx context.Context) error {
			var err error
			objs, next, err = s.list(ctx, prefix, token)
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			if keep(o.Key) {
				o.URL = loc.URL(o.Key)
				out = append(out, o)
			}
		}
		if len(next) == 0 {
			break
		}
		token = next
	}
	slices.SortFunc(out, func(a, b Object) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// hidden reports whether a key below a listed prefix sits in, or is, a
// hidden part: any segment starting with . or _.
func hidden(rel string) bool {
	for seg := range strings.SplitSeq(rel, "/") {
		if strings.HasPrefix(seg, ".") || strings.HasPrefix(seg, "_") {
			return true
		}
	}
	return false
}
