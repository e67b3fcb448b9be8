#!/usr/bin/env python3
"""Throughput benchmark on the shared news corpus.

usage: python3 benches/corpus.py [--runs N] [--no-10x]

Unpacks ../shared/bench/news-corpus.tar.zst into target/bench (21,268
articles, 22 MB), builds a 10x copy (221 MB, the files under renamed
folders), builds kzlint in release mode and times it with every built-in
rule and `--format json` to /dev/null. For each corpus it prints the
median wall time of N runs, MB/s, files/s and the peak RSS; ripgrep with
the peers' 50 regexes (`rg -c -f ../shared/bench/peer-regexes.txt`) is
timed in the same run when `rg` is installed, and the kzlint/rg ratio is
printed. Last, the median wall time of linting one article. Machines are
noisy: compare ratios from one run, not figures across runs.
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
    big = BENCH / "corpus10"
    if not big.is_dir():
        for i in range(10):
            shutil.copytree(corpus, big / f"copy{i}")
    return big


def size(folder):
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


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
    print(f"{'corpus':<8} {'tool':<7} {'wall s':>8} {'MB/s':>8} {'files/s':>9} {'peak RSS':>10}")
    for label, folder in targets:
        nbytes, nfiles = size(folder)
        wall, rss = measure([str(KZLINT), "--format", "json", "--quiet", str(folder)], a.runs)
        print(f"{label:<8} {'kzlint':<7} {wall:>8.2f} {nbytes / wall / 1e6:>8.1f} {nfiles / wall:>9.0f} {rss / 1024:>8.1f} MiB")
        if rg:
            rwall, rrss = measure([rg, "-c", "-f", str(SHARED / "peer-regexes.txt"), str(folder)], a.runs)
            print(f"{label:<8} {'rg':<7} {rwall:>8.2f} {nbytes / rwall / 1e6:>8.1f} {nfiles / rwall:>9.0f} {rrss / 1024:>8.1f} MiB")
            print(f"{label:<8} kzlint/rg time ratio: {wall / rwall:.2f}")
    one = sorted(ROOT.glob("corpus/000_*.txt"))[0]
    walls = [run([str(KZLINT), "--quiet", str(one)])[0] for _ in range(max(a.runs, 10))]
    print(f"one article ({one.name}): median {statistics.median(walls) * 1000:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
