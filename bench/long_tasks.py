"""What the page's long tasks did: the tasks over 50 ms on the renderer's main
thread of a Chromium trace, each with the traced work inside it.

    node bench/lighthouse.mjs OUT /digest/2023-01-02/ --runs 1 --reports rep
    python3 bench/long_tasks.py rep/*.trace.json

Prints, per trace, each long task's start (ms after the first traced task),
its length, whether it counts toward Total Blocking Time (after the first
contentful paint), and the events inside it by total time. Time a task spends
in no traced event is work the trace does not name (`BodyLoadingFinished`
with nothing inside is DevTools' network recording keeping the document).
Standard library only.
"""

import argparse
import json
from collections import defaultdict

LONG_US = 50_000


def main_thread(events):
    """The (pid, tid) that parsed the most HTML: the page's renderer main thread."""
    counts = defaultdict(int)
    for e in events:
        if e.get("name") == "ParseHTML":
            counts[(e["pid"], e["tid"])] += 1
    return max(counts, key=counts.get)


def first_paint(events, thread):
    """The timestamp of the first contentful paint on `thread`'s process, if traced."""
    paints = [e["ts"] for e in events if e.get("name") == "firstContentfulPaint" and e["pid"] == thread[0]]
    return min(paints) if paints else None


def inside(task, spans):
    """Total duration and count of each kind of span within `task`."""
    end = task["ts"] + task["dur"]
    totals = defaultdict(lambda: [0, 0])
    for s in spans:
        if s is not task and s["ts"] >= task["ts"] and s["ts"] + s["dur"] <= end:
            totals[s["name"]][0] += s["dur"]
            totals[s["name"]][1] += 1
    return sorted(totals.items(), key=lambda kv: -kv[1][0])


def report(path, top):
    with open(path, encoding="utf-8") as f:
        events = json.load(f)
    events = events["traceEvents"] if isinstance(events, dict) else events
    thread = main_thread(events)
    spans = sorted(
        (e for e in events if (e.get("pid"), e.get("tid")) == thread and e.get("ph") == "X" and "dur" in e),
        key=lambda e: e["ts"],
    )
    start = spans[0]["ts"]
    fcp = first_paint(events, thread)
    print(f"## {path}")
    blocking = 0
    for task in (s for s in spans if s["name"] == "RunTask" and s["dur"] > LONG_US):
        counted = fcp is not None and task["ts"] >= fcp
        blocking += task["dur"] - LONG_US if counted else 0
        when = "after first paint" if counted else "before first paint"
        print(f"task at {(task['ts'] - start) / 1e3:,.0f} ms: {task['dur'] / 1e3:,.0f} ms ({when})")
        for name, (dur, n) in inside(task, spans)[:top]:
            print(f"    {dur / 1e3:8.1f} ms  {name} (x{n})")
    print(f"blocking over 50 ms after the first paint: {blocking / 1e3:,.0f} ms\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("traces", nargs="+", help="trace files (lighthouse.mjs --reports writes NAME.trace.json)")
    parser.add_argument("--top", type=int, default=6, help="events shown per task (6)")
    args = parser.parse_args()
    for path in args.traces:
        report(path, args.top)


if __name__ == "__main__":
    main()
