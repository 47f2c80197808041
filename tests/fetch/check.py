#!/usr/bin/python3
"""check.py - did ct-fetch emit every event of the window exactly once?

    check.py --data DIR --start EPOCH --end EPOCH [--regions R,R...] OUT...

The reference is the emulator's own data: DIR/<region>.ndjson, one raw
record per line; a record belongs to the window when its eventTime lies in
[start, end] (both inclusive, as LookupEvents documents).  OUT... are
ct-fetch outputs (the runs of a resumed fetch, in order); together they
must hold each such line exactly once, byte for byte, and nothing else
besides {"ctFetch": ...} control records.  Every output must end with a
newline (whole lines only) and every line must be JSON.  Prints what is
wrong on stdout ("# ..." lines); exit status 0 when all is well.

--crashed: the first output is that of a run killed by SIGKILL, which
ct-fetch(1) ("Guarantee") allows to end with a partial line and to have its
last page (at most 50 events of one region) emitted again by the rerun:
then duplicates are accepted only when they are consecutive lines of the
first output and its last events of a single region, at most --page of
them, and nothing is lost.
"""
import argparse
import calendar
import collections
import json
import os
import sys
import time


def epoch(s):
    return calendar.timegm(time.strptime(s[:19], "%Y-%m-%dT%H:%M:%S"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--start", type=int, required=True)
    ap.add_argument("--end", type=int, required=True)
    ap.add_argument("--regions")
    ap.add_argument("--crashed", action="store_true")
    ap.add_argument("--page", type=int, default=50)
    ap.add_argument("out", nargs="+")
    a = ap.parse_args()
    regions = a.regions.split(",") if a.regions else sorted(
        f[:-7] for f in os.listdir(a.data) if f.endswith(".ndjson"))
    want = collections.Counter()
    for r in regions:
        p = os.path.join(a.data, r + ".ndjson")
        if not os.path.exists(p):
            continue
        with open(p, "rb") as fh:
            for line in fh:
                line = line.rstrip(b"\n")
                try:
                    rec = json.loads(line)
                    t = epoch(rec["eventTime"])
                except Exception:
                    continue
                if a.start <= t <= a.end:
                    want[line] += 1
    got = collections.Counter()
    first = []          # the first output's events, in order
    bad = 0
    for i, o in enumerate(a.out):
        with open(o, "rb") as fh:
            data = fh.read()
        if data and not data.endswith(b"\n"):
            if a.crashed and i == 0:
                data = data[:data.rfind(b"\n") + 1]
            else:
                print("# %s: does not end with a newline (a partial line)"
                      % o)
                bad += 1
        for line in data.split(b"\n"):
            if not line:
                continue
            try:
                v = json.loads(line)
            except ValueError:
                print("# %s: not JSON: %r" % (o, line[:80]))
                bad += 1
                continue
            if isinstance(v, dict) and "ctFetch" in v:
                continue
            got[line] += 1
            if i == 0:
                first.append(line)
    missing = want - got
    extra = got - want
    if a.crashed and extra and not missing and sum(extra.values()) <= a.page:
        # the replayed page: the first output's last events of one region
        region = lambda ln: json.loads(ln).get("awsRegion")
        regs = set(region(ln) for ln in extra)
        # one page is written whole: its events are consecutive lines
        at = [i for i, ln in enumerate(first) if ln in extra]
        if len(regs) == 1 and at[-1] - at[0] + 1 == len(at):
            tail = [ln for ln in first if region(ln) in regs]
            tail = tail[len(tail) - sum(extra.values()):]
            if collections.Counter(tail) == extra:
                print("# %d events of %s emitted again: the page in flight "
                      "when the first run was killed" %
                      (sum(extra.values()), regs.pop()))
                extra = collections.Counter()
    dups = sum(n - 1 for n in got.values() if n > 1)
    if missing:
        print("# %d events missing" % sum(missing.values()))
    if extra:
        print("# %d events too many (%d duplicates)" %
              (sum(extra.values()), dups))
    print("# %d events expected, %d emitted" %
          (sum(want.values()), sum(got.values())))
    return 1 if missing or extra or bad else 0


if __name__ == "__main__":
    sys.exit(main())
