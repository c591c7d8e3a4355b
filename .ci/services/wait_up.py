"""wait_up.py TARGET PID SECONDS: wait until a test server answers at
TARGET, an http:// URL (any status counts: an unauthenticated request is
refused, but answered) or a port on loopback (a connection is accepted), at
most SECONDS; fail at once when process PID has exited. Used through
wait_up in .ci/services/00-helpers.sh."""
import os
import socket
import sys
import time
import urllib.error
import urllib.request

target, pid, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])


def answers():
    if target.startswith("http://"):
        try:
            urllib.request.urlopen(target, timeout=1)
        except urllib.error.HTTPError:
            pass
        return True
    socket.create_connection(("127.0.0.1", int(target)), timeout=1).close()
    return True


deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)  # the server exited
    try:
        if answers():
            sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
