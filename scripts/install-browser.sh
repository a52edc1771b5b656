#!/usr/bin/env bash
# Installs what the tests drive besides Python: Debian's Chromium (and CJK fonts, so Japanese
# pages render in screenshots) for the end-to-end tests, and PostgreSQL for the tests of a
# progress database shared by servers (tests/postgres.py starts a throw-away server). Never
# fails the test command: without them those tests skip with a reason.
set -u
packages=()
if ! command -v chromium >/dev/null 2>&1; then
  packages+=(chromium fonts-noto-cjk)
fi
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
then
  packages+=(postgresql)
fi
if [ "${#packages[@]}" = 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${packages[@]}" \
    >/dev/null || echo "install-browser: apt-get could not install ${packages[*]}; their tests will skip"
else
  echo "install-browser: not root or no apt-get; install ${packages[*]} yourself or their tests will skip"
fi
exit 0
