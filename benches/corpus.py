#!/usr/bin/env python3
"""Throughput benchmark on the shared news corpus.

usage: python3 benches/corpus.py [--runs N] [--no-10x]

Unpacks ../shared/bench/news-corpus.tar.zst into target/bench (21,268
articles, 22 MB), builds a 10x copy (221 MB, every folder and file
renamed), builds kzlint in release mode and times it with every built-in
rule and `--format json` to /dev/null. For each corpus it prints the
median wall time of N runs, MB/s, files/s and the peak RSS; ripgrep with
the peers' 50 regexes (`rg -c -f ../shared/bench/peer-regexes.txt`) is
timed in the same run when `rg` is installed, and the kzlint/rg ratio is
printed, then how the time scales from 22 to 221 MB. Then the same
corpus streamed as JSON Lines (`--input jsonl`), a 1 GiB file (refused
above --max-file-size; its peak RSS), and the median wall time of
linting one article. Machines are noisy: compare ratios from one run,
not figures across runs.

Two more sections show where kzlint's time goes. "Same regexes": the
peers' 50 regexes loaded as kzlint rules, every built-in rule off, beside
rg run two ways. `rg -c -f` counts matching lines, and with `-f` one
pattern's inline `(?i)` spills into the patterns after it (a known rg
issue), so it runs other, cheaper regexes than it is given. The
like-for-like row wraps each pattern in its own group `(?:...)` and asks
for `--json`, every match with its offsets, as kzlint's JSON gives them.
"Where the time goes": the run with every rule off (walking, reading,
writing), runs with the rules of one category only, and a run without
the corpus pass.

"Corpus-cleaning peer": datatrove's C4 line filter (`C4QualityFilter`,
one process) on the same files, beside kzlint on one thread (`-j 1`), for
the time per core. It runs from target/bench/peer-venv, which the script
makes with pip (datatrove, regex, spacy) the first time; `--no-peer`
skips it, and so does a machine where pip cannot install it.
"""
import argparse, os, shutil, statistics, subprocess, sys, tarfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
BENCH = ROOT / "target" / "bench"
KZLINT = ROOT / "target" / "release" / "kzlint"


def unpack():
    corpus = BENCH / "corpus"
    if not corpus.is_dir():
        BENCH.mkdir(parents=True, exist_ok=True)
        zst = subprocess.run(["zstd", "-dc", str(SHARED / "news-corpus.tar.zst")], check=True, capture_output=True).stdout
        import io
        with tarfile.open(fileobj=io.BytesIO(zst)) as tar:
            tar.extractall(BENCH)
    return corpus


def tenfold(corpus):
    """Ten copies of the corpus, every folder and file renamed."""
    big = BENCH / "corpus10"
    if not big.is_dir():
        for i in range(10):
            for src in corpus.rglob("*"):
                if src.is_file():
                    rel = src.relative_to(corpus)
                    dst = big / f"copy{i}" / rel.parent / f"{src.stem}-{i}{src.suffix}"
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dst)
    return big


def as_jsonl(corpus):
    """The corpus as one JSON Lines file: {"id": path, "text": article}."""
    out = BENCH / "corpus.jsonl"
    if not out.is_file():
        import json
        with open(out, "w", encoding="utf-8") as f:
            for src in sorted(p for p in corpus.rglob("*") if p.is_file()):
                text = src.read_text(encoding="utf-8")
                f.write(json.dumps({"id": str(src.relative_to(corpus)), "text": text}) + "\n")
    return out


def one_gib_file(corpus):
    """A 1 GiB text file made of the corpus's articles, repeated."""
    out = BENCH / "one-gib.txt"
    if not out.is_file() or out.stat().st_size != 1 << 30:
        chunk = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.rglob("*.txt"))[:2000]).encode()
        with open(out, "wb") as f:
            left = 1 << 30
            while left > 0:
                piece = chunk[:left]
                f.write(piece)
                left -= len(piece)
    return out


CATEGORIES = ["syndication", "translation", "attribution", "extraction"]


