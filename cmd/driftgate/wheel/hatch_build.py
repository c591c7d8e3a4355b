"""Build the driftgate wheel: a platform-tagged wheel that carries the
static driftgate binary (pyproject.toml at the repository root uses this
file as its version source and wheel build hook).

From a clone, ``pip install .`` builds the binary for this machine with
``go build``. A release builds one wheel per platform from the binaries
GoReleaser built (.goreleaser.yaml), by setting:

  DRIFTGATE_VERSION        the release version (v1.2.3 or 1.2.3); without
                           it the wheel is 0.0.0.dev0 and the binary keeps
                           the version the Go toolchain stamps
  DRIFTGATE_WHEEL_BINARY   a driftgate binary to package instead of
                           building one
  GOOS, GOARCH             the target platform (default: the Go
                           toolchain's); they pick the wheel's tag

The binary is static (CGO_ENABLED=0), so one Linux wheel serves glibc and
musl systems alike.
"""

import os
import re
import shutil
import subprocess
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The wheel platform tags of each Go target. Go 1.25 and later need macOS
# 12; a static Linux binary runs on any glibc (manylinux) or musl system.
PLATFORM_TAGS = {
    ("linux", "amd64"): "manylinux_2_17_x86_64.manylinux2014_x86_64.musllinux_1_1_x86_64",
    ("linux", "arm64"): "manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64",
    ("darwin", "amd64"): "macosx_12_0_x86_64",
    ("darwin", "arm64"): "macosx_12_0_arm64",
    ("windows", "amd64"): "win_amd64",
    ("windows", "arm64"): "win_arm64",
}

_RELEASE = re.compile(r"^v?(\d+\.\d+\.\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$")


def release_version() -> str:
    """The release version as Go writes it (v1.2.3), or "" for a dev build."""
    v = os.environ.get("DRIFTGATE_VERSION", "").strip()
    if not v:
        return ""
    if not _RELEASE.match(v):
        raise ValueError(f"DRIFTGATE_VERSION={v!r}: want a semantic version such as v1.2.3 or 1.2.3-rc.1")
    return v if v.startswith("v") else "v" + v


def python_version() -> str:
    """The wheel's version (PEP 440) for the same release: v1.2.3-rc.1 is
    1.2.3rc1, GoReleaser's snapshot 0.0.1-dev+5dde84b is 0.0.1.dev0+5dde84b."""
    from packaging.version import Version  # hatchling depends on packaging

    v = release_version()
    if not v:
        return "0.0.0.dev0"
    return str(Version(v[1:]))


def go_env(*names: str) -> list:
    out = subprocess.run(["go", "env", *names], check=True, capture_output=True, text=True).stdout
    return out.split()


class DriftgateWheelHook(BuildHookInterface):
    """Puts the driftgate binary into driftgate/bin and tags the wheel with
    the binary's platform."""

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        goos = os.environ.get("GOOS") or go_env("GOOS")[0]
        goarch = os.environ.get("GOARCH") or go_env("GOARCH")[0]
        plat = PLATFORM_TAGS.get((goos, goarch))
        if plat is None:
            raise ValueError(f"no wheel platform tag for {goos}/{goarch}: want one of {sorted(PLATFORM_TAGS)}")
        exe = "driftgate.exe" if goos == "windows" else "driftgate"

        self._tmp = tempfile.mkdtemp(prefix="driftgate-wheel-")
        binary = os.path.join(self._tmp, exe)
        given = os.environ.get("DRIFTGATE_WHEEL_BINARY", "")
        if given:
            shutil.copyfile(given, binary)
        else:
            self._go_build(binary, goos, goarch)
        os.chmod(binary, 0o755)

        build_data["force_include"][binary] = f"driftgate/bin/{exe}"
        build_data["pure_python"] = False
        build_data["tag"] = f"py3-none-{plat}"

    def _go_build(self, out: str, goos: str, goarch: str) -> None:
        ldflags = "-s -w"
        if v := release_version():
            ldflags += f" -X main.version={v}"
        env = dict(os.environ, CGO_ENABLED="0", GOOS=goos, GOARCH=goarch)
        cmd = ["go", "build", "-trimpath", "-ldflags", ldflags, "-o", out, "./cmd/driftgate"]
        self.app.display_info(f"building the driftgate binary for {goos}/{goarch}: {' '.join(cmd)}")
        subprocess.run(cmd, cwd=self.root, env=env, check=True)

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if getattr(self, "_tmp", None):
            shutil.rmtree(self._tmp, ignore_errors=True)
