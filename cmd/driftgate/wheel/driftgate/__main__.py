"""The ``driftgate`` console command: run the bundled binary."""

import os
import subprocess
import sys

from driftgate import binary_path


def main() -> None:
    try:
        path = binary_path()
    except FileNotFoundError as err:
        print(f"driftgate: {err}", file=sys.stderr)
        sys.exit(2)  # driftgate's exit code for a usage or setup error
    args = [path, *sys.argv[1:]]
    if sys.platform == "win32":
        # Windows has no exec: run the binary as a child and pass its exit
        # code on. Ctrl-C reaches the child through the console already.
        try:
            sys.exit(subprocess.call(args))
        except KeyboardInterrupt:
            sys.exit(130)
    # Replace this Python process, so signals, the terminal and the exit
    # code are the binary's own and nothing stays in between.
    os.execv(path, args)


if __name__ == "__main__":
    main()
