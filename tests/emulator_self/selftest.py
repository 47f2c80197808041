# selftest.py - helpers of the emulator's own Python tests: the plain-only
# gate, botocore errors; TAP output comes from tests/tap.py (re-exported).
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
sys.path.insert(0, os.path.join(TOP, "tests"))
from tap import ok, is_, skip, done  # noqa: E402,F401


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
        skip(what, reason)
        done()


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
