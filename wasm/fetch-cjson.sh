#!/usr/bin/env bash
# fetch-cjson.sh — puts Debian's cJSON source (the same package libcjson-dev is built from) into
# third_party/cjson/src/{cJSON.c,cJSON.h} for the WebAssembly builds.
#
# It uses `apt-get source` with a private apt directory (third_party/cjson/apt): a deb-src list
# derived from the system's sources, private package lists and caches. The system's apt
# configuration and state are only read, never changed. Quick no-op when the source is present.
# third_party/ is ignored by git: third-party source is never committed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/third_party/cjson"
out="$dest/src"

if [[ -f "$out/cJSON.c" && -f "$out/cJSON.h" ]]; then
    exit 0
fi

for tool in apt-get dpkg-source; do
    if ! command -v "$tool" >/dev/null; then
        echo "fetch-cjson: $tool is missing (run scripts/bootstrap.sh)" >&2
        exit 1
    fi
done

apt_dir="$dest/apt"
rm -rf "$apt_dir" "$dest/download"
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
    "$dest/download"

# deb-src entries for every deb entry the system has, in either format.
found=0
for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    sed -E 's/^Types:.*/Types: deb-src/' "$f" >"$apt_dir/sources.list.d/$(basename "$f")"
    found=1
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    if grep -Eq '^[[:space:]]*deb[[:space:]]' "$f"; then
        sed -nE 's/^[[:space:]]*deb[[:space:]]+/deb-src /p' "$f" \
            >"$apt_dir/sources.list.d/$(basename "$f" .list)-src.list"
        found=1
    fi
done
if [[ $found -eq 0 ]]; then
    echo "fetch-cjson: no apt sources found in /etc/apt" >&2
    exit 1
fi

apt_opts=(
    -o "Dir::Etc::SourceList=/dev/null"
    -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    -o "Dir::Cache::pkgcache="
    -o "Dir::Cache::srcpkgcache="
    -o "APT::Sandbox::User=root"
    -o "Acquire::Languages=none"
)

echo "fetch-cjson: updating the private deb-src lists in $apt_dir" >&2
apt-get "${apt_opts[@]}" -qq update >&2
echo "fetch-cjson: apt-get source cjson" >&2
(cd "$dest/download" && apt-get "${apt_opts[@]}" -qq source cjson >&2)

srcdir="$(find "$dest/download" -mindepth 1 -maxdepth 1 -type d -name 'cjson-*' | head -n1)"
if [[ -z "$srcdir" || ! -f "$srcdir/cJSON.c" ]]; then
    echo "fetch-cjson: the unpacked source has no cJSON.c" >&2
    exit 1
fi

mkdir -p "$out.tmp"
cp "$srcdir/cJSON.c" "$srcdir/cJSON.h" "$out.tmp/"
cp "$srcdir/LICENSE" "$out.tmp/" 2>/dev/null || true
basename "$(ls "$dest/download"/*.dsc)" .dsc >"$out.tmp/VERSION"
rm -rf "$out"
mv "$out.tmp" "$out"
rm -rf "$apt_dir" "$dest/download"
echo "fetch-cjson: $(cat "$out/VERSION") in $out" >&2