def all_off():
    return [arg for c in CATEGORIES for arg in ("--disable", c)]


PEER_CATEGORY = "syndication"
# One text each of the peer regexes matches whole, in the order of
# peer-regexes.txt: a kzlint rule loads only with an example it finds.
PEER_MATCHES = [
    "click here", "Read more:", "subscribe now", "share this", "follow us on Facebook",
    "All rights reserved", "Copyright (c) 2019", "Image credit:", "Sponsored",
    "story continues below", "You may also like", "recommended for you", "related articles",
    "leave a comment", "email address will not be published", "Source link", "syndicated feed",
    "back to top", "sign up for", "cookie policy", "terms of service", "PARIS (AFP) -",
    "(AP) -", "editing by Anna", "featured image", "https://example.org/x", "www.example.org",
    "desk@example.org", "@newsdesk", "#election", "of the", "?!", ".....", "    x", " \t",
    "y" * 400, "very very", "exclusive", "just in", "developing story", "updated on 3",
    "10:45 pm", "Monday", "$5 billion", "pct", "\u201c \u201d", "UNESCO", "placeholder", "as an AI",
    "in conclusion",
]


def peer_rules():
    """The peers' regexes as kzlint rules, in target/bench/peer-rules; None
    when peer-regexes.txt no longer lines up with PEER_MATCHES."""
    import json
    regexes = [line.rstrip("\n") for line in open(SHARED / "peer-regexes.txt", encoding="utf-8") if line.strip()]
    if len(regexes) != len(PEER_MATCHES):
        print(f"(peer-regexes.txt has {len(regexes)} regexes, not {len(PEER_MATCHES)}: same-regex run skipped)")
        return None
    folder = BENCH / "peer-rules"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i, (regex, match) in enumerate(zip(regexes, PEER_MATCHES)):
        (folder / f"peer-{i:02}.toml").write_text(f"""id = "{PEER_CATEGORY}/peer-{i:02}"
severity = "warning"
summary = "peer regex {i}"
message = "peer regex {i}"
help = "none"
description = "The peers' regex number {i}, timed against rg."
[check]
kind = "pattern"
patterns = [{json.dumps(regex)}]
[examples]
bad = [{json.dumps("[[" + match + "]]")}]
good = ["-"]
""", encoding="utf-8")
    return folder


def scoped_peer_regexes():
    """peer-regexes.txt with each pattern in its own group, so that an
    inline flag such as `(?i)` applies to its own pattern only, as it does
    in a kzlint rule."""
    out = BENCH / "peer-regexes-scoped.txt"
    regexes = [line.rstrip("\n") for line in open(SHARED / "peer-regexes.txt", encoding="utf-8") if line.strip()]
    out.write_text("".join(f"(?:{r})\n" for r in regexes), encoding="utf-8")
    return out


PEER_VENV = BENCH / "peer-venv"
# datatrove's C4 filter, one process, over every file: what a corpus
# builder runs to drop boilerplate lines.
C4_RUNNER = """
import os, sys
from datatrove.data import Document
from datatrove.pipeline.filters import C4QualityFilter
f = C4QualityFilter()
kept = 0
for dirpath, _, names in os.walk(sys.argv[1]):
    for name in sorted(names):
        path = os.path.join(dirpath, name)
        text = open(path, encoding="utf-8", errors="replace").read()
        kept += f.filter(Document(text=text, id=path)) is True
print(kept)
"""


def c4_python():
    """The Python of a venv with datatrove's C4 filter, made on first use;
    None when it cannot be installed here."""
    python = PEER_VENV / "bin" / "python"
    check = [str(python), "-c", "from datatrove.pipeline.filters import C4QualityFilter; C4QualityFilter()"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python
    made = subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], capture_output=True).returncode == 0
    if made and subprocess.run([str(python), "-m", "pip", "install", "-q", "datatrove", "regex", "spacy"],
                               capture_output=True).returncode == 0:
        if subprocess.run(check, capture_output=True).returncode == 0:
            return python
    return None


