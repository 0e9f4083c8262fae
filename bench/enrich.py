#!/usr/bin/env python3
"""Time `quire enrich` against a local OpenAI-compatible server that takes a
fixed time per answer; print wall and CPU time, peak memory and papers a
second, one row per size.

    python3 bench/enrich.py --quire target/release/quire            # 300 papers, 200 ms an answer
    python3 bench/enrich.py --quire target/release/quire --papers 100 300 1200 --delay-ms 200

Each size is a new Chinese site of made-up arXiv papers (an English title
and an abstract of about 1,100 characters) whose `site.toml` names the
server and a model and nothing else, so quire's defaults (concurrency
included) are what is timed. The server answers each request after
--delay-ms with the fields the prompt asks for, in Chinese, and counts the
requests. Memory is GNU time's peak resident set size; it should not grow
with the number of papers (each answer is written and let go). Standard
library only; needs GNU time at /usr/bin/time (--time for another path).
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORDS = (
    "neural field masked autoencoder diffusion transformer point cloud depth scene "
    "radiance token attention contrastive supervision benchmark dataset robust sparse "
    "latent semantic segmentation detection tracking video language model prior"
).split()


class Api(BaseHTTPRequestHandler):
    """POST /v1/chat/completions: waits, then answers the fields asked for."""

    protocol_version = "HTTP/1.1"
    delay = 0.2
    requests = 0
    lock = threading.Lock()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = body["messages"][-1]["content"]
        with Api.lock:
            Api.requests += 1
        time.sleep(Api.delay)
        paper = re.search(r"^Paper (\S+)", prompt, re.M).group(1)
        fields = re.findall(r'^- "(\w+)"', prompt, re.M)
        values = {
            "translated_title": f"论文 {paper} 的标题",
            "summary": f"论文 {paper} 提出了一种新方法，并在基准上取得更好的结果。",
            "body": f"论文 {paper} 的摘要译文。" * 20,
            "tags": ["神经场"],
        }
        answer = {f: values[f] for f in fields}
        reply = json.dumps({
            "choices": [{"index": 0, "message": {"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)}}],
            "usage": {"prompt_tokens": 420, "completion_tokens": 380, "total_tokens": 800},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def site(root, papers, base_url):
    """A Chinese site of `papers` made-up papers, asking the server."""
    rng = random.Random(1)
    os.makedirs(os.path.join(root, "content", "2024-04-02"))
    with open(os.path.join(root, "site.toml"), "w") as f:
        f.write(f'title = "bench"\nbase_url = "/"\nlanguage = "zh"\n\n[llm]\nbase_url = "{base_url}"\nmodel = "bench"\n')
    for i in range(papers):
        pid = f"2404.{i:05d}"
        title = " ".join(rng.choice(WORDS) for _ in range(9)).capitalize()
        abstract = " ".join(rng.choice(WORDS) for _ in range(150)).capitalize() + "."
        with open(os.path.join(root, "content", "2024-04-02", f"{pid}.md"), "w") as f:
            f.write(f'---\nid: "{pid}"\ntitle: "{title}"\ncategories: ["cs.CV"]\nabstract: |\n  {abstract}\n---\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quire", default="target/release/quire")
    parser.add_argument("--papers", type=int, nargs="+", default=[300])
    parser.add_argument("--delay-ms", type=int, default=200)
    parser.add_argument("--time", default="/usr/bin/time", help="GNU time")
    args = parser.parse_args()
    quire = os.path.abspath(args.quire)
    Api.delay = args.delay_ms / 1000
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}; "
          f"{args.delay_ms} ms an answer; {quire}")
    print("| papers | requests | wall s | CPU s | peak MiB | papers/s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in args.papers:
        root = tempfile.mkdtemp(prefix="quire-enrich-bench-")
        try:
            site(root, n, base_url)
            Api.requests = 0
            out = subprocess.run(
                [args.time, "-f", "%e %U %S %M", quire, "enrich"],
                cwd=root, capture_output=True, text=True, check=False,
            )
            last = out.stderr.strip().splitlines()[-1]
            if out.returncode != 0 or f": {n} done," not in out.stdout:
                raise SystemExit(f"quire enrich failed:\n{out.stdout}{out.stderr}")
            wall, user, system, kib = last.split()
            cpu = float(user) + float(system)
            print(f"| {n} | {Api.requests} | {float(wall):.2f} | {cpu:.2f} | {int(kib) / 1024:.1f} | {n / float(wall):.1f} |")
        finally:
            shutil.rmtree(root)
    server.shutdown()


if __name__ == "__main__":
    main()
