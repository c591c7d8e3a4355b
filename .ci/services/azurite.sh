# Azurite, Microsoft's Azure Storage emulator (npm), for the Azure Blob
# Storage tests; its blob service only, on loopback, data under the run's
# folder. Installed once into a cache folder (about a minute). Tests read
# DRIFTGATE_TEST_AZURITE_BLOB and use Azurite's well-known dev account.
azurite_version=3.37.0
azurite_prefix="${XDG_CACHE_HOME:-$HOME/.cache}/driftgate/azurite-$azurite_version"
if [ ! -x "$azurite_prefix/node_modules/.bin/azurite-blob" ]; then
  npm install --prefix "$azurite_prefix" --no-audit --no-fund --loglevel=error "azurite@$azurite_version" >/dev/null
fi
azurite_dir="$DRIFTGATE_SERVICES_DIR/azurite"
mkdir -p "$azurite_dir"
azurite_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$azurite_prefix/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$azurite_port" \
  --location "$azurite_dir" --skipApiVersionCheck --disableProductStyleUrl --silent \
  >"$azurite_dir/azurite.log" 2>&1 &
azurite_pid=$!
on_exit "stop_pid $azurite_pid"
DRIFTGATE_TEST_AZURITE_BLOB="http://127.0.0.1:$azurite_port"
if ! python3 .ci/services/wait_http.py "$DRIFTGATE_TEST_AZURITE_BLOB/devstoreaccount1?comp=list"; then
  echo "Azurite did not start; its log:"; tail -30 "$azurite_dir/azurite.log"
  return 1
fi
export DRIFTGATE_TEST_AZURITE_BLOB
echo "Azurite $azurite_version blob service at $DRIFTGATE_TEST_AZURITE_BLOB"