def corpus_cleaning_peer(corpus, runs):
    python = c4_python()
    if python is None:
        print("corpus-cleaning peer: datatrove could not be installed here, skipped")
        return
    runner = BENCH / "c4_filter.py"
    runner.write_text(C4_RUNNER, encoding="utf-8")
    nbytes, nfiles = size(corpus)
    c4, c4_rss = measure([str(python), str(runner), str(corpus)], runs)
    one, one_rss = measure([str(KZLINT), "-j", "1", "--format", "json", "--quiet", str(corpus)], runs)
    print(f"corpus-cleaning peer, one core each (22 MB):")
    print(f"  datatrove C4QualityFilter {c4:>7.2f} s {nbytes / c4 / 1e6:>6.1f} MB/s, peak RSS {c4_rss / 1024:.1f} MiB")
    print(f"  kzlint -j 1, every rule  {one:>7.2f} s {nbytes / one / 1e6:>6.1f} MB/s, peak RSS {one_rss / 1024:.1f} MiB")
    print(f"  kzlint per core: {c4 / one:.2f}x datatrove's C4 filter (target >= 5)")


def size(folder):
    """Bytes and files under `folder`, without holding a list of paths: on
    Linux a child's peak RSS counts this process's memory at fork."""
    nbytes = nfiles = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            nbytes += os.stat(os.path.join(dirpath, name)).st_size
            nfiles += 1
    return nbytes, nfiles


