#!/usr/bin/python3
"""bench/plot_matplotlib.py - the same chart set as ct-plot, with matplotlib.

Usage: plot_matplotlib.py SUMMARY.json OUTDIR [MAX_CHARTS]

Renders the charts the way the Python tool aws-summarize-account-activity
does (16x8 inch figure at 100 dpi, barh in #e4af00, largest first, at most
40 bars then "[...]", labels cut to 85 characters, title at the top left,
integer ticks, tight layout), for timing against ct-plot.  With MAX_CHARTS,
stops after that many charts (matplotlib needs a few hundred milliseconds
a chart).  Prints "charts N seconds S".
"""
import json
import os
import sys
import time

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TITLES = {"api_calls_by_principal": "API calls by principal",
          "api_calls_by_region": "API calls by region",
          "ip_addresses_by_principal": "IP addresses by principal",
          "user_agents_by_principal": "User agents by principal",
          "error_codes_by_principal": "Error codes by principal"}
KEEP = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-")


def cut(s, n=85):
    return s if len(s) <= n else s[:n - 5] + "[...]"


def chart(title, counts, path):
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked:
        return False
    if len(ranked) > 40:
        ranked = ranked[:40] + [("[...]", 0)]
    labels = [cut(k) for k, _ in ranked]
    plt.figure(figsize=(16, 8))
    plt.title(title, wrap=True, loc="left")
    plt.barh(y=labels, width=[v for _, v in ranked], color="#e4af00")
    plt.gca().yaxis.set_inverted(True)
    plt.gca().xaxis.get_major_locator().set_params(integer=True)
    plt.tight_layout()
    plt.savefig(path)
    plt.close()
    return True


def main():
    doc = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    n = 0
    start = time.monotonic()
    for sec, title in TITLES.items():
        cats = doc.get(sec) or {}
        if not cats:
            continue
        os.makedirs(os.path.join(out, sec), exist_ok=True)
        if sec.startswith("api_calls"):
            summ = {c: sum(m.values()) for c, m in cats.items()}
        else:
            summ = {c: len(m) for c, m in cats.items()}
        n += chart(title + " summary", summ, os.path.join(out, sec + "_summary.png"))
        for c, m in cats.items():
            if limit is not None and n >= limit:
                break
            name = "".join(ch if ch in KEEP else "_" for ch in c)
            n += chart("%s '%s'" % (title, cut(c)), m, os.path.join(out, sec, name + ".png"))
        if limit is not None and n >= limit:
            break
    print("charts %d seconds %.3f" % (n, time.monotonic() - start))


if __name__ == "__main__":
    main()
