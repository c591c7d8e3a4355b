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
azurite_port=$(free_port)
"$azurite_prefix/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$azurite_port" \
  --location "$azurite_dir" --skipApiVersionCheck --disableProductStyleUrl --silent \
  >"$azurite_dir/azurite.log" 2>&1 &
azurite_pid=$!
on_exit "stop_pid $azurite_pid"
DRIFTGATE_TEST_AZURITE_BLOB="http://127.0.0.1:$azurite_port"
wait_up Azurite "$azurite_pid" "$azurite_dir/azurite.log" "$DRIFTGATE_TEST_AZURITE_BLOB/devstoreaccount1?comp=list" || return 1
export DRIFTGATE_TEST_AZURITE_BLOB
echo "Azurite $azurite_version blob service at $DRIFTGATE_TEST_AZURITE_BLOB"
