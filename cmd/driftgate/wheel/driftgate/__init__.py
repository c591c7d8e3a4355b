"""driftgate, packaged for pip: the driftgate binary and a launcher.

The wheel carries the static Go binary of its platform in driftgate/bin;
the ``driftgate`` console command (and ``python -m driftgate``) runs it
with the same arguments, streams and exit code.
"""

import os
import sys


def binary_path() -> str:
    """Return the path of the bundled driftgate binary."""
    name = "driftgate.exe" if sys.platform == "win32" else "driftgate"
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", name)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"the driftgate binary is missing from this installation ({path}); "
            "reinstall the wheel built for this platform"
        )
    return path
