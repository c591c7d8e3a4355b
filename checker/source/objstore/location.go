package objstore

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Scheme names an object store.
type Scheme string

// The stores driftgate reads.
const (
	S3    Scheme = "s3"    // s3://bucket/key (AWS or any S3-compatible endpoint)
	GCS   Scheme = "gs"    // gs://bucket/key
	Azure Scheme = "az"    // az://container/path and abfss://container@account.dfs.core.windows.net/path
	HTTPS Scheme = "https" // https://host/path, single objects only
)

// IsRemote reports whether a data argument names an object in a store
// rather than a local file.
func IsRemote(raw string) bool {
	i := strings.Index(raw, "://")
	if i <= 0 {
		return false
	}
	switch strings.ToLower(raw[:i]) {
	case "s3", "s3a", "gs", "gcs", "az", "azure", "abfs", "abfss", "wasb", "wasbs", "http", "https":
		return true
	}
	return false
}

// Location is a parsed remote data location: one object, a prefix or a
// glob over keys.
type Location struct {
	Scheme Scheme
	// Bucket is the S3 or GCS bucket, the Azure container, or the host of
	// an https URL (with its port).
	Bucket string
	// Account is the Azure storage account, when the location names it
	// (abfss://container@account.dfs.core.windows.net).
	Account string
	// Key is the object key, prefix or key pattern, without a leading /.
	Key string
	// Insecure is set for an http:// URL (loopback test servers).
	Insecure bool
	// Raw is the location as the user wrote it.
	Raw string
}

// Parse parses a remote location. s3a:// is read as s3://, gcs:// as gs://,
// azure:// as az://, abfs(s):// and wasb(s):// name the account in their
// host.
func Parse(raw string) (Location, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return Location{}, fmt.Errorf("location %q: want scheme://bucket/key", raw)
	}
	scheme = strings.ToLower(scheme)
	if scheme == "https" || scheme == "http" {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return Location{}, fmt.Errorf("location %q: not a URL", raw)
		}
		key := strings.TrimPrefix(u.EscapedPath(), "/")
		if u.RawQuery != "" {
			key += "?" + u.RawQuery
		}
		return Location{Scheme: HTTPS, Bucket: u.Host, Key: key, Insecure: scheme == "http", Raw: raw}, nil
	}
	// Object keys are taken literally: no %-decoding, and ? # [ ] are key
	// characters (or glob syntax), not URL syntax.
	host, key, _ := strings.Cut(rest, "/")
	loc := Location{Raw: raw, Bucket: host, Key: key}
	switch scheme {
	case "s3", "s3a":
		loc.Scheme = S3
	case "gs", "gcs":
		loc.Scheme = GCS
	case "az", "azure":
		loc.Scheme = Azure
	case "abfs", "abfss", "wasb", "wasbs":
		loc.Scheme = Azure
		container, account, ok := strings.Cut(host, "@")
		if !ok || container == "" || account == "" {
			return Location{}, fmt.Errorf("location %q: want %s://container@account.dfs.core.windows.net/path", raw, scheme)
		}
		loc.Bucket = container
		loc.Account, _, _ = strings.Cut(account, ".")
	default:
		return Location{}, fmt.Errorf("location %q: unknown scheme %q (want s3, gs, az, abfss or https)", raw, scheme)
	}
	if loc.Bucket == "" {
		return Location{}, fmt.Errorf("location %q: no bucket", raw)
	}
	return loc, nil
}

// URL is the canonical URL of key in the location's bucket: the form the
// report records and Open accepts.
func (l Location) URL(key string) string {
	switch l.Scheme {
	case HTTPS:
		scheme := "https"
		if l.Insecure {
			scheme = "http"
		}
		return scheme + "://" + l.Bucket + "/" + key
	case Azure:
		if l.Account != "" {
			return "abfss://" + l.Bucket + "@" + l.Account + ".dfs.core.windows.net/" + key
		}
	}
	return string(l.Scheme) + "://" + l.Bucket + "/" + key
}

// IsPattern reports whether the key holds glob syntax (*, ?, [...]).
func (l Location) IsPattern() bool {
	return l.Scheme != HTTPS && strings.ContainsAny(l.Key, "*?[")
}

// IsPrefix reports whether the key names a "directory": empty or ending in /.
func (l Location) IsPrefix() bool {
	return l.Scheme != HTTPS && (l.Key == "" || strings.HasSuffix(l.Key, "/"))
}

// listPrefix is the literal part of a key pattern before its first glob
// character: the prefix to list.
func listPrefix(pattern string) string {
	if i := strings.IndexAny(pattern, "*?["); i >= 0 {
		return pattern[:i]
	}
	return pattern
}

// globRegexp compiles a key glob: * and ? match within one /-separated
// segment, ** any number of segments, [...] a character class ([!...]
// negated).
func globRegexp(pattern string) (*regexp.Regexp, error) {
	var re strings.Builder
	re.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		switch ch := pattern[i]; ch {
		case '*':
			if strings.HasPrefix(pattern[i:], "**") {
				i++
				if strings.HasPrefix(pattern[i+1:], "/") {
					// a/**/b matches a/b too.
					i++
					re.WriteString("(?:.*/)?")
				} else {
					re.WriteString(".*")
				}
				continue
			}
			re.WriteString("[^/]*")
		case '?':
			re.WriteString("[^/]")
		case '[':
			end := strings.IndexByte(pattern[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("glob %q: [ without a closing ]", pattern)
			}
			class := pattern[i+1 : i+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			re.WriteString("[" + class + "]")
			i += end
		default:
			re.WriteString(regexp.QuoteMeta(string(ch)))
		}
	}
	re.WriteString("$")
	r, err := regexp.Compile(re.String())
	if err != nil {
		return nil, fmt.Errorf("glob %q: %w", pattern, err)
	}
	return r, nil
}
