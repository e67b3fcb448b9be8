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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-10x", action="store_true", help="skip the 221 MB copy")
    a = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    corpus = unpack()
    targets = [("22 MB", corpus)] + ([] if a.no_10x else [("221 MB", tenfold(corpus))])
    rg = shutil.which("rg")
    print(f"kzlint {subprocess.run([str(KZLINT), '--version'], capture_output=True, text=True).stdout.strip()}, "
          f"{os.cpu_count()} cores, median of {a.runs} runs")
    print(f"{'input':<14} {'tool':<7} {'wall s':>8} {'MB/s':>8} {'files/s':>9} {'peak RSS':>12}")
    walls = {}

    def row(label, tool, wall, nbytes, nfiles, rss):
        print(f"{label:<14} {tool:<7} {wall:>8.2f} {nbytes / wall / 1e6:>8.1f} {nfiles / wall:>9.0f} {rss / 1024:>8.1f} MiB")

    for label, folder in targets:
        nbytes, nfiles = size(folder)
        wall, rss = measure([str(KZLINT), "--format", "json", "--quiet", str(folder)], a.runs)
        walls[label] = wall
        row(label, "kzlint", wall, nbytes, nfiles, rss)
        if rg:
            rwall, rrss = measure([rg, "-c", "-f", str(SHARED / "peer-regexes.txt"), str(folder)], a.runs)
            row(label, "rg", rwall, nbytes, nfiles, rrss)
            print(f"{label:<14} kzlint/rg time ratio: {wall / rwall:.2f} (target <= 0.6)")
    if len(walls) == 2:
        print(f"scaling: 221 MB took {walls['221 MB'] / walls['22 MB']:.2f}x the 22 MB time (target <= 10.5)")
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
    one = sorted(ROOT.glob("corpus/000_*.txt"))[0]
    walls = [run([str(KZLINT), "--quiet", str(one)])[0] for _ in range(max(a.runs, 10))]
    print(f"one article ({one.name}): median {statistics.median(walls) * 1000:.1f} ms (target <= 20)")


if __name__ == "__main__":
    sys.exit(main())
