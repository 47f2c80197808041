#!/usr/bin/python3
"""mapdiff.py OURS REF [MAP...] - compare the five maps of two summaries.

OURS is a ct-aggregate summary, REF the output of tests/ref/ctref.py --maps
(or another summary).  Exit 0 when the maps named (default: all five) are
equal; else print the first differences and exit 1.
"""
import json
import sys

MAPS = ('api_calls_by_principal', 'api_calls_by_region',
        'ip_addresses_by_principal', 'user_agents_by_principal',
        'error_codes_by_principal')


def main(argv):
    a = json.load(open(argv[0]))
    b = json.load(open(argv[1]))
    maps = argv[2:] or MAPS
    bad = 0
    for m in maps:
        x, y = a.get(m, {}), b.get(m, {})
        if x == y:
            continue
        for cat in sorted(set(x) | set(y)):
            if x.get(cat) != y.get(cat):
                xs, ys = x.get(cat, {}), y.get(cat, {})
                for k in sorted(set(xs) | set(ys)):
                    if xs.get(k) != ys.get(k):
                        bad += 1
                        if bad <= 10:
                            print('# %s[%r][%r]: ours %r, reference %r'
                                  % (m, cat, k, xs.get(k), ys.get(k)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
