#!/usr/bin/env bash
# Runs real editors against kzlint: Neovim's built-in LSP client (Debian's
# neovim) against `kzlint lsp` on every corpus file. Each diagnostic that
# Neovim reports must be one that `kzlint --format json` reports, at the
# same line and byte column (Neovim turns the protocol's UTF-16 positions
# into bytes, so a wrong unit shows on any line with curly quotes or
# dashes), and Neovim must report every one of them.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
kz="$repo/target/release/kzlint"
[ -x "$kz" ] || cargo build --release --locked
command -v nvim >/dev/null || { echo "nvim missing: apt-get install neovim"; exit 1; }
nvim --version | head -1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in corpus/*.txt; do
  KZLINT="$kz" KZLINT_FILE="$f" KZLINT_OUT="$work/nvim.txt" \
    timeout 120 nvim --headless -u NONE -c 'luafile tests/editors/nvim-lsp.lua'
  # What the command line reports, in the same form; the baseline is not
  # in play in either (corpus/ has none).
  "$kz" --format json --quiet --no-baseline "$f" > "$work/cli.jsonl" || true
  python3 - "$f" "$work/cli.jsonl" "$work/nvim.txt" <<'PY'
import json, sys
path, cli, nvim = sys.argv[1:]
data = open(path, 'rb').read()
want = set()
for line in open(cli):
    d = json.loads(line)
    if 'rule' not in d:
        continue
    start = d['span']['start']
    line_start = data.rfind(b'\n', 0, start) + 1
    want.add(f"{d['line']}:{start - line_start + 1}:{d['rule']}")
got = set(l.strip() for l in open(nvim) if l.strip())
if got != want:
    print(f"{path}: Neovim and the CLI disagree")
    print("  only in Neovim:", sorted(got - want))
    print("  only in the CLI:", sorted(want - got))
    sys.exit(1)
print(f"{path}: Neovim shows the CLI's {len(got)} diagnostics at the same places")
PY
done
