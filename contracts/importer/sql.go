package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	pgparser "github.com/wasilibs/go-pgquery/parser"

	"github.com/driftgate/driftgate/contracts"
)

// sql reads PostgreSQL or ANSI DDL: CREATE TABLE (columns, NOT NULL,
// PRIMARY KEY, UNIQUE, CHECK), ALTER TABLE … ADD CONSTRAINT and SET NOT
// NULL (pg_dump's way), CREATE TYPE … AS ENUM and CREATE DOMAIN (their
// values and checks follow the columns of that type), INHERITS, and
// COMMENT ON TABLE/COLUMN as descriptions.
//
// The parser is PostgreSQL's own (libpg_query, compiled to WebAssembly and
// run by wazero: pure Go). A column's type is kept as written as
// physicalType and read through the one type vocabulary
// (contracts.ParsePhysicalType) for its logicalType and length; CHECK
// constraints become bounds, lengths, patterns and allowed values where
// ODCS can say them, and are listed as not mapped where it cannot.
func (r *reader) sql(src []byte) ([]Table, error) {
	s := &sqlReader{reader: r, src: string(src), enums: map[string][]string{}, domains: map[string]*sqlDomain{}}
	tree, err := s.parse()
	if err != nil {
		return nil, err
	}
	for _, st := range tree.Stmts {
		st.Location = skipSpace(s.src, st.Location)
		if err := s.statement(st); err != nil {
			return nil, err
		}
	}
	s.noteSkipped()
	tables := make([]Table, 0, len(s.tables))
	for _, t := range s.tables {
		tables = append(tables, t.Table)
	}
	if len(tables) == 0 {
		return nil, &Error{File: r.file, Line: 1, Column: 1, Msg: "no CREATE TABLE to import"}
	}
	return tables, nil
}

// sqlReader holds what the statements of one file declare.
type sqlReader struct {
	*reader
	src     string
	tables  []*sqlTable
	enums   map[string][]string
	domains map[string]*sqlDomain
	// skipped counts the statements that declare no table, by kind, with
	// the first one's offset.
	skipped map[string]*skippedKind
}

type skippedKind struct {
	n, first int
}

type sqlTable struct {
	Table
}

// sqlDomain is a CREATE DOMAIN: a base type and its checks on VALUE.
type sqlDomain struct {
	typ         *pgTypeName
	constraints []pgNode
}

// The parse tree, as libpg_query's JSON writes it: only the nodes read.
// Locations are byte offsets into the source; -1 or absent when unknown.
type pgTree struct {
	Stmts []struct {
		Stmt     map[string]json.RawMessage `json:"stmt"`
		Location int                        `json:"stmt_location"`
	} `json:"stmts"`
}

type pgNode struct {
	String     *struct{ Sval string }       `json:"String"`
	Integer    *struct{ Ival int64 }        `json:"Integer"`
	Float      *struct{ Fval string }       `json:"Float"`
	AConst     *pgConst                     `json:"A_Const"`
	AExpr      *pgExpr                      `json:"A_Expr"`
	BoolExpr   *pgBoolExpr                  `json:"BoolExpr"`
	ColumnRef  *pgColumnRef                 `json:"ColumnRef"`
	TypeCast   *pgTypeCast                  `json:"TypeCast"`
	List       *struct{ Items []pgNode }    `json:"List"`
	ArrayExpr  *struct{ Elements []pgNode } `json:"A_ArrayExpr"`
	FuncCall   *pgFuncCall                  `json:"FuncCall"`
	NullTest   *pgNullTest                  `json:"NullTest"`
	ColumnDef  *pgColumnDef                 `json:"ColumnDef"`
	Constraint *pgConstraint                `json:"Constraint"`
	AlterCmd   *pgAlterCmd                  `json:"AlterTableCmd"`
	RangeVar   *pgRangeVar                  `json:"RangeVar"`
}

type pgConst struct {
	Ival *struct {
		Ival int64 `json:"ival"`
	} `json:"ival"`
	Fval *struct {
		Fval string `json:"fval"`
	} `json:"fval"`
	Sval *struct {
		Sval string `json:"sval"`
	} `json:"sval"`
	Boolval *struct {
		Boolval bool `json:"boolval"`
	} `json:"boolval"`
	Isnull   bool `json:"isnull"`
	Location int  `json:"location"`
}

