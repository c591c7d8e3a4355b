package sqlpush

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/driftgate/driftgate/contracts"
)

// SQLRule runs the query of a contract's sql quality rule q as written in
// engine e and returns the first value of its one row. The query's
// {object} (also ${object}, {table}, ${table}, {model}) names table t (as
// a Source engine reads it),
// {property} (also ${property}, {column}, ${column}) the column of a
// column-level rule, both quoted in e's dialect.
//
// Only one SELECT or WITH statement runs (checked by ReadOnly, before the
// engine sees it), inside the engine's own read-only guard (Engine.SQL),
// for at most timeout.
func SQLRule(ctx context.Context, e Engine, t Table, column string, q *contracts.Quality, timeout time.Duration) (any, error) {
	text, err := ReadOnly(q.Query)
	if err != nil {
		return nil, err
	}
	from := t.In(e.Dialect())
	if src, ok := e.(Source); ok {
		from = src.From(t)
	}
	if text, err = expand(text, from, column, e); err != nil {
		return nil, err
	}
	if timeout <= 0 {
		timeout = DefaultSQLTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	row, err := e.SQL(ctx, text)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("it ran longer than %s and was stopped", timeout)
		}
		return nil, fmt.Errorf("%s: %w", e.Name(), err)
	}
	if len(row) == 0 {
		return nil, errors.New("it returned no column")
	}
	return row[0], nil
}

var (
	tablePlaceholders  = []string{"${object}", "{object}", "${table}", "{table}", "${model}", "{model}"}
	columnPlaceholders = []string{"${property}", "{property}", "${column}", "{column}"}
)

func expand(text, table, column string, e Engine) (string, error) {
	for _, p := range tablePlaceholders {
		text = strings.ReplaceAll(text, p, table)
	}
	for _, p := range columnPlaceholders {
		if !strings.Contains(text, p) {
			continue
		}
		if column == "" {
			return "", fmt.Errorf("the query names %s, and the rule is not under a property", p)
		}
		text = strings.ReplaceAll(text, p, e.Dialect().Ident(column))
	}
	return text, nil
}

// ReadOnly returns query without its trailing semicolons when it is one
// SELECT or WITH statement, and refuses anything else: a second statement,
// DDL, DML, COPY, SET, CALL. It reads the text as SQL does (string
// literals, quoted identifiers, dollar quotes, backquotes and comments),
// so a semicolon or keyword inside one does not count. A WITH whose body
// writes (PostgreSQL's data-modifying CTEs) passes here and fails in the
// engine's read-only transaction.
func ReadOnly(query string) (string, error) {
	s := query
	first := ""
	end := -1 // offset of the first top-level semicolon
	for i := 0; i < len(s); {
		// Dollar quotes are read up to the first semicolon: after it,
		// anything but space and comments is a second statement anyway.
		kind, j, err := lexeme(s, i, end < 0)
		if err != nil {
			return "", err
		}
		switch kind {
		case lexSemicolon:
			if end < 0 {
				end = i
			}
		case lexWord:
			if first == "" {
				first = strings.ToUpper(s[i:j])
			}
		}
		if end >= 0 && (kind == lexWord || kind == lexOther) {
			return "", errors.New("the query is more than one statement; driftgate runs one SELECT or WITH statement")
		}
		i = j
	}
	if first != "SELECT" && first != "WITH" {
		if first == "" {
			return "", errors.New("the query is empty")
		}
		return "", fmt.Errorf("the query is a %s statement; driftgate runs only one SELECT or WITH statement (read-only)", first)
	}
	if end >= 0 {
		s = s[:end]
	}
	return strings.TrimSpace(s), nil
}

// lexKind is what ReadOnly tells apart in a query's text.
type lexKind uint8

const (
	lexSpace     lexKind = iota // white space and comments
	lexSemicolon                // a statement's end
	lexWord                     // a keyword or a name
	lexOther                    // quoted text, a dollar-quoted body, punctuation
)

// lexeme reads the lexeme of s at offset i, returning its kind and the
// offset after it. dollarQuotes reads PostgreSQL's $tag$ … $tag$ as one
// quoted body.
func lexeme(s string, i int, dollarQuotes bool) (lexKind, int, error) {
	c := s[i]
	switch {
	case c == '-' && i+1 < len(s) && s[i+1] == '-':
		if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
			return lexSpace, i + j + 1, nil
		}
		return lexSpace, len(s), nil
	case c == '/' && i+1 < len(s) && s[i+1] == '*':
		j, err := blockComment(s, i)
		return lexSpace, j, err
	case c == '\'' || c == '"' || c == '`':
		j, err := quoted(s, i)
		return lexOther, j, err
	case c == '$' && dollarQuotes:
		if tag, ok := dollarTag(s[i:]); ok {
			j := strings.Index(s[i+len(tag):], tag)
			if j < 0 {
				return lexOther, 0, fmt.Errorf("the query has an unterminated %s quote", tag)
			}
			return lexOther, i + len(tag) + j + len(tag), nil
		}
	case c == ';':
		return lexSemicolon, i + 1, nil
	case isSpace(c):
		return lexSpace, i + 1, nil
	case isWord(c):
		j := i
		for j < len(s) && isWord(s[j]) {
			j++
		}
		return lexWord, j, nil
	}
	return lexOther, i + 1, nil
}

// quoted returns the offset after the quoted text starting at i (its
// quote character doubled inside stands for itself).
func quoted(s string, i int) (int, error) {
	c := s[i]
	j := strings.IndexByte(s[i+1:], c)
	for j >= 0 && i+1+j+1 < len(s) && s[i+1+j+1] == c { // doubled quote
		k := strings.IndexByte(s[i+1+j+2:], c)
		if k < 0 {
			j = -1
			break
		}
		j += 2 + k
	}
	if j < 0 {
		return 0, fmt.Errorf("the query has an unterminated %c quote", c)
	}
	return i + j + 2, nil
}

// blockComment returns the offset after the comment starting at i;
// comments nest, as in PostgreSQL and the SQL standard.
func blockComment(s string, i int) (int, error) {
	depth := 0
	for i < len(s)-1 {
		switch {
		case s[i] == '/' && s[i+1] == '*':
			depth++
			i += 2
		case s[i] == '*' && s[i+1] == '/':
			depth--
			i += 2
			if depth == 0 {
				return i, nil
			}
		default:
			i++
		}
	}
	return 0, errors.New("the query has an unterminated /* comment")
}

// dollarTag reads a PostgreSQL dollar-quote opening ($$ or $tag$) at the
// start of s; $1, a bind parameter, is none.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1], true
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return "", false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isWord(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
