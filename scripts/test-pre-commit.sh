#!/usr/bin/env bash
# Runs the pre-commit hooks of this checkout for real: installs pre-commit
# from PyPI into a virtual environment, makes a throwaway git repository
# with one damaged and one clean article, and runs `pre-commit try-repo`
# against this checkout. Fails unless the damaged article fails with
# kzlint's output, the clean one passes, and kzlint-fix repairs the damage.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv="$repo/target/pre-commit-venv"
export PRE_COMMIT_HOME="$repo/target/pre-commit-home"
# Share one build among the hook environments pre-commit installs.
export CARGO_TARGET_DIR="$repo/target/pre-commit-cargo"
if [ ! -x "$venv/bin/pre-commit" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pre-commit
fi
pc="$venv/bin/pre-commit"
"$pc" --version

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q
git config user.email ci@example.invalid
git config user.name "kzlint CI"
cat > damaged.txt <<'TXT'
Harbour reopens

The harbour reopened on Monday after storm repairs, the port authority said.

Source link

Leave a Reply
TXT
cat > clean.txt <<'TXT'
Harbour reopens

The harbour reopened on Monday after storm repairs, the port authority said in a statement.
TXT
git add damaged.txt clean.txt

fail() { echo "FAIL: $*"; exit 1; }

set +e
"$pc" try-repo "$repo" kzlint --files damaged.txt > damaged.log 2>&1
damaged=$?
"$pc" try-repo "$repo" kzlint --files clean.txt > clean.log 2>&1
clean=$?
set -e
cat damaged.log
[ "$damaged" -ne 0 ] || fail "the kzlint hook passed a damaged article"
grep -q "syndication/source-link" damaged.log || fail "kzlint's diagnostics are not in the hook output"
cat clean.log
[ "$clean" -eq 0 ] || fail "the kzlint hook failed a clean article"

set +e
"$pc" try-repo "$repo" kzlint-fix --files damaged.txt > fix.log 2>&1
set -e
cat fix.log
if grep -q "Source link" damaged.txt; then fail "kzlint-fix left the residue in place"; fi
grep -q "The harbour reopened on Monday" damaged.txt || fail "kzlint-fix removed article text"
echo "pre-commit hooks: 3 passed, 0 failed"
