#!/bin/sh
# Installs what the browser test (tests/cli_browser.sh) needs beyond Debian's
# chromium and nodejs: puppeteer-core at the version tests/browser/
# package-lock.json pins, by `npm ci` into tests/browser/node_modules
# (gitignored). PUPPETEER_SKIP_DOWNLOAD: the test drives /usr/bin/chromium,
# so no browser is downloaded. Does nothing when the installed copy matches
# the lock file. Exit status 1 (with the reason) when npm cannot install it.
# Usage: scripts/browser-deps.sh   (from the top folder; make test calls it)
set -eu
dir=tests/browser
stamp=$dir/node_modules/.package-lock.json
if [ -f "$stamp" ] && [ -d "$dir/node_modules/puppeteer-core" ] && ! [ "$dir/package-lock.json" -nt "$stamp" ]; then
    exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "embedlab: error: npm is not installed (scripts/deps.sh npm)" >&2; exit 1; }
echo "embedlab: installing the browser test's puppeteer-core (npm ci in $dir)" >&2
(cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2)
