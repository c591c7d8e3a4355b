package sqlpush

import (
	"strings"
	"testing"
)

func TestReadOnlyRunsOneSelectOrWith(t *testing.T) {
	for _, tc := range []struct{ name, query, want, refused string }{
		{"a select runs", "SELECT count(*) FROM t", "SELECT count(*) FROM t", ""},
		{"a trailing semicolon is dropped", "select 1;\n", "select 1", ""},
		{"a WITH runs", "WITH x AS (SELECT 1) SELECT * FROM x", "WITH x AS (SELECT 1) SELECT * FROM x", ""},
		{"a leading comment is not a keyword", "-- count\n/* nested /* */ */ SELECT 1", "-- count\n/* nested /* */ */ SELECT 1", ""},
		{"a semicolon in a string is text", "SELECT ';' FROM t WHERE a = 'x;y''z'", "SELECT ';' FROM t WHERE a = 'x;y''z'", ""},
		{"a semicolon in a dollar quote is text", "SELECT $q$;DROP$q$, $1", "SELECT $q$;DROP$q$, $1", ""},
		{"a semicolon in a quoted name is text", `SELECT "a;b" FROM t`, `SELECT "a;b" FROM t`, ""},
		{"a second statement is refused", "SELECT 1; DROP TABLE t", "", "more than one statement"},
		{"a comment after the end is fine", "SELECT 1; -- done", "SELECT 1", ""},
		{"DML is refused", "DELETE FROM t", "", "a DELETE statement"},
		{"COPY is refused", "COPY t TO '/tmp/x.csv'", "", "a COPY statement"},
		{"SET is refused", "set search_path = x", "", "a SET statement"},
		{"an empty query is refused", " -- nothing\n", "", "empty"},
		{"an open quote is refused", "SELECT 'x", "", "unterminated ' quote"},
		{"an open comment is refused", "SELECT 1 /* x", "", "unterminated /* comment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadOnly(tc.query)
			if tc.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refused) {
					t.Fatalf("ReadOnly(%q) = %q, %v; want refused: %s", tc.query, got, err, tc.refused)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ReadOnly(%q) = %q, %v; want %q", tc.query, got, err, tc.want)
			}
		})
	}
}

// FuzzReadOnly holds the statement check: no panic, and what it lets
// through starts with SELECT or WITH once comments are gone.
func FuzzReadOnly(f *testing.F) {
	for _, s := range []string{"SELECT 1", "WITH a AS (SELECT 1) SELECT * FROM a;", "SELECT 'a;b'; DROP t", "/* /* */ */ SELECT $x$;$x$", "-- c\nselect `a;`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got, err := ReadOnly(q)
		if err != nil {
			return
		}
		if len(got) > len(q) {
			t.Fatalf("ReadOnly(%q) = %q grew", q, got)
		}
		if !strings.Contains(strings.ToUpper(got), "SELECT") && !strings.Contains(strings.ToUpper(got), "WITH") {
			t.Fatalf("ReadOnly(%q) = %q, which has no SELECT or WITH", q, got)
		}
	})
}
