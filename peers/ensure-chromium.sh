#!/bin/sh
# The web UI's browser tests drive Debian's chromium through its chromedriver. Installs both when
# they are missing and this runs as root with apt-get; otherwise says how to get them (the tests
# then fail with the same advice: they are never skipped).
set -eu
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing chromium and chromium-driver for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium chromium-driver >/dev/null; }
  exit 0
fi
echo "ensure-chromium: /usr/bin/chromium or /usr/bin/chromedriver is missing; install them with" \
  "'sudo apt-get install chromium chromium-driver' (or set webdriver.chrome.driver and rowstream.chromium)" >&2
exit 0
