# tap.py - tiny TAP helper for the emulator's own Python tests.
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))

_n = 0
_failed = 0


def plain_only(what):
    """The emulator's own tests exercise no C code: run them once, in the
    plain variant of `make check`, and only with python3-botocore."""
    reason = None
    if os.environ.get("CT_VARIANT", "plain") != "plain":
        reason = "emulator self-tests run in the plain variant only"
    else:
        try:
            importlib.import_module("botocore.auth")
        except ImportError:
            reason = "python3-botocore not installed"
    if reason:
        print("ok 1 - %s # SKIP %s" % (what, reason))
        print("1..1")
        sys.exit(0)


def ok(cond, what, diag=None):
    global _n, _failed
    _n += 1
    if cond:
        print("ok %d - %s" % (_n, what))
    else:
        _failed += 1
        print("not ok %d - %s" % (_n, what))
        if diag is not None:
            for line in str(diag).splitlines()[:40]:
                print("#   " + line)
    sys.stdout.flush()
    return cond


def is_(got, want, what):
    return ok(got == want, what, "got:  %r\nwant: %r" % (got, want))


def skip(what, why):
    global _n
    _n += 1
    print("ok %d - %s # SKIP %s" % (_n, what, why))


def error_of(fn):
    """Run fn; return (code, message, http status) of the botocore
    ClientError it raises, or None when it succeeds."""
    import botocore.exceptions
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        err = e.response.get("Error", {})
        return (err.get("Code"), err.get("Message"),
                e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))
    return None


def done():
    print("1..%d" % _n)
    sys.exit(1 if _failed else 0)
