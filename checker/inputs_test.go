package checker

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/driftgate/driftgate/checker/source"
)

// tree creates empty files (and their directories) under a new temporary
// directory and returns it.
func tree(t *testing.T, files ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestExpandInputs(t *testing.T) {
	root := tree(t,
		"b.parquet", "a.csv", "c.csv.gz", "d.tsv", "e.tsv.gz", "notes.txt", "f.json", ".hidden.csv",
		"sub/z.parquet", "sub/deeper/y.csv",
		".git/x.csv", "_temporary/x.parquet", "sub/_SUCCESS", "sub/.cache/w.csv",
		"glob/p1.parquet", "glob/p2.parquet", "glob/q.csv",
	)
	at := func(names ...string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = filepath.Join(root, filepath.FromSlash(n))
		}
		return out
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"a file stands for itself", at("a.csv"), at("a.csv")},
		{"a file with any extension stands for itself", at("notes.txt"), at("notes.txt")},
		{
			"a directory is every data file below it in lexical order, skipping hidden and underscore directories",
			[]string{root},
			at("a.csv", "b.parquet", "c.csv.gz", "d.tsv", "e.tsv.gz", "glob/p1.parquet", "glob/p2.parquet", "glob/q.csv", "sub/deeper/y.csv", "sub/z.parquet"),
		},
		{"a glob is its matches in lexical order", at("glob/p*.parquet"), at("glob/p1.parquet", "glob/p2.parquet")},
		{"a glob that matches a directory expands it", at("gl?b"), at("glob/p1.parquet", "glob/p2.parquet", "glob/q.csv")},
		{"a file named twice is checked once", at("a.csv", "b.parquet", "a.csv"), at("a.csv", "b.parquet")},
		{"a file inside a directory also named is checked once, first occurrence kept", append(at("glob/q.csv"), at("glob")...), at("glob/q.csv", "glob/p1.parquet", "glob/p2.parquet")},
		{"a file spelled two ways is checked once", []string{filepath.Join(root, "glob"), root + "/glob/./q.csv"}, at("glob/p1.parquet", "glob/p2.parquet", "glob/q.csv")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExpandInputs(tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ExpandInputs(%q)\n got %q\nwant %q", tt.args, got, tt.want)
			}
		})
	}

	errTests := []struct {
		name     string
		args     []string
		notExist bool
	}{
		{"a missing path is a read error", at("nope.csv"), true},
		{"a missing path after good ones is a read error", at("a.csv", "nope.csv"), true},
		{"a directory without data files is a read error", []string{tree(t, "readme.md", "_tmp/a.csv")}, false},
		{"an empty directory is a read error", []string{t.TempDir()}, false},
		{"a glob matching nothing is a read error", at("*.xlsx"), false},
		{"a malformed glob is a read error", at("[a-"), false},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExpandInputs(tt.args)
			var re *source.ReadError
			if !errors.As(err, &re) {
				t.Fatalf("ExpandInputs(%q) = %q, %v; want a *source.ReadError", tt.args, got, err)
			}
			if re.Path == "" {
				t.Errorf("ReadError %v names no path", re)
			}
			if tt.notExist && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("error %v is not fs.ErrNotExist", err)
			}
		})
	}
}

func TestCheckRefusesFilesOfUnknownType(t *testing.T) {
	root := tree(t, "notes.txt")
	_, err := runCheck(t, doc("- name: id\n  logicalType: integer"), []string{filepath.Join(root, "notes.txt")}, "")
	var re *source.ReadError
	if !errors.As(err, &re) {
		t.Fatalf("error %v, want a *source.ReadError", err)
	}
}

func TestCheckWithoutFilesIsAnInputError(t *testing.T) {
	_, err := runCheck(t, doc("- name: id\n  logicalType: integer"), nil, "")
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v, want an *InputError", err)
	}
}
