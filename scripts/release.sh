#!/usr/bin/env bash
# Release builds: static binaries of choucha for the machines offices run, and SHA256SUMS.
#
#   scripts/release.sh 1.2.0            # → dist/choucha-1.2.0-<os>-<arch>[.exe], dist/SHA256SUMS
#   OUT=/tmp/rel scripts/release.sh 1.2.0
#   TARGETS="linux/arm64" scripts/release.sh 1.2.0   # a subset (tests)
#
# CGO_ENABLED=0 (no C library needed on the target; SQLite is modernc.org/sqlite, pure Go),
# -trimpath and an empty build ID (the same source gives the same bytes on any machine), the
# version stamped into main.version (recorded as tool_version in every manifest).
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-}
if [[ ! $version =~ ^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]]; then
  echo "用法: scripts/release.sh 版本号（如 1.2.0 或 v1.2.0-rc.1）" >&2
  exit 2
fi
version=${version#v}
out=${OUT:-dist}
targets=${TARGETS:-"windows/amd64 linux/amd64 linux/arm64 linux/loong64 darwin/arm64"}

mkdir -p "$out"
names=()
for t in $targets; do
  os=${t%/*}
  arch=${t#*/}
  ext=""
  [ "$os" = windows ] && ext=.exe
  name="choucha-$version-$os-$arch$ext"
  echo "构建 $name" >&2
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath \
    -ldflags "-s -w -buildid= -X main.version=$version" \
    -o "$out/$name.tmp" ./cmd/choucha
  mv "$out/$name.tmp" "$out/$name"
  names+=("$name")
done
(cd "$out" && sha256sum "${names[@]}" > SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS)
echo "已写出 $out/SHA256SUMS：" >&2
cat "$out/SHA256SUMS" >&2
