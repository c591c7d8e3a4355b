# Headless Chromium for the HTML reports' browser tests (Debian's package;
# tests read DRIFTGATE_TEST_CHROMIUM).
if ! command -v chromium >/dev/null; then apt_install chromium; fi
DRIFTGATE_TEST_CHROMIUM=$(command -v chromium)
export DRIFTGATE_TEST_CHROMIUM
