#!/usr/bin/env bash
# Installs Debian's Chromium (and CJK fonts, so Japanese pages render in screenshots) for the
# end-to-end tests. Never fails the test command: without a browser those tests skip with a reason.
set -u
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk \
    >/dev/null || echo "install-browser: apt-get could not install chromium; e2e tests will skip"
else
  echo "install-browser: not root or no apt-get; install chromium yourself or e2e tests will skip"
fi
exit 0
