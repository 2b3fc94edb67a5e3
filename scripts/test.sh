#!/usr/bin/env bash
# Installs what the test suite needs, lints, and runs the suite. Arguments go to pytest,
# e.g. `bash scripts/test.sh tests/test_infrastructure.py -x`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

ensure_venv requirements-dev.txt

# Browser tests use Debian's Chromium (never a downloaded one); database tests start their
# own PostgreSQL server from Debian's binaries.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
# The PDF report embeds DejaVu Sans for full Unicode text, and Droid Sans Fallback for the
# Chinese, Japanese and Korean characters DejaVu lacks.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || missing+=(fonts-droid-fallback)
if [ ${#missing[@]} -gt 0 ]; then
  if is_root; then
    apt_install "${missing[@]}"
  else
    echo "note: ${missing[*]} not installed and not running as root:" \
      "the tests that need ${missing[*]} will be skipped (run as root to install it)"
  fi
fi

axe=.cache/axe/axe.min.js
if [ ! -f "$axe" ]; then
  if command -v npm >/dev/null; then
    echo "==> fetching axe-core into $axe"
    work=$(mktemp -d)
    if (cd "$work" && npm pack --silent axe-core@4 >/dev/null && tar xzf axe-core-*.tgz); then
      mkdir -p "$(dirname "$axe")"
      mv "$work/package/axe.min.js" "$axe"
    else
      echo "note: could not fetch axe-core: accessibility checks will be skipped"
    fi
    rm -rf "$work"
  else
    echo "note: npm not found: accessibility checks will be skipped"
  fi
fi

echo "==> ruff check"
.venv/bin/ruff check .

echo "==> pytest $*"
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  # A run that collected nothing must not look like a pass.
  echo "error: pytest collected no tests (arguments: ${*:-none})" >&2
  exit 1
fi
exit "$status"
