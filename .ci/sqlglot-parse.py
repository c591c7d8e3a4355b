"""sqlglot-parse.py FILE...: parse each golden SQL file
(checker/rules/testdata/sql/<dialect>.sql) in its dialect, named by the
file, with sqlglot. A statement that does not parse, a function the dialect
does not know (sqlglot reads it as Anonymous: a typo such as count_iff), or
a file with fewer statements than SELECTs fails. Run by the Go test
TestSQLGoldensParse with the Python that .ci/services/sqlglot.sh installs."""
import os
import sys

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError

failed = False
for path in sys.argv[1:]:
    dialect = os.path.splitext(os.path.basename(path))[0]
    text = open(path, encoding="utf-8").read()
    want = sum(1 for line in text.splitlines() if line.startswith("SELECT "))
    try:
        trees = [t for t in sqlglot.parse(text, read=dialect, error_level=ErrorLevel.RAISE) if t is not None]
    except ParseError as e:
        print(f"{path}: does not parse as {dialect}: {e}")
        failed = True
        continue
    unknown = sorted({f.name for t in trees for f in t.find_all(exp.Anonymous)})
    if unknown:
        print(f"{path}: functions {dialect} does not have: {', '.join(unknown)}")
        failed = True
    if len(trees) != want:
        print(f"{path}: {len(trees)} statements parsed, {want} written")
        failed = True
    if not unknown and len(trees) == want:
        print(f"{path}: {want} statements parse as {dialect} (sqlglot {sqlglot.__version__})")
sys.exit(1 if failed else 0)
