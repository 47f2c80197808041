"""tests/tap.py - the one TAP writer of the Python tests.

Every Python test script prints its results through these functions (the
shell tests through tests/lib.sh), so that all of them number their tests,
show a failure's diagnostics and end with the plan the same way, which is
what tests/run reads.  Domain helpers (tests/aggregate/agglib.py,
tests/plot/plotlib.py, tests/emulator_self/selftest.py) import them from
here.
"""
import sys

_n = 0
_failed = 0
DIAG_LINES = 40     # a failure's diagnostics are cut after this many lines


def ok(cond, what, diag=None):
    """One test: 'ok N - what' or 'not ok N - what' followed by diag (a
    string or a list of lines) as '#' comments; returns cond."""
    global _n, _failed
    _n += 1
    if cond:
        print("ok %d - %s" % (_n, what))
    else:
        _failed += 1
        print("not ok %d - %s" % (_n, what))
        if diag:
            lines = (diag if isinstance(diag, (list, tuple))
                     else str(diag).splitlines())
            for line in lines[:DIAG_LINES]:
                print("#   " + str(line))
    sys.stdout.flush()
    return cond


def is_(got, want, what):
    """ok(got == want), showing both values on failure."""
    return ok(got == want, what, "got:  %r\nwant: %r" % (got, want))


def skip(what, why):
    global _n
    _n += 1
    print("ok %d - %s # SKIP %s" % (_n, what, why))
    sys.stdout.flush()


def skip_all(why):
    """The whole script skipped: plan 1..0, exit 0."""
    print("1..0 # SKIP %s" % why)
    sys.exit(0)


def failed():
    """How many tests failed so far."""
    return _failed


def done():
    """The plan, then exit 1 if any test failed."""
    print("1..%d" % _n)
    sys.stdout.flush()
    sys.exit(1 if _failed else 0)
