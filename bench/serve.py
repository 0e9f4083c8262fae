#!/usr/bin/env python3
"""How `quire serve` holds up on a large site: time to its first page, its
memory, and how soon an edit is served.

    python3 bench/serve.py --quire target/release/quire --root target/bench/real-65000-seed1

Starts `quire serve --root ROOT --port PORT`, asks for `/` until it answers
200 (the time from the start is "first page"), then asks for a digest page and
a paper page (their times are "first digest", "first paper"), then searches
as `search.js` does for two words of that paper's title: the search page,
`meta.json`, the shard of each word, and the document chunks of the first 20
results ("first search": from the first request to the last answer). Then, after `--settle`
seconds, `--edits` times, it rewrites the title of one paper file in place and asks for that
paper's page every 2 ms until it shows the new title ("edit served": from the
write to the first answer with the new title), and then the same for its
digest page. Then it waits until the server is idle (its CPU time still for
2 s: the texts no page asked for are rendered in the background meanwhile);
"idle" is the time from the start, "peak memory" the server's peak resident
set (VmHWM) then, and "CPU" its user + system time.
The file is put back as it was. Prints one Markdown table row per run.
Standard library only; Linux (reads /proc).
"""

import argparse
import json
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


def cpu_s(pid):
    """User + system CPU seconds of process `pid`."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid, quiet_s=2.0, deadline_s=900):
    """Waits until process `pid` uses no CPU for `quiet_s` seconds."""
    start = time.perf_counter()
    last, since = cpu_s(pid), time.perf_counter()
    while time.perf_counter() - start < deadline_s:
        time.sleep(0.25)
        now = cpu_s(pid)
        if now - last > 0.02:
            last, since = now, time.perf_counter()
        elif time.perf_counter() - since >= quiet_s:
            return
    sys.exit(f"the server was still busy after {deadline_s} s")


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


def fnv1a32(text):
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def decode(gaps):
    """A posting list: its values, from the gaps the index writes."""
    out, value = [], 0
    for i, g in enumerate(gaps):
        value = g if i == 0 else value + g
        out.append(value)
    return out


def search(base, text):
    """Searches the index as `search.js` does for two words of `text`'s
    title: the number of results."""
    status, _ = get(f"{base}/search/")
    assert status == 200, f"search page: {status}"
    index = f"{base}/search/"
    status, body = get(index + "meta.json")
    assert status == 200, f"meta.json: {status}"
    meta = json.loads(body)
    words = title_words(text, set(meta["tokenizer"]["stopwords"]))
    lists = []
    for word in words:
        status, body = get(f"{index}s/{fnv1a32(word) % meta['shards']}.json")
        assert status == 200, f"shard of {word}: {status}"
        lists.append({v >> 1 for v in decode(json.loads(body).get(word, []))})
    docs = sorted(set.intersection(*lists))
    for chunk in sorted({d // meta["chunk_size"] for d in docs[:20]}):
        status, _ = get(f"{index}d/{chunk}.json")
        assert status == 200, f"chunk {chunk}: {status}"
    return len(docs)


def title_words(text, stopwords):
    """Two words of a paper file's title that the index keeps as they are."""
    title = re.search(r'^title: "([^"\n]+)"', text, re.M).group(1)
    words = [w.lower() for w in re.findall(r"[A-Za-z]{4,}", title) if w.lower() not in stopwords]
    return sorted(set(words), key=words.index)[:2]


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
        t = time.perf_counter()
        found = search(base, original)
        search_s = time.perf_counter() - t
        assert found > 0, "the search finds the paper it was made from"
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
        wait_idle(server.pid)
        idle_s = time.perf_counter() - start - 2.0
        rss, cpu = peak_rss_mib(server.pid), cpu_s(server.pid)
    finally:
        server.terminate()
        server.wait()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    print("| first page | first digest | first paper | first search | edit served: paper (median, max) | its digest (median, max) | idle | CPU | peak memory |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {first:.2f} s | {1000 * digest_s:.0f} ms | {1000 * paper_s:.0f} ms | {search_s:.2f} s "
          f"| {statistics.median(paper_ms):.0f} ms, {max(paper_ms):.0f} ms "
          f"| {statistics.median(digest_ms):.0f} ms, {max(digest_ms):.0f} ms "
          f"| {idle_s:.0f} s | {cpu:.1f} s | {rss:.0f} MiB |")


if __name__ == "__main__":
    main()
