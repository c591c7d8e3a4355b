package report

import (
	"net/url"
	"strings"
)

// CredentialFree removes what may be a credential from a data location
// before any report, history point or log shows it: the user and password
// of an http(s) URL, and its query parameters (a presigned S3 or GCS URL,
// an Azure SAS token) except those that only name a version, which stay
// after the word REDACTED. Other schemes are left as they are: s3://, gs://
// and az:// keys take ? and @ as plain characters, and abfss:// names its
// container before the @.
func CredentialFree(loc string) string {
	scheme, _, ok := strings.Cut(loc, "://")
	if !ok || !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "http") {
		return loc
	}
	u, err := url.Parse(loc)
	if err != nil {
		// Not a URL Go can read: keep the part before any query or user.
		head, _, _ := strings.Cut(loc, "?")
		return head
	}
	changed := u.User != nil
	u.User = nil
	if u.RawQuery != "" {
		q := u.Query()
		kept := url.Values{}
		for k, v := range q {
			if versionParams[strings.ToLower(k)] {
				kept[k] = v
			}
		}
		if len(kept) < len(q) {
			// One word for all that was dropped keeps the line short.
			u.RawQuery = strings.TrimSuffix("REDACTED&"+kept.Encode(), "&")
			changed = true
		}
	}
	if !changed {
		return loc
	}
	return u.String()
}

// versionParams are query parameters that name an object's version, never
// a secret: S3's versionId, GCS's generation.
var versionParams = map[string]bool{"versionid": true, "generation": true}

// DropCredentials rewrites the inputs' locations (in place) with
// CredentialFree and returns the replacer that does the same to messages
// and examples quoting them; nil when no location held a credential.
func DropCredentials(inputs []Input) *strings.Replacer {
	var pairs []string
	for i := range inputs {
		in := &inputs[i]
		if clean := CredentialFree(in.Path); clean != in.Path {
			pairs = append(pairs, in.Path, clean)
			in.Path = clean
		}
		if in.Object != nil {
			o := *in.Object
			if clean := CredentialFree(o.URL); clean != o.URL {
				pairs = append(pairs, o.URL, clean)
				o.URL = clean
			}
			in.Object = &o
		}
	}
	if pairs == nil {
		return nil
	}
	return strings.NewReplacer(pairs...)
}

// WithoutCredentials is a copy of r that names its inputs without
// credentials, in its inputs, messages and examples: what is stored beyond
// the run (the history's copy of the report) must not keep a presigned
// URL's signature. r itself is not modified.
func (r *Report) WithoutCredentials() *Report {
	c := *r
	c.Inputs = append([]Input(nil), r.Inputs...)
	secrets := DropCredentials(c.Inputs)
	if secrets == nil {
		return &c
	}
	c.Findings = append([]Finding(nil), r.Findings...)
	for i := range c.Findings {
		f := &c.Findings[i]
		f.Message = secrets.Replace(f.Message)
		if f.Examples != nil {
			f.Examples = append([]Example(nil), f.Examples...)
			for j := range f.Examples {
				f.Examples[j].File = secrets.Replace(f.Examples[j].File)
			}
		}
	}
	return &c
}
