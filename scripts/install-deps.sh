#!/usr/bin/env bash
# Installs the Debian 12 packages vmsim needs to build, test and demo. Idempotent: installs only what is
# missing, and does nothing (not even apt-get update) when everything is present. Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev          # libFuzzer fuzz targets and sanitizer runtime
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libfmt-dev
  libzstd-dev zlib1g-dev libxxhash-dev libabsl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  zstd gzip                          # compressed example traces
  valgrind                           # recording traces of real programs (lackey)
  gnuplot-nox                        # plots
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