def run(cmd):
    """Wall seconds and peak RSS (KiB) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss


def measure(cmd, runs):
    results = [run(cmd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


# Files of 16 MiB (the default --max-file-size) shaped to cost the most:
# each is checked in time linear in its size and in memory under the bound
# the README states (about 45 times the file's size).
# (Written a piece at a time: a child's peak RSS counts this process's own
# memory at fork.)
HOSTILE = {
    "one line of words": ("a ", 8 << 20),
    "line breaks only": ("\n", 16 << 20),
    "one line of findings": ("they said He ran. ", (16 << 20) // 18),
    "a residue line repeated": ("Share this article on Facebook\n", (16 << 20) // 31),
}


def hostile_inputs():
    for label, (piece, times) in HOSTILE.items():
        path = BENCH / f"hostile-{label.replace(' ', '-')}.txt"
        if not path.exists():
            with open(path, "w") as out:
                for _ in range(times // 4096):
                    out.write(piece * 4096)
                out.write(piece * (times % 4096))
        wall, rss = run([str(KZLINT), "--format", "json", str(path)])
        size_mb = path.stat().st_size / (1 << 20)
        print(f"16 MiB, {label:<24} {wall:>6.2f} s, peak RSS {rss / 1024:>7.1f} MiB "
              f"({rss / 1024 / size_mb:.0f}x its size)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-10x", action="store_true", help="skip the 221 MB copy")
    ap.add_argument("--no-peer", action="store_true", help="skip datatrove's C4 filter")
    a = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    corpus = unpack()
    targets = [("22 MB", corpus)] + ([] if a.no_10x else [("221 MB", tenfold(corpus))])
    rg = shutil.which("rg")
    print(f"kzlint {subprocess.run([str(KZLINT), '--version'], capture_output=True, text=True).stdout.strip()}, "
          f"{os.cpu_count()} cores, median of {a.runs} runs")
    print(f"{'input':<14} {'tool':<7} {'wall s':>8} {'MB/s':>8} {'files/s':>9} {'peak RSS':>12}")
    walls, rg_walls = {}, {}

    def row(label, tool, wall, nbytes, nfiles, rss):
        print(f"{label:<14} {tool:<7} {wall:>8.2f} {nbytes / wall / 1e6:>8.1f} {nfiles / wall:>9.0f} {rss / 1024:>8.1f} MiB")

    for label, folder in targets:
        nbytes, nfiles = size(folder)
        wall, rss = measure([str(KZLINT), "--format", "json", "--quiet", str(folder)], a.runs)
        walls[label] = wall
        row(label, "kzlint", wall, nbytes, nfiles, rss)
        print(f"{label:<14} kzlint {nbytes / wall / 1e6:.1f} MB/s (target >= 60), peak RSS {rss / 1024:.1f} MiB"
              + (" (target <= 64)" if label == "221 MB" else ""))
        if rg:
            rwall, rrss = measure([rg, "-c", "-f", str(SHARED / "peer-regexes.txt"), str(folder)], a.runs)
            rg_walls[label] = rwall
            row(label, "rg", rwall, nbytes, nfiles, rrss)
            print(f"{label:<14} kzlint/rg time ratio: {wall / rwall:.2f} (rg -c -f, the regexes rg runs cheaper)")
    if len(walls) == 2:
        print(f"scaling: 221 MB took {walls['221 MB'] / walls['22 MB']:.2f}x the 22 MB time (target <= 10.5)")
    nbytes, nfiles = size(corpus)
    peer = peer_rules()
    if peer and rg_walls:
        ids = [p.stem for p in sorted(peer.glob("*.toml"))]
        cmd = [str(KZLINT), "--format", "json", "--quiet", "--rules", str(peer)] + all_off()
        cmd += [arg for rule in ids for arg in ("--enable", f"{PEER_CATEGORY}/{rule}")]
        wall, rss = measure(cmd + [str(corpus)], a.runs)
        scoped = scoped_peer_regexes()
        jwall, jrss = measure([rg, "--json", "-f", str(scoped), str(corpus)], a.runs)
        row("22 MB, same", "kzlint", wall, nbytes, nfiles, rss)
        row("22 MB, same", "rg json", jwall, nbytes, nfiles, jrss)
        print(f"{'22 MB, same':<14} kzlint/rg time ratio: {wall / jwall:.2f} against rg --json with each "
              f"pattern in its own group (target <= 0.3); {wall / rg_walls['22 MB']:.2f} against rg -c -f "
              f"(the {len(ids)} peer regexes as kzlint rules, every built-in rule off)")
    floor, _ = measure([str(KZLINT), "--format", "json", "--quiet", str(corpus)] + all_off(), a.runs)
    print(f"where the time goes (22 MB): every rule off {floor:.2f} s (walk, read, write); "
          f"60 MB/s allows {nbytes / 60e6:.2f} s for everything")
    for category in CATEGORIES:
        others = [arg for c in CATEGORIES if c != category for arg in ("--disable", c)]
        alone, _ = measure([str(KZLINT), "--format", "json", "--quiet", str(corpus)] + others, a.runs)
        print(f"  only {category:<12} rules on {alone:>6.2f} s")
    without, _ = measure([str(KZLINT), "--format", "json", "--quiet", "--no-corpus", str(corpus)], a.runs)
    print(f"  every rule, no corpus pass {without:>6.2f} s (--no-corpus)")
    jsonl = as_jsonl(corpus)
    nbytes, nfiles = jsonl.stat().st_size, size(corpus)[1]
    wall, rss = measure([str(KZLINT), "--format", "json", "--quiet", "--input", "jsonl", str(jsonl)], a.runs)
    row("22 MB jsonl", "kzlint", wall, nbytes, nfiles, rss)
    big = one_gib_file(corpus)
    proc = subprocess.run([str(KZLINT), "--format", "json", str(big)], capture_output=True, text=True)
    _, rss = run([str(KZLINT), "--format", "json", str(big)])
    message = proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else ""
    import resource
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this script's own peak RSS, which a child's figure includes at fork: {own:.1f} MiB)")
    print(f"1 GiB file: exit {proc.returncode}, peak RSS {rss / 1024:.1f} MiB (target <= 3072): {message}")
    hostile_inputs()
    one = sorted(ROOT.glob("corpus/000_*.txt"))[0]
    walls = [run([str(KZLINT), "--quiet", str(one)])[0] for _ in range(max(a.runs, 10))]
    print(f"one article ({one.name}): median {statistics.median(walls) * 1000:.1f} ms (target <= 15)")
    if not a.no_peer:
        corpus_cleaning_peer(corpus, a.runs)


if __name__ == "__main__":
    sys.exit(main())