type pgExpr struct {
	Kind     string   `json:"kind"`
	Name     []pgNode `json:"name"`
	Lexpr    *pgNode  `json:"lexpr"`
	Rexpr    *pgNode  `json:"rexpr"`
	Location int      `json:"location"`
}

type pgBoolExpr struct {
	Boolop string   `json:"boolop"`
	Args   []pgNode `json:"args"`
}

type pgColumnRef struct {
	Fields   []pgNode `json:"fields"`
	Location int      `json:"location"`
}

type pgTypeCast struct {
	Arg *pgNode `json:"arg"`
}

type pgFuncCall struct {
	Funcname []pgNode `json:"funcname"`
	Args     []pgNode `json:"args"`
}

type pgNullTest struct {
	Arg          *pgNode `json:"arg"`
	Nulltesttype string  `json:"nulltesttype"`
}

type pgRangeVar struct {
	Schemaname string `json:"schemaname"`
	Relname    string `json:"relname"`
	Location   int    `json:"location"`
}

type pgTypeName struct {
	Names       []pgNode `json:"names"`
	ArrayBounds []pgNode `json:"arrayBounds"`
	Location    int      `json:"location"`
}

type pgColumnDef struct {
	Colname     string      `json:"colname"`
	TypeName    *pgTypeName `json:"typeName"`
	Constraints []pgNode    `json:"constraints"`
	CollClause  *struct {
		Location int `json:"location"`
	} `json:"collClause"`
	Location int `json:"location"`
}

type pgConstraint struct {
	Contype  string      `json:"contype"`
	Conname  string      `json:"conname"`
	Keys     []pgNode    `json:"keys"`
	FkAttrs  []pgNode    `json:"fk_attrs"`
	Pktable  *pgRangeVar `json:"pktable"`
	RawExpr  *pgNode     `json:"raw_expr"`
	Location int         `json:"location"`
}

type pgAlterCmd struct {
	Subtype string  `json:"subtype"`
	Name    string  `json:"name"`
	Def     *pgNode `json:"def"`
}

type pgCreate struct {
	Relation     *pgRangeVar `json:"relation"`
	TableElts    []pgNode    `json:"tableElts"`
	InhRelations []pgNode    `json:"inhRelations"`
}

type pgAlter struct {
	Relation *pgRangeVar `json:"relation"`
	Cmds     []pgNode    `json:"cmds"`
}

type pgComment struct {
	Objtype string  `json:"objtype"`
	Object  *pgNode `json:"object"`
	Comment string  `json:"comment"`
}

type pgEnum struct {
	TypeName []pgNode `json:"typeName"`
	Vals     []pgNode `json:"vals"`
}

type pgDomain struct {
	Domainname  []pgNode    `json:"domainname"`
	TypeName    *pgTypeName `json:"typeName"`
	Constraints []pgNode    `json:"constraints"`
}

// parse runs PostgreSQL's parser over the file. A syntax error names the
// line and column PostgreSQL points at.
func (s *sqlReader) parse() (tree pgTree, err error) {
	defer func() {
		// The parser runs in a WebAssembly sandbox; a trap there is an
		// error about this file, never a crash.
		if p := recover(); p != nil {
			err = &Error{File: s.file, Line: 1, Column: 1, Msg: fmt.Sprintf("the SQL parser failed: %v", p)}
		}
	}()
	out, perr := pgparser.ParseToJSON(s.src)
	if perr != nil {
		var pe *pgparser.Error
		if errors.As(perr, &pe) && pe.Cursorpos > 0 {
			line, col := s.position(runeOffset(s.src, pe.Cursorpos-1))
			return tree, &Error{File: s.file, Line: line, Column: col, Msg: pe.Message}
		}
		return tree, &Error{File: s.file, Line: 1, Column: 1, Msg: perr.Error()}
	}
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		return tree, fmt.Errorf("%s: read the SQL parse tree: %w", s.file, err)
	}
	return tree, nil
}

// skipSpace moves an offset past white space and comments: a statement's
// location is where the previous one ended.
func skipSpace(src string, off int) int {
	for off < len(src) {
		rest := src[off:]
		switch {
		case rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r':
			off++
		case strings.HasPrefix(rest, "--"):
			end := strings.IndexByte(rest, '\n')
			if end < 0 {
				return len(src)
			}
			off += end + 1
		case strings.HasPrefix(rest, "/*"):
			end := strings.Index(rest, "*/")
			if end < 0 {
				return len(src)
			}
			off += end + 2
		default:
			return off
		}
	}
	return off
}

