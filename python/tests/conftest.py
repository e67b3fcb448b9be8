"""Shared by the Python tests: the kzlint binary built from this checkout,
and texts from the clean bench corpus (../shared/bench), unpacked once."""

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def kzlint_bin() -> pathlib.Path:
    """The command line, built from the same core as the module."""
    path = REPO / "target" / "release" / "kzlint"
    if not path.exists():
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, check=True)
    return path


def bench_dir() -> pathlib.Path:
    """The bench corpus's articles (21,268 clean Reuters and BBC texts)."""
    dest = REPO / "target" / "py-bench"
    marker = dest / "corpus"
    if not marker.exists():
        archive = REPO.parent / "shared" / "bench" / "news-corpus.tar.zst"
        if not archive.exists():
            pytest.fail(f"the bench corpus is missing: {archive}")
        dest.mkdir(parents=True, exist_ok=True)
        unzstd = subprocess.Popen(["zstd", "-dc", str(archive)], stdout=subprocess.PIPE)
        subprocess.run(["tar", "-C", str(dest), "-xf", "-"], stdin=unzstd.stdout, check=True)
        if unzstd.wait() != 0:
            pytest.fail("zstd could not read the bench corpus")
    return marker


@pytest.fixture(scope="session")
def bench_texts() -> list:
    """(path, text) for the bench corpus's articles, in path order."""
    files = sorted(p for p in bench_dir().rglob("*.txt"))
    return [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8")) for p in files]
