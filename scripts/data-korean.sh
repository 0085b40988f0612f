#!/bin/sh
# Produces data/nsmc-dev (train.tsv, test.tsv: Korean movie reviews,
# LABEL<TAB>TEXT, split by movie; see its README.txt) from the shared copy
# when there is one (sha256 checked). The set is built from the public Naver
# Sentiment Movie Corpus (e9t/nsmc, CC0) and has no download of its own, so
# without the shared copy this says so and succeeds: the Korean parts of
# `make demo` and `make bench` are skipped then, and experiments/recipes/korean.sh
# takes any LABEL<TAB>TEXT pair. Unpacks into a temporary folder and renames
# it into place; a second run is a no-op.
set -eu
dest=data/nsmc-dev
[ -f "$dest/train.tsv" ] && [ -f "$dest/test.tsv" ] && exit 0
shared=${EMBEDLAB_SHARED_DATA:-../shared/data}/nsmc-dev.tar.gz
shared_sha256=c4c5cddc6601f6865b225e0072df98b52b3730748bd0eabd2cd62e92d2e243c4
if [ ! -f "$shared" ]; then
    echo "embedlab: no $shared: the Korean demo and bench sections will be skipped" >&2
    exit 0
fi
echo "$shared_sha256  $shared" | sha256sum -c --quiet - ||
    { echo "embedlab: error: $shared does not match its sha256" >&2; exit 1; }
mkdir -p data
tmp=$(mktemp -d data/.unpack.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
tar -xzf "$shared" -C "$tmp"
[ -f "$tmp/nsmc-dev/train.tsv" ] && [ -f "$tmp/nsmc-dev/test.tsv" ] ||
    { echo "embedlab: error: the archive has no nsmc-dev/{train,test}.tsv" >&2; exit 1; }
rm -rf "$dest"
mv "$tmp/nsmc-dev" "$dest"
echo "embedlab: Korean reviews ready in $dest" >&2
