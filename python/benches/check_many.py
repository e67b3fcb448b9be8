"""Records per second: ``Linter.check_many`` against the CLI's
``--input jsonl`` on the same records (the bench corpus), in one run.

    python python/benches/check_many.py [--runs 3]

Both use every core. The CLI's time includes reading the JSON Lines file
and writing JSON; the module's includes building Diagnostic objects.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))
import conftest  # noqa: E402  (the bench corpus, unpacked once)

import kzlint  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = sorted(conftest.bench_dir().rglob("*.txt"))
    records = [{"id": str(p), "text": p.read_text(encoding="utf-8")} for p in files]
    kz = conftest.REPO / "target" / "release" / "kzlint"
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
        source = f.name
    linter = kzlint.Linter()
    texts, ids = [r["text"] for r in records], [r["id"] for r in records]
    best_py = best_cli = float("inf")
    for _ in range(args.runs):
        started = time.perf_counter()
        found = linter.check_many(texts, ids)
        best_py = min(best_py, time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run(
            [str(kz), "--format", "json", "--no-baseline", "--input", "jsonl", source],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        best_cli = min(best_cli, time.perf_counter() - started)
    os.unlink(source)
    n = len(records)
    print(f"{n} records, {sum(map(len, found))} diagnostics, best of {args.runs}")
    print(f"check_many:         {best_py:6.2f} s  {n / best_py:8.0f} records/s")
    print(f"CLI --input jsonl:  {best_cli:6.2f} s  {n / best_cli:8.0f} records/s")


if __name__ == "__main__":
    main()
