#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (never a downloaded build).
set -euo pipefail
CHROMIUM="${PLAZA_CHROMIUM:-/usr/bin/chromium}"
[[ -x "$CHROMIUM" ]] && exit 0
echo "Chromium is missing at $CHROMIUM; installing Debian's package..."
if [[ $(id -u) -eq 0 ]]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "!! Cannot install Chromium: not root and no sudo. Run: apt-get install -y chromium" >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
[[ -x "$CHROMIUM" ]] || { echo "!! Chromium still missing at $CHROMIUM" >&2; exit 1; }
