#!/bin/sh
# Produces data/aclImdb, the IMDB Large Movie Review Dataset (Maas et al.,
# 2011): from the shared copy when it exists (sha256 checked), otherwise from
# the official archive (MD5 checked). Unpacks into a temporary folder and
# renames it into place, so an interrupted run leaves nothing half-made and a
# second run is a no-op.
set -eu
dest=data/aclImdb
[ -d "$dest/train/pos" ] && [ -d "$dest/test/neg" ] && exit 0

shared=${EMBEDLAB_SHARED_DATA:-../shared/data}/aclImdb.tar.gz
shared_sha256=283f7bb488810d2d46e6b7e43bb02b2d59ef98a7e40cc38453a92db38bb5d4da
url=https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz
url_md5=7c2ac02c03563afcf9b574c7e56c153a

mkdir -p data
tmp=$(mktemp -d data/.unpack.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

if [ -f "$shared" ]; then
    archive=$shared
    echo "embedlab: checking $archive" >&2
    echo "$shared_sha256  $archive" | sha256sum -c --quiet - ||
        { echo "embedlab: error: $archive does not match its sha256" >&2; exit 1; }
else
    archive=$tmp/aclImdb_v1.tar.gz
    echo "embedlab: downloading $url" >&2
    if command -v curl >/dev/null 2>&1; then
        curl -fL --retry 3 -o "$archive" "$url"
    else
        wget -O "$archive" "$url"
    fi
    echo "$url_md5  $archive" | md5sum -c --quiet - ||
        { echo "embedlab: error: the download does not match its MD5" >&2; exit 1; }
fi
echo "embedlab: unpacking into $dest" >&2
tar -xzf "$archive" -C "$tmp"
[ -d "$tmp/aclImdb/train/pos" ] && [ -d "$tmp/aclImdb/test/neg" ] ||
    { echo "embedlab: error: the archive has no aclImdb/{train,test} folders" >&2; exit 1; }
rm -rf "$dest"
mv "$tmp/aclImdb" "$dest"
echo "embedlab: data ready in $dest" >&2
