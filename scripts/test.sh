#!/usr/bin/env bash
# Runs everything CI runs, on a fresh machine too: installs what the tests
# need, then formatting, lints and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's Chromium through chromedriver; CJK fonts make
# screenshots readable. Installed only when missing.
if { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
    || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; }; then
  echo "installing chromium, chromium-driver and fonts-noto-cjk for the browser tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
fi

# The accessibility test (tests/it/a11y.rs) runs axe-core, pinned in
# tests/a11y/package-lock.json; node also runs calc.js for the parity test.
if ! command -v npm >/dev/null; then
  echo "installing nodejs and npm for the calculator and accessibility tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -f tests/a11y/node_modules/axe-core/axe.min.js ]; then
  npm ci --prefix tests/a11y --no-audit --no-fund
fi

cargo fmt --check
cargo clippy --all-targets -- -D warnings
# Debug-mode tests keep the 2-core build short; no test depends on timing.
cargo test --all-targets
