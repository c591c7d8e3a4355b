package postgres

import (
	"testing"

	"github.com/driftgate/driftgate/checker/sqlpush/sqlpushtest"
)

// TestPatternsMatchAsRE2: every pattern of sqlpushtest.Patterns, as
// rules.Pattern writes it for PostgreSQL's advanced regular expressions,
// matches with ~ exactly the values Go's RE2 matches.
func TestPatternsMatchAsRE2(t *testing.T) {
	db := testDB(t)
	cases := sqlpushtest.PatternCases(t, New(db).Dialect())
	vals, pats := make([]string, len(cases)), make([]string, len(cases))
	for i, c := range cases {
		vals[i], pats[i] = c.Value, c.Engine
	}
	rows, err := db.Query(`SELECT v ~ p FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(v, p, i) ORDER BY i`, vals, pats)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var got bool
		if err := rows.Scan(&got); err != nil {
			t.Fatal(err)
		}
		if c := cases[i]; got != c.Want {
			t.Errorf("%q ~ %q (for RE2 %q) is %v, RE2 says %v", c.Value, c.Engine, c.Pattern, got, c.Want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != len(cases) {
		t.Fatalf("%d rows for %d cases", i, len(cases))
	}
}
