#!/bin/sh
# Checks the Debian packages embedlab needs; installs the missing ones when
# running as root with apt-get, otherwise prints the command and fails.
# Usage: scripts/deps.sh [extra-package ...]   (make bench adds the peers)
set -eu
need="libsqlite3-dev sqlite3 libopenblas-openmp-dev gnuplot-nox libcmocka-dev libutf8proc-dev libsentencepiece-dev libmicrohttpd-dev zlib1g-dev pkg-config gcc g++ make"
need="$need $*"
missing=""
for p in $need; do
    if [ "$p" = gnuplot-nox ] && command -v gnuplot >/dev/null 2>&1; then continue; fi
    # Node.js from elsewhere (NodeSource's nodejs carries npm) serves as well.
    if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
    if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
echo "embedlab: missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "embedlab: installing them with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
    exit 0
fi
echo "embedlab: error: install them with: sudo apt-get install$missing" >&2
exit 1
