# Helpers for the test service scripts, sourced first (.ci/test sources the
# scripts in name order): each script starts its server with these rather
# than a loop of its own.

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

# free_port prints a TCP port free on loopback now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_up NAME PID LOG TARGET [SECONDS]: wait until the server PID answers
# at TARGET, an http:// URL (any HTTP status counts: an unauthenticated
# request is refused, but answered) or a port on loopback (it accepts a
# connection), at most SECONDS (default 30). A server that exits fails at
# once. When it does not come up, says so with the tail of its LOG and
# fails, so that the script can `|| return 1`.
wait_up() {
  if ! python3 .ci/services/wait_up.py "$4" "$2" "${5:-30}"; then
    echo "$1 did not start; its log:"
    tail -40 "$3"
    return 1
  fi
}
