# sqlglot, the SQL parser the dialect goldens are held by: the SQL each rule
# writes for Trino, Snowflake, BigQuery, Databricks SQL and Redshift (no
# engine of which runs here) and for PostgreSQL, DuckDB and Spark, parsed in
# its dialect (checker/rules TestSQLGoldensParse runs .ci/sqlglot-parse.py
# with this Python). From PyPI, into a virtualenv cached between runs.
sqlglot_version=30.30.0
sqlglot_venv="${XDG_CACHE_HOME:-$HOME/.cache}/driftgate/sqlglot-$sqlglot_version"
# .installed marks a finished install: an interrupted one is redone.
if [ ! -f "$sqlglot_venv/.installed" ]; then
  apt_install python3-venv
  rm -rf "$sqlglot_venv" && python3 -m venv "$sqlglot_venv"
  "$sqlglot_venv/bin/pip" install -q --disable-pip-version-check "sqlglot==$sqlglot_version"
  touch "$sqlglot_venv/.installed"
fi
DRIFTGATE_TEST_SQLGLOT="$sqlglot_venv/bin/python"
export DRIFTGATE_TEST_SQLGLOT
echo "sqlglot $sqlglot_version at $DRIFTGATE_TEST_SQLGLOT"
