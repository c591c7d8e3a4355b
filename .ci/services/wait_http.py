"""wait_http.py URL: wait until a test server answers HTTP at URL (any
status counts: an unauthenticated request is refused, but answered), at
most 30 seconds. Used by the .ci/services scripts."""
import sys
import time
import urllib.error
import urllib.request

for _ in range(300):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1)
        sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
