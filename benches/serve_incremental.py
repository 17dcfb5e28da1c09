#!/usr/bin/env python3
"""Time from saving one case to its rebuilt page being served by `casebook serve`, compared
with a full `casebook build` of the same knowledge base, in the same run.

Usage: python3 benches/serve_incremental.py [--n 10000] [--edits 11] [--work DIR]

Generates the synthetic corpus with ../shared/tools/gencorpus.py (seed 1, casebook layout)
unless it is already in the work folder, builds it with the release binary (3 runs, output
on tmpfs when /dev/shm exists), then starts `casebook serve` and, for each edit, rewrites one
case's title and polls its page until the new title is served. Not part of CI.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BINARY = os.path.join(REPO, "target", "release", "casebook")


def median_text(values):
    return f"median {statistics.median(values) * 1000:.1f} ms (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f}, n={len(values)})"


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except Exception:
        return ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=11)
    parser.add_argument("--work", default=os.path.join("/dev/shm" if os.path.isdir("/dev/shm") else "/tmp", "casebook-serve-bench"))
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build the release binary first: cargo build --release")
    kb = os.path.join(args.work, f"kb{args.n}")
    if not os.path.isdir(os.path.join(kb, "content")):
        os.makedirs(args.work, exist_ok=True)
        subprocess.run([sys.executable, os.path.join(REPO, "..", "shared", "tools", "gencorpus.py"),
                        "--n", str(args.n), "--seed", "1", "--layout", "casebook", "--out", kb], check=True)

    builds = []
    for _ in range(3):
        shutil.rmtree(os.path.join(kb, "public"), ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([BINARY, "build", "--root", kb], check=True, stderr=subprocess.DEVNULL)
        builds.append(time.perf_counter() - started)
    print(f"full build of {args.n} cases: {median_text(builds)}")

    server = subprocess.Popen([BINARY, "serve", "--root", kb, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        url = re.search(r"http://\S+", line).group(0)
        cases = sorted(os.listdir(os.path.join(kb, "content", "cases")))
        edits = {"title": [], "facets": []}
        run = int(time.time())  # earlier runs left their edits in the corpus
        for i in range(args.edits):
            for kind in edits:
                name = cases[(i * 7919 + (0 if kind == "title" else 3)) % len(cases)]
                path = os.path.join(kb, "content", "cases", name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                token = f"Edit{run}{kind}{i}x"
                new = re.sub(r"^title: .*$", f"title: {token}", text, count=1, flags=re.M)
                if kind == "facets":
                    new = re.sub(r"^(region: ).*$", rf"\1Benchmark region {run} {i}", new, count=1, flags=re.M)
                slug = re.search(r"^slug: (.*)$", text, flags=re.M)
                slug = slug.group(1).strip() if slug else os.path.splitext(name)[0]
                page = f"{url}cases/{slug}/"
                started = time.perf_counter()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(new)
                while token not in fetch(page):
                    if time.perf_counter() - started > 60:
                        sys.exit(f"{page} never showed the edit")
                    time.sleep(0.002)
                edits[kind].append(time.perf_counter() - started)
                time.sleep(1.5)  # let the previous save finish its feed and search step
        full = statistics.median(builds)
        for kind, times in edits.items():
            label = "title and body edit" if kind == "title" else "edit that also changes a facet"
            print(f"save → page served, {label}: {median_text(times)}; {statistics.median(times) / full * 100:.2f}% of the full build")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
