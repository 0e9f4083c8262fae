#!/usr/bin/env python3
"""How `quire serve` holds up on a large site: time to its first page, its
memory, and how soon an edit is served.

    python3 bench/serve.py --quire target/release/quire --root target/bench/real-65000-seed1

Starts `quire serve --root ROOT --port PORT`, asks for `/` until it answers
200 (the time from the start is "first page"), then asks for a digest page and
a paper page (their times are "first digest", "first paper"). Then, after `--settle`
seconds, `--edits` times, it rewrites the title of one paper file in place and asks for that
paper's page every 2 ms until it shows the new title ("edit served": from the
write to the first answer with the new title), and then the same for its
digest page. Memory is the server's peak resident set (VmHWM) at the end.
The file is put back as it was. Prints one Markdown table row per run.
Standard library only; Linux (reads /proc).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request


def get(url):
    """The status and body of `url`, or (0, b"") when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""
    except OSError:
        return 0, b""


def wait_for(url, ok, deadline_s=120, every_s=0.002):
    """Seconds until `ok(status, body)` holds for `url`."""
    start = time.perf_counter()
    while time.perf_counter() - start < deadline_s:
        status, body = get(url)
        if ok(status, body):
            return time.perf_counter() - start
        time.sleep(every_s)
    sys.exit(f"no answer from {url} within {deadline_s} s")


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def a_paper(root):
    """The newest paper file of the corpus (its folder sorts last), its id and date."""
    content = os.path.join(root, "content")
    day = sorted(d for d in os.listdir(content) if os.path.isdir(os.path.join(content, d)))[-1]
    name = sorted(os.listdir(os.path.join(content, day)))[0]
    path = os.path.join(content, day, name)
    text = open(path, encoding="utf-8").read()
    pid = re.search(r'^id: "?([^"\n]+)"?$', text, re.M).group(1)
    return path, pid, day


def edit_title(path, marker):
    text = open(path, encoding="utf-8").read()
    edited = re.sub(r'^title: "', f'title: "{marker} ', text, count=1, flags=re.M)
    assert edited != text, f"no double-quoted title in {path}"
    with open(path, "w", encoding="utf-8") as f:
        f.write(edited)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quire", default="target/release/quire")
    ap.add_argument("--root", required=True, help="a site folder, e.g. from gen_corpus.py --shape real")
    ap.add_argument("--port", type=int, default=18111)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--settle", type=float, default=0,
                    help="seconds to wait after the first pages, before the edits (the server renders "
                         "the texts no page asked for in the background meanwhile)")
    a = ap.parse_args()

    path, pid, day = a_paper(a.root)
    original = open(path, encoding="utf-8").read()
    base = f"http://127.0.0.1:{a.port}"
    start = time.perf_counter()
    server = subprocess.Popen([a.quire, "serve", "--root", a.root, "--port", str(a.port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first = wait_for(base + "/", lambda s, _: s == 200, every_s=0.005)
        t = time.perf_counter()
        status, _ = get(f"{base}/digest/{day}/")
        digest_s = time.perf_counter() - t
        t = time.perf_counter()
        status2, _ = get(f"{base}/paper/{pid}/")
        paper_s = time.perf_counter() - t
        assert status == 200 and status2 == 200, (status, status2)
        time.sleep(a.settle)
        paper_ms, digest_ms = [], []
        for i in range(a.edits):
            time.sleep(0.5)
            marker = f"EDITED{i}"
            edit_title(path, marker)
            paper_ms.append(1000 * wait_for(f"{base}/paper/{pid}/", lambda s, b: marker.encode() in b))
            digest_ms.append(1000 * wait_for(f"{base}/digest/{day}/", lambda s, b: marker.encode() in b))
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
        time.sleep(0.5)
        rss = peak_rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    print("| first page | first digest | first paper | edit served: paper (median, max) | its digest (median, max) | peak memory |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {first:.2f} s | {1000 * digest_s:.0f} ms | {1000 * paper_s:.0f} ms "
          f"| {statistics.median(paper_ms):.0f} ms, {max(paper_ms):.0f} ms "
          f"| {statistics.median(digest_ms):.0f} ms, {max(digest_ms):.0f} ms | {rss:.0f} MiB |")


if __name__ == "__main__":
    main()
