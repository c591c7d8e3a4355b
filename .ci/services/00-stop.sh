# stop_pid PID: the stop command the test service scripts register with
# on_exit. SIGTERM first; a server that has not exited within 2 s (SeaweedFS
# and Azurite can linger in a graceful shutdown) is killed, so that the
# run's clean-up never hangs.
stop_pid() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 20); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
