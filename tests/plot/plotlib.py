"""tests/plot/plotlib.py - shared helpers for the ct-plot tests (TAP).

Imported by the t_* scripts next to it; not a test itself.  Finds the
programs through $CT_BIN and tools/pnginfo through $CT_OUT, gives each
script a scratch folder, and reads PNGs independently of libpng (zlib from
Python's standard library) as well as through tools/pnginfo.
"""
import atexit
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests"))
from tap import ok, is_, skip, skip_all, done  # noqa: E402,F401  (the one TAP writer)
BIN = os.environ.get("CT_BIN", os.path.join(TOP, "bin"))
OUT = os.environ.get("CT_OUT", os.path.join(TOP, "build", "default"))
PLOT = os.path.join(BIN, "ct-plot")
PNGINFO = os.path.join(OUT, "tools", "pnginfo")
T = tempfile.mkdtemp(prefix="ct-plot-test.")
atexit.register(shutil.rmtree, T, True)


def need_plot():
    if not os.access(PLOT, os.X_OK):
        skip("ct-plot", "not built")
        done()


def write(path, doc):
    with open(path, "w") as f:
        if isinstance(doc, str):
            f.write(doc)
        else:
            json.dump(doc, f, indent=2, sort_keys=True)
    return path


def run(args, stdin=None, env=None):
    """Run ct-plot; returns (exit status, stdout, stderr) as text."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([PLOT] + args, input=stdin, capture_output=True,
                       env=e, timeout=300)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def pngs(folder):
    """Every file below folder, as paths relative to it, sorted."""
    out = []
    for d, _, files in os.walk(folder):
        for f in files:
            out.append(os.path.relpath(os.path.join(d, f), folder))
    return sorted(out)


def png_raw(path):
    """(width, height, bytes a pixel, raw scanlines), decoded with zlib,
    not libpng; 8-bit RGB or palette images only."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
    i, idat, w, h, bpp = 8, b"", None, None, None
    while i < len(data):
        n, = struct.unpack(">I", data[i:i + 4])
        kind = data[i + 4:i + 8]
        body = data[i + 8:i + 8 + n]
        crc, = struct.unpack(">I", data[i + 8 + n:i + 12 + n])
        assert zlib.crc32(kind + body) == crc, "chunk CRC"
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 3), "8-bit RGB or palette"
            bpp = 3 if ctype == 2 else 1
        elif kind == b"IDAT":
            idat += body
        i += 12 + n
    return w, h, bpp, zlib.decompress(idat)


def pnginfo(path):
    """tools/pnginfo's measurements: dict with size, bars, frame, ..."""
    p = subprocess.run([PNGINFO, path], capture_output=True, text=True)
    info = {"bars": [], "rc": p.returncode}
    for line in p.stdout.splitlines():
        f = line.split()
        if f[0] == "bar":
            info["bars"].append(tuple(int(x) for x in f[1:]))
        else:
            info[f[0]] = tuple(int(x) for x in f[1:])
    return info


def proportional(bars, values):
    """Bar lengths match values (same order) to within 1.5 pixels."""
    if len(bars) != len(values) or not bars:
        return False
    top = max(values)
    full = bars[values.index(top)][3]
    for b, v in zip(bars, values):
        if abs(b[3] - full * v / top) > 1.5:
            return False
    return True


def py_filename(s):
    """The Python tool's _str_to_filename, for comparison."""
    import string
    alphabet = string.ascii_letters + string.digits + "_+=,.@-"
    return "".join(c if c in alphabet else "_" for c in s)


def nice_axis(info, vmax):
    """The count axis: 2 to 11 ticks from the bars' start, evenly spaced,
    at a step of 1, 2 or 5 x 10^k (derived from the longest bar)."""
    t = info.get("ticks", ())
    if len(t) < 2 or len(t) > 11 or not info["bars"] or t[0] != info["bars"][0][2]:
        return False
    gaps = [b - a for a, b in zip(t, t[1:])]
    if max(gaps) - min(gaps) > 1:
        return False
    longest = max(b[3] for b in info["bars"])
    step = sum(gaps) / len(gaps) * vmax / longest
    for k in range(0, 20):
        for m in (1, 2, 5):
            if abs(step - m * 10 ** k) <= 0.03 * m * 10 ** k:
                return True
    return False
