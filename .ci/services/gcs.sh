# fake-gcs-server, a Google Cloud Storage emulator (a Go module), for the
# GCS tests: JSON API over plain HTTP on loopback, objects on disk under the
# run's folder. Built once into a cache folder (a few minutes on 2 cores;
# cached after). Tests read DRIFTGATE_TEST_GCS_ENDPOINT.
gcs_version=v1.56.1
gcs_bin="${XDG_CACHE_HOME:-$HOME/.cache}/driftgate/fake-gcs-server-$gcs_version"
if [ ! -x "$gcs_bin/fake-gcs-server" ]; then
  GOBIN="$gcs_bin" GOFLAGS=-mod=mod go install "github.com/fsouza/fake-gcs-server@$gcs_version"
fi
gcs_dir="$DRIFTGATE_SERVICES_DIR/gcs"
mkdir -p "$gcs_dir/data"
gcs_port=$(free_port)
"$gcs_bin/fake-gcs-server" -scheme http -host 127.0.0.1 -port "$gcs_port" \
  -backend filesystem -filesystem-root "$gcs_dir/data" -public-host "127.0.0.1:$gcs_port" -log-level error \
  >"$gcs_dir/gcs.log" 2>&1 &
gcs_pid=$!
on_exit "stop_pid $gcs_pid"
DRIFTGATE_TEST_GCS_ENDPOINT="http://127.0.0.1:$gcs_port"
wait_up fake-gcs-server "$gcs_pid" "$gcs_dir/gcs.log" "$DRIFTGATE_TEST_GCS_ENDPOINT/storage/v1/b" || return 1
export DRIFTGATE_TEST_GCS_ENDPOINT
echo "fake-gcs-server $gcs_version at $DRIFTGATE_TEST_GCS_ENDPOINT"
