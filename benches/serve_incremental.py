#!/usr/bin/env python3
"""Time from saving one case to its rebuilt page being served by `casebook serve`, compared
with a full `casebook build` of the same knowledge base, in the same run.

Usage: python3 benches/serve_incremental.py [--n 10000] [--edits 11] [--work DIR] [--binary PATH]

Generates the synthetic corpus with ../shared/tools/gencorpus.py (seed 1, casebook layout)
unless it is already in the work folder, builds it with the release binary (3 runs, output
on tmpfs when /dev/shm exists), then starts `casebook serve` and times two kinds of save,
alternately, each until the change is served both on the case's page and on a facet page that
lists the case:

- a text edit: the title gets a word appended (which keeps its place in lists); polled on the
  case page and on the page of its region's list that showed it before the edit;
- a facet edit: the same, and the region changed to a value no other case has; polled on the
  case page and on the new region's page. The old region's every page shows its count, so all
  of them are rendered again too.

Not part of CI.
"""
import argparse
import json
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


def slugify(text):
    """The address part of a facet value, as casebook makes it for plain ASCII values."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def page_listing(list_url, case_path):
    """The page of a paginated list that links to `case_path`."""
    page = 1
    while True:
        url = list_url if page == 1 else f"{list_url}page/{page}/"
        html = fetch(url)
        if not html:
            sys.exit(f"no page of {list_url} lists {case_path}")
        if case_path in html:
            return url
        page += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=11)
    parser.add_argument("--work", default=os.path.join("/dev/shm" if os.path.isdir("/dev/shm") else "/tmp", "casebook-serve-bench"))
    parser.add_argument("--binary", default=BINARY, help="the casebook binary to time (an earlier build, to compare)")
    args = parser.parse_args()
    binary = args.binary
    if not os.path.exists(binary):
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
        subprocess.run([binary, "build", "--root", kb], check=True, stderr=subprocess.DEVNULL)
        builds.append(time.perf_counter() - started)
    print(f"full build of {args.n} cases: {median_text(builds)}")

    server = subprocess.Popen([binary, "serve", "--root", kb, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        url = re.search(r"http://\S+", line).group(0)
        cases = sorted(os.listdir(os.path.join(kb, "content", "cases")))
        edits = {"text": [], "facets": []}
        run = int(time.time())  # earlier runs left their edits in the corpus
        for i in range(args.edits):
            for kind in edits:
                name = cases[(i * 7919 + (0 if kind == "text" else 3)) % len(cases)]
                path = os.path.join(kb, "content", "cases", name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                token = f"Edit{run}{kind}{i}x"
                title = re.search(r"^title: (.*)$", text, flags=re.M).group(1).strip()
                title = json.loads(title) if title.startswith('"') else title
                new = re.sub(r"^title: .*$", lambda _: "title: " + json.dumps(f"{title} {token}"), text, count=1, flags=re.M)
                slug = re.search(r"^slug: (.*)$", text, flags=re.M)
                slug = slug.group(1).strip() if slug else os.path.splitext(name)[0]
                if kind == "facets":
                    region = f"Benchmark region {run} {i}"
                    new = re.sub(r"^(region: ).*$", rf"\g<1>{region}", new, count=1, flags=re.M)
                    listing = f"{url}regions/{slugify(region)}/"
                else:
                    region = re.search(r"^region: (.*)$", text, flags=re.M).group(1).strip().strip('"')
                    listing = page_listing(f"{url}regions/{slugify(region)}/", f"/cases/{slug}/")
                page = f"{url}cases/{slug}/"
                started = time.perf_counter()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(new)
                waiting = [page, listing]
                while waiting:
                    waiting = [u for u in waiting if token not in fetch(u)]
                    if time.perf_counter() - started > 60:
                        sys.exit(f"{waiting} never showed the edit")
                    if waiting:
                        time.sleep(0.002)
                edits[kind].append(time.perf_counter() - started)
                time.sleep(1.5)  # let the previous save finish its feed and search step
        full = statistics.median(builds)
        for kind, times in edits.items():
            label = "text edit" if kind == "text" else "edit that also changes a facet"
            print(f"save → case page and a facet page listing it served, {label}: {median_text(times)}; {statistics.median(times) / full * 100:.2f}% of the full build")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