// runeOffset is the byte offset of the n-th character (0-based).
func runeOffset(s string, n int) int {
	off := 0
	for i := 0; i < n && off < len(s); i++ {
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	return off
}

// position is the 1-based line and column (in characters) of a byte
// offset.
func (s *sqlReader) position(off int) (line, col int) {
	off = max(0, min(off, len(s.src)))
	before := s.src[:off]
	line = strings.Count(before, "\n") + 1
	start := strings.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCountInString(before[start:]) + 1
}

func (s *sqlReader) at(off int) string {
	line, col := s.position(off)
	return fmt.Sprintf("%s:%d:%d", s.file, line, col)
}

// dropAt lists what was not mapped at a byte offset of the source.
func (s *sqlReader) dropAt(off int, format string, args ...any) {
	s.dropped = append(s.dropped, s.at(off)+": "+fmt.Sprintf(format, args...))
}

func (s *sqlReader) errorAt(off int, format string, args ...any) error {
	line, col := s.position(off)
	return &Error{File: s.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// statement reads one top-level statement.
func (s *sqlReader) statement(st struct {
	Stmt     map[string]json.RawMessage `json:"stmt"`
	Location int                        `json:"stmt_location"`
}) error {
	for kind, raw := range st.Stmt { // one key: the statement's node type
		var err error
		switch kind {
		case "CreateStmt":
			var c pgCreate
			if err = json.Unmarshal(raw, &c); err == nil {
				err = s.createTable(&c, st.Location)
			}
		case "AlterTableStmt":
			var a pgAlter
			if err = json.Unmarshal(raw, &a); err == nil {
				err = s.alterTable(&a, st.Location)
			}
		case "CommentStmt":
			var c pgComment
			if err = json.Unmarshal(raw, &c); err == nil {
				s.comment(&c, st.Location)
			}
		case "CreateEnumStmt":
			var e pgEnum
			if err = json.Unmarshal(raw, &e); err == nil {
				s.enums[lastName(e.TypeName)] = strs(e.Vals)
			}
		case "CreateDomainStmt":
			var d pgDomain
			if err = json.Unmarshal(raw, &d); err == nil && d.TypeName != nil {
				s.domains[lastName(d.Domainname)] = &sqlDomain{typ: d.TypeName, constraints: d.Constraints}
			}
		default:
			s.skip(kind, st.Location)
		}
		if err != nil {
			return fmt.Errorf("%s: read the SQL parse tree: %w", s.at(st.Location), err)
		}
	}
	return nil
}

// skip counts a statement that declares nothing a contract holds (SET,
// CREATE FUNCTION, CREATE INDEX, CREATE VIEW, INSERT …).
func (s *sqlReader) skip(kind string, loc int) {
	if s.skipped == nil {
		s.skipped = map[string]*skippedKind{}
	}
	k := s.skipped[kind]
	if k == nil {
		k = &skippedKind{first: loc}
		s.skipped[kind] = k
	}
	k.n++
}

// noteSkipped lists the skipped statements, one line per kind.
func (s *sqlReader) noteSkipped() {
	kinds := make([]string, 0, len(s.skipped))
	for k := range s.skipped {
		kinds = append(kinds, k)
	}
	slices.SortFunc(kinds, func(a, b string) int { return s.skipped[a].first - s.skipped[b].first })
	for _, k := range kinds {
		sk := s.skipped[k]
		s.dropAt(sk.first, "%d %s statement(s) declare no table's columns; not imported", sk.n, statementName(k))
	}
}

var statementNames = map[string]string{
	"VariableSetStmt": "SET", "CreateSeqStmt": "CREATE SEQUENCE", "AlterSeqStmt": "ALTER SEQUENCE",
	"ViewStmt": "CREATE VIEW", "IndexStmt": "CREATE INDEX", "AlterOwnerStmt": "ALTER … OWNER",
	"InsertStmt": "INSERT", "DropStmt": "DROP", "CopyStmt": "COPY", "SelectStmt": "SELECT",
	"CreateTrigStmt": "CREATE TRIGGER", "CreateSchemaStmt": "CREATE SCHEMA", "GrantStmt": "GRANT",
	"AlterTableStmt": "ALTER TABLE", "CommentStmt": "COMMENT ON", "TransactionStmt": "BEGIN/COMMIT",
}

// statementName spells a parse-tree statement kind as SQL does:
// CreateFunctionStmt is CREATE FUNCTION.
func statementName(kind string) string {
	if n, ok := statementNames[kind]; ok {
		return n
	}
	kind = strings.TrimSuffix(kind, "Stmt")
	var b strings.Builder
	for i, r := range kind {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

func (s *sqlReader) table(rel *pgRangeVar) *sqlTable {
	if rel == nil {
		return nil
	}
	for _, t := range s.tables {
		if t.Name == rel.Relname && (rel.Schemaname == "" || t.PhysicalName == "" || t.PhysicalName == rel.Schemaname+"."+rel.Relname) {
			return t
		}
	}
	return nil
}

// createTable reads a CREATE TABLE's columns and constraints.
func (s *sqlReader) createTable(c *pgCreate, stmtLoc int) error {
	if c.Relation == nil {
		return s.errorAt(stmtLoc, "CREATE TABLE without a table name")
	}
	t := &sqlTable{}
	t.Name = c.Relation.Relname
	if c.Relation.Schemaname != "" {
		t.PhysicalName = c.Relation.Schemaname + "." + c.Relation.Relname
	}
	s.tables = append(s.tables, t)
	// Inherited columns come first, as PostgreSQL lays them out.
	for _, in := range c.InhRelations {
		if parent := s.table(in.RangeVar); parent != nil && parent != t {
			t.Fields = append(t.Fields, cloneFields(parent.Fields)...)
			continue
		}
		s.dropAt(stmtLoc, "table %s: INHERITS %s, a table not declared before it in this file", t.Name, relName(in.RangeVar))
	}
	var constraints []*pgConstraint
	for i, el := range c.TableElts {
		switch {
		case el.ColumnDef != nil:
			end := len(s.src)
			if i+1 < len(c.TableElts) {
				end = elementLocation(c.TableElts[i+1], end)
			}
			if err := s.column(t, el.ColumnDef, end); err != nil {
				return err
			}
		case el.Constraint != nil:
			constraints = append(constraints, el.Constraint)
		default:
			s.dropAt(stmtLoc, "table %s: an element that is neither a column nor a constraint (LIKE)", t.Name)
		}
	}
	for _, con := range constraints {
		s.constraint(t, nil, con, "")
	}
	return nil
}

// cloneFields copies a parent table's columns for a child (INHERITS):
// types, NOT NULL and CHECKs are inherited in PostgreSQL, keys are not.
func cloneFields(fs []Field) []Field {
	out := make([]Field, len(fs))
	for i, f := range fs {
		f.PrimaryKey, f.PrimaryKeyPosition, f.Unique = false, 0, false
		f.TextBounds = slices.Clone(f.TextBounds)
		out[i] = f
	}
	return out
}

func elementLocation(n pgNode, def int) int {
	switch {
	case n.ColumnDef != nil:
		return n.ColumnDef.Location
	case n.Constraint != nil:
		return n.Constraint.Location
	}
	return def
}

// column reads one column definition; end bounds its text in the source.
func (s *sqlReader) column(t *sqlTable, cd *pgColumnDef, end int) error {
	if cd.TypeName == nil {
		return s.errorAt(cd.Location, "column %s has no type", cd.Colname)
	}
	// The type's text runs to its first constraint or COLLATE clause.
	end = typeEnd(cd.TypeName, cd.Constraints, end)
	if cd.CollClause != nil && cd.CollClause.Location > cd.TypeName.Location {
		end = min(end, cd.CollClause.Location)
	}
	f := Field{Name: cd.Colname}
	checks := s.typed(&f, cd.TypeName, typeText(s.src, cd.TypeName.Location, end))
	t.Fields = append(t.Fields, f)
	fp := &t.Fields[len(t.Fields)-1]
	for _, c := range checks { // a domain's constraints, on VALUE
		if c.Constraint != nil {
			s.constraint(t, fp, c.Constraint, "VALUE")
		}
	}
	for _, c := range cd.Constraints {
		if c.Constraint != nil {
			s.constraint(t, fp, c.Constraint, "")
		}
	}
	return nil
}

// typed sets a field's types from a SQL type; the checks of a domain type
// are returned for the caller to apply.
func (s *sqlReader) typed(f *Field, tn *pgTypeName, text string) []pgNode {
	name := lastName(tn.Names)
	if len(tn.ArrayBounds) > 0 {
		item := Field{Name: "items"}
		s.typed(&item, &pgTypeName{Names: tn.Names, Location: tn.Location}, strings.TrimSpace(strings.SplitN(text, "[", 2)[0]))
		f.Logical, f.Physical, f.Items = "array", text, &item
		return nil
	}
	if vals, ok := s.enums[name]; ok {
		f.Logical, f.Physical, f.Enum = "string", text, vals
		return nil
	}
	if d, ok := s.domains[name]; ok {
		// A domain is its base type with checks on VALUE.
		s.typed(f, d.typ, typeText(s.src, d.typ.Location, typeEnd(d.typ, d.constraints, len(s.src))))
		return d.constraints
	}
	f.Physical = text
	switch name {
	case "serial", "serial2", "serial4", "serial8", "smallserial", "bigserial":
		f.Required = true // PostgreSQL makes a serial column NOT NULL
	}
	dom, known := contracts.ParsePhysicalType(text, contracts.Postgres)
	f.Logical = contracts.LogicalTypeOf(dom)
	if !known || f.Logical == "" {
		s.dropAt(tn.Location, "column %s: type %s is not one driftgate knows; imported as string", f.Name, text)
		f.Logical, f.Physical = "string", ""
		return nil
	}
	if dom.Kind == contracts.KindString && dom.Length > 0 {
		n := dom.Length
		f.MaxLength = &n
	}
	if dom.UUID {
		f.Format = "uuid"
	}
	return nil
}

// typeEnd is where a type's text ends at the latest: at the first of
// the constraints written after it, or at end.
func typeEnd(tn *pgTypeName, constraints []pgNode, end int) int {
	for _, c := range constraints {
		if c.Constraint != nil && c.Constraint.Location > tn.Location {
			end = min(end, c.Constraint.Location)
		}
	}
	return end
}

// typeText is the source text of a type from its offset to end: cut at a
// comment, a comma or a parenthesis that closes the table, with runs of
// space made one ("character varying(45)").
func typeText(src string, start, end int) string {
	if start < 0 || start >= len(src) {
		return ""
	}
	t := src[start:min(max(end, start), len(src))]
	if i := strings.Index(t, "--"); i >= 0 {
		t = t[:i]
	}
	if i := strings.Index(t, "/*"); i >= 0 {
		t = t[:i]
	}
	depth := 0
cut:
	for i, r := range t {
		switch r {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				t = t[:i]
				break cut
			}
			depth--
		case ',', ';':
			if depth == 0 {
				t = t[:i]
				break cut
			}
		}
	}
	return strings.Join(strings.Fields(t), " ")
}

// constraint applies one constraint, wherever it is written: on a column
// or a domain (f is that column; a domain's checks name it valueName,
// VALUE) or on the table (f is nil and the constraint's keys name the
// columns), from CREATE TABLE or ALTER TABLE … ADD CONSTRAINT.
func (s *sqlReader) constraint(t *sqlTable, f *Field, c *pgConstraint, valueName string) {
	subject, keys := "table "+t.Name, strs(c.Keys)
	if f != nil {
		subject, keys = "column "+f.Name, []string{f.Name}
	}
	switch c.Contype {
	case "CONSTR_NOTNULL", "CONSTR_IDENTITY":
		for _, col := range s.columns(t, f, keys, c.Location) {
			if col != nil {
				col.Required = true
			}
		}
	case "CONSTR_PRIMARY":
		cols := s.columns(t, f, keys, c.Location)
		for i, col := range cols {
			if col == nil {
				continue
			}
			col.PrimaryKey, col.Required = true, true
			if len(cols) > 1 {
				col.PrimaryKeyPosition = i + 1
			}
		}
	case "CONSTR_UNIQUE":
		cols := s.columns(t, f, keys, c.Location)
		switch {
		case len(cols) == 1 && cols[0] != nil:
			cols[0].Unique = true
		case len(cols) > 1 && !slices.Contains(cols, nil):
			t.UniqueKeys = append(t.UniqueKeys, keys)
		}
	case "CONSTR_CHECK":
		if c.RawExpr != nil {
			s.check(t, f, *c.RawExpr, valueName)
		}
	case "CONSTR_FOREIGN":
		from := ""
		if f == nil {
			from = " (" + strings.Join(strs(c.FkAttrs), ", ") + ")"
		}
		s.dropAt(c.Location, "%s: a foreign key%s to %s (a relationship; import writes none)", subject, from, relName(c.Pktable))
	case "CONSTR_NULL", "CONSTR_DEFAULT", "CONSTR_GENERATED",
		"CONSTR_ATTR_DEFERRABLE", "CONSTR_ATTR_NOT_DEFERRABLE", "CONSTR_ATTR_DEFERRED", "CONSTR_ATTR_IMMEDIATE":
		// Defaults and generation say how rows are written, not what
		// they hold.
	default:
		s.dropAt(c.Location, "%s: a %s constraint", subject, constraintName(c.Contype))
	}
}

// columns are the columns a constraint is on: f when it is written on a
// column, else the table's columns its keys name, nil (and listed as not
// mapped) for a name the table does not have.
func (s *sqlReader) columns(t *sqlTable, f *Field, keys []string, loc int) []*Field {
	if f != nil {
		return []*Field{f}
	}
	cols := make([]*Field, len(keys))
	for i, k := range keys {
		cols[i] = s.field(t, k, loc)
	}
	return cols
}

func (s *sqlReader) field(t *sqlTable, name string, loc int) *Field {
	for i := range t.Fields {
		if t.Fields[i].Name == name {
			return &t.Fields[i]
		}
	}
	s.dropAt(loc, "table %s: a constraint on %s, a column it does not have", t.Name, name)
	return nil
}

func relName(r *pgRangeVar) string {
	if r == nil {
		return "another table"
	}
	if r.Schemaname != "" {
		return r.Schemaname + "." + r.Relname
	}
	return r.Relname
}

func constraintName(contype string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(contype, "CONSTR_"), "_", " "))
}

// alterTable applies ALTER TABLE … ADD CONSTRAINT and ALTER COLUMN … SET
// NOT NULL to a table declared earlier in the file.
func (s *sqlReader) alterTable(a *pgAlter, stmtLoc int) error {
	t := s.table(a.Relation)
	if t == nil {
		s.skip("AlterTableStmt", stmtLoc)
		return nil
	}
	for _, n := range a.Cmds {
		cmd := n.AlterCmd
		if cmd == nil {
			continue
		}
		switch cmd.Subtype {
		case "AT_AddConstraint":
			if cmd.Def != nil && cmd.Def.Constraint != nil {
				s.constraint(t, nil, cmd.Def.Constraint, "")
			}
		case "AT_SetNotNull":
			if f := s.field(t, cmd.Name, stmtLoc); f != nil {
				f.Required = true
			}
		case "AT_ChangeOwner", "AT_ColumnDefault", "AT_SetStatistics", "AT_ClusterOn", "AT_ReplicaIdentity", "AT_SetStorage":
			// Storage and ownership: nothing a contract holds.
		default:
			s.dropAt(stmtLoc, "table %s: ALTER TABLE %s", t.Name, strings.ToLower(strings.TrimPrefix(cmd.Subtype, "AT_")))
		}
	}
	return nil
}

// comment reads COMMENT ON TABLE and COMMENT ON COLUMN.
func (s *sqlReader) comment(c *pgComment, loc int) {
	var names []string
	if c.Object != nil && c.Object.List != nil {
		names = strs(c.Object.List.Items)
	}
	switch {
	case c.Objtype == "OBJECT_TABLE" && len(names) > 0:
		if t := s.table(rangeVar(names)); t != nil {
			t.Description = c.Comment
			return
		}
	case c.Objtype == "OBJECT_COLUMN" && len(names) > 1:
		if t := s.table(rangeVar(names[:len(names)-1])); t != nil {
			if f := s.field(t, names[len(names)-1], loc); f != nil {
				f.Description = c.Comment
			}
			return
		}
	}
	s.skip("CommentStmt", loc)
}

func rangeVar(names []string) *pgRangeVar {
	rv := &pgRangeVar{Relname: names[len(names)-1]}
	if len(names) > 1 {
		rv.Schemaname = names[len(names)-2]
	}
	return rv
}

// check maps a CHECK expression onto the columns it constrains: on f
// when the constraint is written on a column (or a domain, whose checks
// name valueName), else on the one column it names. What ODCS cannot say
// is listed as not mapped, with the constraint's text.
func (s *sqlReader) check(t *sqlTable, f *Field, e pgNode, valueName string) {
	for _, part := range conjuncts(e) {
		if !s.condition(t, f, part, valueName) {
			s.dropAt(location(part), "table %s: CHECK %s cannot be said in ODCS", t.Name, snippet(s.src, location(part)))
		}
	}
}

// conjuncts splits a AND b AND c.
func conjuncts(e pgNode) []pgNode {
	if b := e.BoolExpr; b != nil && b.Boolop == "AND_EXPR" {
		var out []pgNode
		for _, a := range b.Args {
			out = append(out, conjuncts(a)...)
		}
		return out
	}
	return []pgNode{e}
}

// condition maps one comparison; false when it cannot.
func (s *sqlReader) condition(t *sqlTable, f *Field, e pgNode, valueName string) bool {
	target := func(n *pgNode) *Field {
		name, ok := columnName(n)
		if !ok {
			return nil
		}
		if valueName != "" && strings.EqualFold(name, valueName) || f != nil && name == f.Name {
			return f
		}
		for i := range t.Fields {
			if t.Fields[i].Name == name {
				return &t.Fields[i]
			}
		}
		return nil
	}
	switch {
	case e.NullTest != nil:
		if col := target(e.NullTest.Arg); col != nil && e.NullTest.Nulltesttype == "IS_NOT_NULL" {
			col.Required = true
			return true
		}
	case e.AExpr != nil:
		return s.comparison(e.AExpr, target)
	}
	return false
}

// comparison maps col op constant, BETWEEN, IN, = ANY (ARRAY[…]), ~ and
// length(col) op n.
func (s *sqlReader) comparison(x *pgExpr, target func(*pgNode) *Field) bool {
	op := ""
	if len(x.Name) > 0 && x.Name[0].String != nil {
		op = x.Name[0].String.Sval
	}
	switch x.Kind {
	case "AEXPR_BETWEEN":
		col := target(x.Lexpr)
		if col == nil || x.Rexpr == nil || x.Rexpr.List == nil || len(x.Rexpr.List.Items) != 2 {
			return false
		}
		lo, hi := x.Rexpr.List.Items[0], x.Rexpr.List.Items[1]
		return setBound(col, ">=", &lo) && setBound(col, "<=", &hi)
	case "AEXPR_IN":
		col := target(x.Lexpr)
		if col == nil || op != "=" || x.Rexpr == nil || x.Rexpr.List == nil {
			return false
		}
		return setEnum(col, x.Rexpr.List.Items)
	case "AEXPR_OP_ANY":
		col := target(x.Lexpr)
		if col == nil || op != "=" || x.Rexpr == nil || x.Rexpr.ArrayExpr == nil {
			return false
		}
		return setEnum(col, x.Rexpr.ArrayExpr.Elements)
	case "AEXPR_LIKE":
		col := target(x.Lexpr)
		p, ok := constant(x.Rexpr)
		if col == nil || !ok || op != "~~" || col.Pattern != "" || col.Logical != "string" {
			return false
		}
		col.Pattern = likePattern(p)
		return true
	case "AEXPR_OP":
		return operator(x, op, target)
	}
	return false
}

// operator maps col op constant (either way round), col ~ 'regex' and
// length(col) op n.
func operator(x *pgExpr, op string, target func(*pgNode) *Field) bool {
	if x.Lexpr == nil || x.Rexpr == nil {
		return false
	}
	if col := target(x.Lexpr); col != nil {
		if op != "~" {
			return setBound(col, op, x.Rexpr)
		}
		p, ok := constant(x.Rexpr)
		if ok && col.Pattern == "" && col.Logical == "string" {
			col.Pattern = p
			return true
		}
		return false
	}
	if col := target(x.Rexpr); col != nil {
		return setBound(col, flip(op), x.Lexpr)
	}
	if col := lengthOf(x.Lexpr, target); col != nil {
		return setLength(col, op, x.Rexpr)
	}
	return false
}

// likePattern is the regular expression of a LIKE pattern: % any run, _
// any one character, \ escaping the next.
func likePattern(like string) string {
	var b strings.Builder
	b.WriteString("^")
	esc := false
	for _, r := range like {
		switch {
		case esc:
			b.WriteString(regexp.QuoteMeta(string(r)))
			esc = false
		case r == '\\':
			esc = true
		case r == '%':
			b.WriteString(".*")
		case r == '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return b.String()
}

func flip(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

// setBound applies col op value: a numeric bound on a number, a string
// bound on a date, timestamp or time.
func setBound(col *Field, op string, v *pgNode) bool {
	text, ok := constant(v)
	if !ok {
		return false
	}
	key := map[string]string{">=": "minimum", ">": "exclusiveMinimum", "<=": "maximum", "<": "exclusiveMaximum"}[op]
	if key == "" {
		return false
	}
	switch col.Logical {
	case "integer", "number":
		n, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return false
		}
		dst := map[string]**float64{"minimum": &col.Minimum, "exclusiveMinimum": &col.ExclusiveMinimum, "maximum": &col.Maximum, "exclusiveMaximum": &col.ExclusiveMaximum}[key]
		*dst = &n
		return true
	case "date", "timestamp", "time":
		col.TextBounds = append(col.TextBounds, Bound{Key: key, Value: text})
		return true
	}
	return false
}

func setEnum(col *Field, items []pgNode) bool {
	var vals []string
	for i := range items {
		v, ok := constant(&items[i])
		if !ok {
			return false
		}
		vals = append(vals, v)
	}
	col.Enum = vals
	return true
}

// lengthOf is the column of length(col), char_length(col) or
// character_length(col).
func lengthOf(n *pgNode, target func(*pgNode) *Field) *Field {
	if n == nil || n.FuncCall == nil || len(n.FuncCall.Args) != 1 {
		return nil
	}
	switch lastName(n.FuncCall.Funcname) {
	case "length", "char_length", "character_length":
		return target(&n.FuncCall.Args[0])
	}
	return nil
}

func setLength(col *Field, op string, v *pgNode) bool {
	text, ok := constant(v)
	n, err := strconv.ParseInt(text, 10, 64)
	if !ok || err != nil || col.Logical != "string" {
		return false
	}
	switch op {
	case ">=":
		col.MinLength = &n
	case ">":
		n++
		col.MinLength = &n
	case "<=":
		col.MaxLength = &n
	case "<":
		n--
		col.MaxLength = &n
	default:
		return false
	}
	return true
}

// constant is the text of a literal, through casts ('G'::mpaa_rating,
// (0)::numeric).
func constant(n *pgNode) (string, bool) {
	for n != nil && n.TypeCast != nil {
		n = n.TypeCast.Arg
	}
	if n == nil || n.AConst == nil {
		return "", false
	}
	c := n.AConst
	switch {
	case c.Sval != nil:
		return c.Sval.Sval, true
	case c.Fval != nil:
		return c.Fval.Fval, true
	case c.Ival != nil:
		return strconv.FormatInt(c.Ival.Ival, 10), true
	case c.Boolval != nil:
		return strconv.FormatBool(c.Boolval.Boolval), true
	}
	return "", false
}

// columnName is the column a reference names (its last part: t.col).
func columnName(n *pgNode) (string, bool) {
	for n != nil && n.TypeCast != nil {
		n = n.TypeCast.Arg
	}
	if n == nil || n.ColumnRef == nil || len(n.ColumnRef.Fields) == 0 {
		return "", false
	}
	last := n.ColumnRef.Fields[len(n.ColumnRef.Fields)-1]
	if last.String == nil {
		return "", false
	}
	return last.String.Sval, true
}

// location is where an expression starts in the source.
func location(n pgNode) int {
	switch {
	case n.AExpr != nil:
		if n.AExpr.Lexpr != nil {
			if l := location(*n.AExpr.Lexpr); l >= 0 {
				return l
			}
		}
		return n.AExpr.Location
	case n.ColumnRef != nil:
		return n.ColumnRef.Location
	case n.AConst != nil:
		return n.AConst.Location
	case n.BoolExpr != nil && len(n.BoolExpr.Args) > 0:
		return location(n.BoolExpr.Args[0])
	}
	return -1
}

// snippet is the source text of an expression from its offset: up to a
// parenthesis it did not open, a comma or the end of its line, at most 80
// characters.
func snippet(src string, off int) string {
	if off < 0 || off >= len(src) {
		return "(an expression)"
	}
	t := src[off:]
	depth, quoted := 0, false
cut:
	for i, r := range t {
		switch {
		case r == '\'':
			quoted = !quoted
		case quoted:
		case r == '(':
			depth++
		case r == ')' && depth == 0, r == ',' && depth == 0, r == '\n', r == ';':
			t = t[:i]
			break cut
		case r == ')':
			depth--
		}
	}
	t = strings.TrimSpace(t)
	if utf8.RuneCountInString(t) > 80 {
		t = string([]rune(t)[:80]) + "…"
	}
	return t
}

func lastName(names []pgNode) string {
	if len(names) == 0 || names[len(names)-1].String == nil {
		return ""
	}
	return names[len(names)-1].String.Sval
}

func strs(ns []pgNode) []string {
	var out []string
	for _, n := range ns {
		if n.String != nil {
			out = append(out, n.String.Sval)
		}
	}
	return out
}
