#!/usr/bin/env bash
# Installs Debian's Node.js for the kiosk's JavaScript tests when it is missing (node --test
# needs no npm package).
set -euo pipefail
command -v node >/dev/null && exit 0
echo "Node.js is missing; installing Debian's package..."
if [[ $(id -u) -eq 0 ]]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "!! Cannot install Node.js: not root and no sudo. Run: apt-get install -y nodejs" >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs >/dev/null
command -v node >/dev/null || { echo "!! Node.js still missing" >&2; exit 1; }
