#!/usr/bin/env bash
# Build the wheel, install it into a fresh venv and use it from a folder outside the checkout:
# the packaged ontology, registries, shapes and queries must be enough (no checkout needed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m build --wheel --outdir "$work/dist" "$root" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$work"/dist/ketsugo-*.whl >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
mkdir "$work/elsewhere"
cd "$work/elsewhere"
"$work/venv/bin/ketsugo" build -q --out build
# the bundled report has one violation (No.12): validate exits 1 by design; anything else is a failure
rc=0
"$work/venv/bin/ketsugo" validate --store build >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { echo "wheel smoke: validate exited $rc, expected 1"; exit 1; }
"$work/venv/bin/ketsugo" query recipients-of-category --store build --param category=生年月日 --format csv \
  | grep -q "厚生労働省" || { echo "wheel smoke: the date-of-birth query did not name 厚生労働省"; exit 1; }
echo "wheel smoke: installed wheel builds, validates and answers from $(pwd)"
