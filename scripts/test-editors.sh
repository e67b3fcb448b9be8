#!/usr/bin/env bash
# Runs real editors against kzlint:
# - Neovim's built-in LSP client (Debian's neovim) against `kzlint lsp` on
#   every corpus file. Each diagnostic that Neovim reports must be one that
#   `kzlint --format json` reports, at the same line and byte column
#   (Neovim turns the protocol's UTF-16 positions into bytes, so a wrong
#   unit shows on any line with curly quotes or dashes), and Neovim must
#   report every one of them.
# - Vim's quickfix list read from `--format short --column-unit byte` with
#   the README's errorformat: after `:cc N` the cursor must sit on the
#   finding's first byte, on lines with non-ASCII text before it.
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

# Vim: the README's errorformat, jumping to findings after non-ASCII text.
command -v vim >/dev/null || { echo "vim missing: apt-get install vim"; exit 1; }
"$kz" --format short --quiet --no-baseline --column-unit byte corpus/ > "$work/short.txt" || true
"$kz" --format json --quiet --no-baseline corpus/ > "$work/cli.jsonl" || true
python3 - "$work" <<'PY'
import json, subprocess, sys
work = sys.argv[1]
findings = [json.loads(l) for l in open(f"{work}/cli.jsonl") if '"rule"' in l]
checked = 0
for n, d in enumerate(findings, 1):
    data = open(d['path'], 'rb').read()
    start = d['span']['start']
    line_start = data.rfind(b'\n', 0, start) + 1
    if data[line_start:start].isascii():
        continue  # bytes and characters agree there: nothing to learn
    pos = f"{work}/pos.txt"
    subprocess.run(['vim', '-es', '-u', 'NONE', '-i', 'NONE',
                    '-c', r'set errorformat=%f:%l:%c:\ %m',
                    '-c', f'cfile {work}/short.txt', '-c', f'cc {n}',
                    '-c', f"call writefile([line('.') . ':' . col('.')], '{pos}')",
                    '-c', 'qa!'], check=False, timeout=60)
    got = open(pos).read().strip()
    want = f"{d['line']}:{start - line_start + 1}"
    if got != want:
        print(f"Vim lands at {got} for {d['path']}:{want} ({d['rule']})")
        sys.exit(1)
    checked += 1
if checked == 0:
    print("no finding after non-ASCII text: the Vim check tested nothing")
    sys.exit(1)
print(f"Vim lands on the first byte of {checked} findings that follow non-ASCII text")
PY
