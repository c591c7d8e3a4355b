# A PostgreSQL server on loopback, in its own data folder, for the SQL
# pushdown and history tests (tests read DRIFTGATE_TEST_POSTGRES_URL).
apt_install postgresql
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_data="$DRIFTGATE_SERVICES_DIR/postgres"
pg_port=${DRIFTGATE_TEST_POSTGRES_PORT:-55432}
mkdir -p "$pg_data"
# initdb refuses to run as root: run the server as the postgres user then.
pg_as=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_data" "$DRIFTGATE_SERVICES_DIR"; pg_as=(runuser -u postgres --); fi
"${pg_as[@]}" "$pg_bin/initdb" -D "$pg_data" -U driftgate --auth=trust -E UTF8 --no-locale >"$pg_data.initdb.log" 2>&1 \
  || { cat "$pg_data.initdb.log"; exit 1; }
"${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w -t 60 \
  -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
  || { cat "$pg_data/server.log"; exit 1; }
on_exit "${pg_as[*]} $pg_bin/pg_ctl -D $pg_data -m fast stop"
DRIFTGATE_TEST_POSTGRES_URL="postgres://driftgate@127.0.0.1:$pg_port/postgres?sslmode=disable"
export DRIFTGATE_TEST_POSTGRES_URL
