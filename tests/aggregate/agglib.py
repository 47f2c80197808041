"""agglib.py - shared helpers of the ct-aggregate end-to-end tests (TAP).

Imported by the tests/aggregate/t_* scripts (run with Debian's python3).
Finds the programs through $CT_BIN / $CT_OUT as tests/run sets them, gives
each script a scratch folder removed at exit, and compares summaries with
the independent reference fold tests/ref/ctref.py.
"""
import atexit
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(TOP, 'tests'))
from tap import ok, is_, skip, skip_all, done  # noqa: E402,F401  (the one TAP writer)
BIN = os.environ.get('CT_BIN', os.path.join(TOP, 'bin'))
OUT = os.environ.get('CT_OUT', os.path.join(TOP, 'build', 'default'))
AGG = os.path.join(BIN, 'ct-aggregate')
# the test build (--chunk-size, --max-value; never installed)
AGG_TEST = os.path.join(OUT, 'test-bin', 'ct-aggregate')
TEST_OPTS = ('--chunk-size', '--max-value')
SAMPLE = os.path.join(OUT, 'tools', 'ct-sample')
CTREF = os.path.join(TOP, 'tests', 'ref', 'ctref.py')
PY = '/usr/bin/python3' if os.path.exists('/usr/bin/python3') else sys.executable
SHARED = os.path.join(TOP, '..', 'shared')
MAPS = ('api_calls_by_principal', 'api_calls_by_region',
        'ip_addresses_by_principal', 'user_agents_by_principal',
        'error_codes_by_principal')

T = tempfile.mkdtemp(prefix='ct-agg-test.')
atexit.register(shutil.rmtree, T, True)


def path(name):
    return os.path.join(T, name)


def write(name, data):
    p = path(name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return p


def read(p):
    with open(p, 'rb') as f:
        return f.read()


def gz(data, level=6):
    return gzip.compress(data, compresslevel=level, mtime=0)


def run(args, stdin=None, timeout=120):
    """Run a command; returns (exit status, stdout bytes, stderr text)."""
    p = subprocess.run(args, input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode('utf-8', 'replace')


def agg(*args, stdin=None, timeout=120):
    """ct-aggregate ARGS: (status, parsed summary or None, stderr).
    With a test option (TEST_OPTS) among ARGS, its test build runs."""
    prog = AGG_TEST if any(a in TEST_OPTS for a in args) else AGG
    rc, out, err = run([prog] + list(args), stdin=stdin, timeout=timeout)
    try:
        doc = json.loads(out) if out else None
    except ValueError:
        doc = None
    return rc, doc, err


def sample(*args):
    """ct-sample ARGS: its stdout bytes."""
    rc, out, err = run([SAMPLE] + list(args))
    if rc != 0:
        raise RuntimeError('ct-sample failed: %s' % err)
    return out


def ref(*args, stdin=None):
    """ctref.py --maps ARGS: the five maps."""
    rc, out, err = run([PY, CTREF, '--maps'] + list(args), stdin=stdin,
                       timeout=600)
    return json.loads(out)


def maps(doc):
    return {m: (doc or {}).get(m, {}) for m in MAPS}


def mapdiff(a, b):
    """A short text of the first differences of two sets of maps."""
    out = []
    for m in MAPS:
        x, y = a.get(m, {}), b.get(m, {})
        for cat in sorted(set(x) | set(y)):
            xs, ys = x.get(cat, {}), y.get(cat, {})
            for k in sorted(set(xs) | set(ys)):
                if xs.get(k) != ys.get(k):
                    out.append('%s[%r][%r]: %r vs %r'
                               % (m, cat, k, xs.get(k), ys.get(k)))
                    if len(out) >= 10:
                        return '\n'.join(out)
    return '\n'.join(out)


def same_maps(a, b, what):
    a, b = maps(a), maps(b)
    return ok(a == b, what, mapdiff(a, b))


def total(doc, m='api_calls_by_region'):
    return sum(sum(v.values()) for v in maps(doc)[m].values())


def meta(doc):
    return (doc or {}).get('_metadata', {})


def stats(doc):
    return meta(doc).get('statistics', {})


def stable(doc):
    """The summary without what changes run to run (run time, command)."""
    d = json.loads(json.dumps(doc))
    md = d.get('_metadata', {})
    md.pop('run_timestamp', None)
    md.pop('invocation', None)
    return d
