#!/usr/bin/python3
# awsemu.py - a small, faithful local AWS for the ct-tools tests.
#
# One process, one loopback port.  It speaks the real wire protocols of
# STS and EC2 (query protocol, XML answers) and CloudTrail (JSON 1.1), checks
# every request's SigV4 signature with botocore's own signer (independent of
# the C client under test), serves CloudTrail events from NDJSON files with
# real NextToken pagination, enforces the LookupEvents rate limit per
# (account, region), injects faults on demand and counts everything so the
# tests can assert on it.  It also serves IMDSv2, container credentials and
# the IAM Identity Center portal for the credential tests.  See README.md.
#
# This file is the server: HTTP, routing, the
# control endpoint, faults, the limiter and the ground truth; each service
# is a module of its own (sts.py, ec2.py, cloudtrail.py, creds.py, s3.py,
# trail.py), the SigV4 verifier is sigv4.py, over common.py and the reply
# writer wire.py.
#
# Usage: awsemu.py [--config FILE] [--port N] [--port-file F] [--env-file F]
#                  [options]          (run: awsemu.py --help)
#        awsemu.py gen --region R --count N --start T --end T [--seed S]
#
# Debian's python3 only (python3-botocore); no other dependency.

import argparse
import bisect
import collections
import datetime
import decimal
import hashlib
import http.server
import io
import json
import os
import random
import secrets
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import uuid

import s3 as s3mod          # S3 REST and the trail bucket: s3.py, trail.py
import wire                 # the reply writer, faults included
from common import (STS_NS, MSG_EXPIRED, ENDLESS_KINDS, iso8601,
                    xml_escape, Abort)
from sigv4 import Sigv4, botocore_auth, parse_auth  # noqa: F401 (s3.py)
from sts import Sts             # one module per service, mixins of Handler
from ec2 import Ec2
from cloudtrail import CloudTrail
from creds import Creds
s3mod.core = sys.modules[__name__]

CT_TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."
CT_SHAPE = "com.amazonaws.cloudtrail.v20131101#"
CT_CTYPE = "application/x-amz-json-1.1"


# The 17 regions every account has, then opt-in ones.  Order as EC2 gives
# it (not sorted), so a client's sorting is exercised.
DEFAULT_REGIONS = [
    ("ap-south-1", "opt-in-not-required"),
    ("eu-north-1", "opt-in-not-required"),
    ("eu-west-3", "opt-in-not-required"),
    ("eu-west-2", "opt-in-not-required"),
    ("eu-west-1", "opt-in-not-required"),
    ("ap-northeast-3", "opt-in-not-required"),
    ("ap-northeast-2", "opt-in-not-required"),
    ("ap-northeast-1", "opt-in-not-required"),
    ("ca-central-1", "opt-in-not-required"),
    ("sa-east-1", "opt-in-not-required"),
    ("ap-southeast-1", "opt-in-not-required"),
    ("ap-southeast-2", "opt-in-not-required"),
    ("eu-central-1", "opt-in-not-required"),
    ("us-east-1", "opt-in-not-required"),
    ("us-east-2", "opt-in-not-required"),
    ("us-west-1", "opt-in-not-required"),
    ("us-west-2", "opt-in-not-required"),
    ("af-south-1", "not-opted-in"),
    ("ap-east-1", "not-opted-in"),
    ("eu-south-1", "not-opted-in"),
    ("me-south-1", "not-opted-in"),
]

DEFAULT_CONFIG = {
    "keys": [{
        "id": "AKIAEMULATOR00000001",
        "secret": "emulator/secret/key/0000000000000000000001",
        "account": "123456789012",
        "arn": "arn:aws:iam::123456789012:user/emulator",
        "user_id": "AIDAEMULATOR00000001",
    }],
    "regions": None,            # None: DEFAULT_REGIONS
    "data_dir": None,
    "throttle": {"mode": "window", "rate": 2, "burst": None, "window": 1.0,
                 "regions": {}},
    "faults": {"seed": 1, "rules": [], "slow_seconds": 3.0},
    "deny": {},                 # region -> AccessDenied | UnrecognizedClient
    "clock_skew_max": 900,
    "temp_lifetime": None,      # None: DurationSeconds, else 3600
    "roles": None,              # None: any role ARN may be assumed
    "web_identity": {"token": None},
    "imds": {"role": "emu-instance-role", "account": "123456789012",
             "v1": False, "region": "us-east-1"},
    "container": {"path": "/v2/credentials/emu", "token": None,
                  "account": "123456789012", "role": "emu-task-role"},
    "sso": {"token": None, "roles": None},
    "time_format": "java",      # EventTime as 1.637257262E9 like AWS; "int"
    "empty_last_page": False,   # AWS sometimes ends with an empty page
    "accounts": {},             # account -> {"data_dir": ...}
    "s3": None,                 # buckets, trails, S3 faults: s3.py
}


PATCH_KEYS = ("add_keys", "events", "expire_key", "reload", "token_secret")

FAULT_KINDS = ("http500", "http503", "throttle", "reset", "reset_mid",
               "truncate", "slow", "stall", "garbage", "expired",
               "bad_signature", "endless_empty", "endless_repeat", "endless_loop")


_compact = json.JSONEncoder(separators=(",", ":"),
                            ensure_ascii=False).encode


def parse_time(s):
    """ISO 8601 or epoch seconds -> epoch seconds (float)."""
    if isinstance(s, (int, float)):
        return float(s)
    s = str(s).strip()
    try:
        return float(s)
    except ValueError:
        pass
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    d = datetime.datetime.fromisoformat(s)
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return d.timestamp()


def java_double(t):
    """Format a number the way AWS's Java JSON writer does: 1.637257262E9."""
    d = decimal.Decimal(repr(float(t)))
    sign, digits, exp = d.normalize().as_tuple()
    if not digits or digits == (0,):
        return "0.0"
    e = len(digits) - 1 + exp
    if -3 <= e < 7:
        r = repr(float(t))
        return r if "." in r else r + ".0"
    m = str(digits[0]) + "." + ("".join(map(str, digits[1:])) or "0")
    return ("-" if sign else "") + m + "E" + str(e)


def req_id():
    return str(uuid.uuid4())


# ---------------------------------------------------------------- events

_WS = " \t\n\r"


def _skip_nested(s, i):
    """The end of the array or object at s[i], without recursion."""
    depth = 0
    while True:
        c = s[i]
        if c == '"':
            i = json.decoder.scanstring(s, i + 1)[1]
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def _shallow_object(line):
    """The members of the JSON object line whose values Python can decode:
    one nested deeper than its recursion limit is left out (the line is
    served as it is; its summary needs only the shallow fields).  A
    record's free-form fields (requestParameters) may nest that deep."""
    dec = json.JSONDecoder()
    out = {}
    try:
        i = len(line) - len(line.lstrip(_WS))
        if line[i] != "{":
            raise ValueError("not an object")
        i += 1
        while True:
            while line[i] in _WS:
                i += 1
            if line[i] == "}":
                return out
            if line[i] != '"':
                raise ValueError("expected a key")
            key, i = json.decoder.scanstring(line, i + 1)
            while line[i] in _WS:
                i += 1
            if line[i] != ":":
                raise ValueError("expected ':'")
            i += 1
            while line[i] in _WS:
                i += 1
            try:
                out[key], i = dec.raw_decode(line, i)
            except RecursionError:
                i = _skip_nested(line, i)
            while line[i] in _WS:
                i += 1
            if line[i] == ",":
                i += 1
            elif line[i] != "}":
                raise ValueError("expected ',' or '}'")
    except IndexError:
        raise ValueError("cut short")


class RegionData:
    """The events of one region, sorted by (time, id, index) ascending."""

    def __init__(self, lines):
        rows = []
        self.bad = 0
        for idx, line in enumerate(lines):
            line = line.strip()
            if not line:
                continue
            try:
                try:
                    rec = json.loads(line)
                except RecursionError:
                    rec = _shallow_object(line)
                t = parse_time(rec["eventTime"])
            except (ValueError, KeyError, TypeError):
                self.bad += 1
                continue
            if not isinstance(rec, dict):
                self.bad += 1
                continue
            eid = rec.get("eventID") or str(uuid.uuid5(
                uuid.NAMESPACE_OID, line))
            rows.append(((t, eid, idx), rec, line))
        rows.sort(key=lambda r: r[0])
        self.keys = [r[0] for r in rows]
        self.times = [r[0][0] for r in rows]
        self.rows = rows
        self.summ = [None] * len(rows)
        self.js = {}

    def event(self, i):
        """The LookupEvents summary of row i (cached)."""
        ev = self.summ[i]
        if ev is None:
            ev = self.summ[i] = self.summary(*self.rows[i])
        return ev

    def event_json(self, i, ev, tf):
        """Row i serialised as in a LookupEvents answer (cached)."""
        js = self.js.get((i, tf))
        if js is None:
            v = ev["EventTime"]
            t = java_double(v) if tf == "java" else \
                str(int(v)) if v == int(v) else repr(v)
            ev2 = dict(ev)
            ev2["EventTime"] = "\x00T"
            js = self.js[(i, tf)] = _compact(ev2).replace('"\\u0000T"', t)
        return js

    @staticmethod
    def summary(key, rec, line):
        ui = rec.get("userIdentity") or {}
        if not isinstance(ui, dict):
            ui = {}
        ev = {"EventId": key[1], "EventName": rec.get("eventName")}
        ro = rec.get("readOnly")
        if ro is not None:
            ev["ReadOnly"] = "true" if ro in (True, "true") else "false"
        if ui.get("accessKeyId"):
            ev["AccessKeyId"] = ui["accessKeyId"]
        ev["EventTime"] = key[0]
        ev["EventSource"] = rec.get("eventSource")
        typ = ui.get("type")
        user = None
        if typ == "Root":
            user = "root"
        elif typ == "AssumedRole" and isinstance(ui.get("arn"), str):
            user = ui["arn"].rsplit("/", 1)[-1]
        elif ui.get("userName"):
            user = ui["userName"]
        if user is not None:
            ev["Username"] = user
        res = []
        for r in rec.get("resources") or []:
            if isinstance(r, dict):
                x = {}
                if r.get("type"):
                    x["ResourceType"] = r["type"]
                if r.get("ARN"):
                    x["ResourceName"] = r["ARN"]
                res.append(x)
        ev["Resources"] = res
        ev["CloudTrailEvent"] = line
        return {k: v for k, v in ev.items() if v is not None}


# ---------------------------------------------------------------- state

class RegionStats:
    def __init__(self):
        self.requests = 0
        self.accepted = 0
        self.throttled = 0
        self.faults = collections.Counter()
        self.errors = collections.Counter()
        self.pages = 0
        self.events = 0
        self.max_window = 0
        self.accepted_times = []
        self.service_max = 0.0
        self.service_sum = 0.0
        self.service_n = 0

    def as_dict(self):
        return {"requests": self.requests, "accepted": self.accepted,
                "throttled": self.throttled, "faults": dict(self.faults),
                "faults_total": sum(self.faults.values()),
                "errors": dict(self.errors),
                "pages": self.pages, "events": self.events,
                "max_window": self.max_window,
                "service_ms_max": round(self.service_max * 1000, 3),
                "service_ms_mean": round(self.service_sum * 1000 /
                                         max(1, self.service_n), 3),
                "accepted_times": list(self.accepted_times)}


class Limiter:
    """Sliding 1.0 s window on accepted arrival times, or a token bucket."""

    def __init__(self, mode, rate, burst, window=1.0):
        self.mode = mode
        self.span = float(window)
        self.rate = float(rate)
        self.burst = float(burst if burst else rate)
        self.window = collections.deque()
        self.tokens = self.burst
        self.last = None
        self.last_arrival = 0.0

    def admit(self, t):
        if self.mode == "off":
            return True
        if self.mode == "bucket":
            if self.last is not None:
                self.tokens = min(self.burst,
                                  self.tokens + (t - self.last) * self.rate)
            self.last = t
            if self.tokens >= 1.0:
                self.tokens -= 1.0
                return True
            return False
        while self.window and self.window[0] <= t - self.span:
            self.window.popleft()
        if len(self.window) >= self.rate:
            return False
        self.window.append(t)
        return True


class State:
    def __init__(self, cfg):
        self.lock = threading.RLock()
        self.t0 = time.monotonic()
        self.cfg = json.loads(json.dumps(DEFAULT_CONFIG))
        self.keys = {}
        self.apply(cfg or {})
        # NextTokens stay valid across emulator restarts with the same
        # token_secret (as AWS's stay valid for a while).
        self.server_secret = str(self.cfg.get("token_secret",
                                              "awsemu")).encode()
        self.data_locks = {}
        self.reset()

    # -- configuration
    def apply(self, patch):
        """Apply a configuration patch; ValueError on a key or fault kind
        the emulator does not know (a typo must not pass silently)."""
        if not isinstance(patch, dict):
            raise ValueError("configuration must be a JSON object")
        for k in patch:
            if k not in DEFAULT_CONFIG and k not in PATCH_KEYS:
                raise ValueError("unknown configuration key %r" % k)
        for rule in (patch.get("faults") or {}).get("rules") or []:
            if rule.get("kind") not in FAULT_KINDS:
                raise ValueError("unknown fault kind %r (known: %s)" % (
                    rule.get("kind"), ", ".join(FAULT_KINDS)))
        for r, d in (patch.get("deny") or {}).items():
            if d not in ("AccessDenied", "UnrecognizedClient"):
                raise ValueError("deny %s: %r is neither AccessDenied nor "
                                 "UnrecognizedClient" % (r, d))
        s3mod.validate(patch.get("s3"))
        th = patch.get("throttle") or {}
        if th.get("mode", "window") not in ("window", "bucket", "off"):
            raise ValueError("throttle mode %r unknown" % th["mode"])
        with self.lock:
            for k, v in patch.items():
                if k == "keys":
                    self.cfg["keys"] = list(v)
                    self.keys = {}
                elif k == "add_keys":
                    self.cfg["keys"].extend(v)
                elif k == "reload":
                    pass
                elif k == "events":
                    self.inline_events = getattr(self, "inline_events", {})
                    for region, recs in v.items():
                        self.inline_events.setdefault(region, []).extend(
                            r if isinstance(r, str) else
                            json.dumps(r, separators=(",", ":"))
                            for r in recs)
                elif k == "expire_key":
                    key = self.keys.get(v["id"])
                    if key is not None:
                        key["expires_at"] = time.time() + float(
                            v.get("in", 0))
                elif k in ("throttle", "faults", "imds", "container", "sso",
                           "web_identity") and isinstance(v, dict) and \
                        isinstance(self.cfg.get(k), dict):
                    self.cfg[k].update(v)
                    if k == "faults":
                        self.fault_rng = {}
                        self.fault_seen = collections.Counter()
                        self.fault_done = collections.Counter()
                    if k == "throttle":
                        self.limiters = {}
                else:
                    self.cfg[k] = v
            if not hasattr(self, "inline_events"):
                self.inline_events = {}
            if not hasattr(self, "data_cache") or any(
                    k in patch for k in ("data_dir", "accounts", "events",
                                         "reload")):
                self.data_cache = {}
                self.data_gen = getattr(self, "data_gen", 0) + 1
            for kc in self.cfg["keys"]:
                self.register_key(kc, replace=False)

    def register_key(self, kc, replace=True):
        k = dict(kc)
        k.setdefault("account", "123456789012")
        k.setdefault("arn", "arn:aws:iam::%s:user/emulator" % k["account"])
        k.setdefault("user_id", "AIDA" + hashlib.sha1(
            k["id"].encode()).hexdigest()[:16].upper())
        k.setdefault("session_token", None)
        exp = k.get("expires")
        if exp is not None:
            k["expires_at"] = parse_time(exp)
        elif k.get("expires_in") is not None:
            k["expires_at"] = time.time() + float(k["expires_in"])
        else:
            k.setdefault("expires_at", None)
        with self.lock:
            if replace or k["id"] not in self.keys:
                self.keys[k["id"]] = k
        return k

    def issue_key(self, account, arn, user_id, source, lifetime=None):
        if lifetime is None:
            lifetime = self.cfg.get("temp_lifetime")
        life = float(lifetime if lifetime is not None else 3600)
        akid = "ASIA" + secrets.token_hex(8).upper()
        k = self.register_key({
            "id": akid, "secret": secrets.token_urlsafe(30),
            "session_token": "EmuSession" + secrets.token_urlsafe(48),
            "account": account, "arn": arn, "user_id": user_id,
            "expires_at": time.time() + life, "source": source})
        with self.lock:
            self.issued[source] += 1
        return k

    def regions(self):
        r = self.cfg.get("regions")
        if r is None:
            return [{"name": n, "opt_in": s} for n, s in DEFAULT_REGIONS]
        out = []
        for x in r:
            if isinstance(x, str):
                out.append({"name": x, "opt_in": "opt-in-not-required"})
            else:
                out.append({"name": x["name"],
                            "opt_in": x.get("opt_in",
                                            "opt-in-not-required")})
        return out

    def region_enabled(self, name):
        for r in self.regions():
            if r["name"] == name:
                return r["opt_in"] != "not-opted-in"
        return False

    # -- counters
    def reset(self):
        with self.lock:
            self.stats = collections.defaultdict(RegionStats)
            self.ops = collections.Counter()
            self.auth_errors = collections.Counter()
            self.issued = collections.Counter()
            self.limiters = {}
            self.fault_rng = {}
            self.fault_seen = collections.Counter()
            self.fault_done = collections.Counter()
            self.log = collections.deque(maxlen=20000)
            self.imds_tokens = {}
            s3mod.reset(self)

    def snapshot(self, region=None):
        with self.lock:
            if region is not None:
                return self.stats[region].as_dict()
            return {"regions": {r: s.as_dict()
                                for r, s in sorted(self.stats.items())},
                    "ops": dict(self.ops),
                    "auth_errors": dict(self.auth_errors),
                    "issued": dict(self.issued),
                    "uptime": time.monotonic() - self.t0}

    # -- data
    def data(self, account, region):
        """The events of (account, region), loaded once, outside the
        global lock so that loading one region delays no other."""
        ck = (account, region)
        with self.lock:
            d = self.data_cache.get(ck)
            if d is not None:
                return d
            gen = self.data_gen
            lk = self.data_locks.setdefault(ck, threading.Lock())
            ddir = (self.cfg.get("accounts") or {}).get(account, {}).get(
                "data_dir") or self.cfg.get("data_dir")
            inline = list(self.inline_events.get(region, []))
        with lk:
            with self.lock:
                d = self.data_cache.get(ck)
                if d is not None:
                    return d
            lines = []
            if ddir:
                p = os.path.join(ddir, region + ".ndjson")
                if os.path.exists(p):
                    with open(p, encoding="utf-8", errors="replace") as f:
                        lines = f.read().split("\n")
            d = RegionData(lines + inline)
            with self.lock:
                if gen == self.data_gen:
                    self.data_cache[ck] = d
            return d

    def preload(self):
        """Load every region's data in the background after start-up."""
        acc = {k["account"] for k in self.cfg["keys"]}
        for a in sorted(acc):
            for r in self.regions():
                self.data(a, r["name"])
        s3mod.buckets(self)

    # -- throttling
    def admit(self, account, region, t):
        with self.lock:
            st = self.stats[region]
            lim = self.limiters.get((account, region))
            if lim is None:
                th = self.cfg["throttle"]
                over = (th.get("regions") or {}).get(region, {})
                lim = Limiter(over.get("mode", th.get("mode", "window")),
                              over.get("rate", th.get("rate", 2)),
                              over.get("burst", th.get("burst")),
                              over.get("window", th.get("window", 1.0)))
                self.limiters[(account, region)] = lim
            # Arrival times kept in order when threads race for the lock.
            t = max(t, lim.last_arrival)
            lim.last_arrival = t
            if not lim.admit(t):
                st.throttled += 1
                return False
            st.accepted += 1
            rel = t - self.t0
            st.accepted_times.append(round(rel, 6))
            lo = bisect.bisect_right(st.accepted_times, rel - 1.0)
            st.max_window = max(st.max_window, len(st.accepted_times) - lo)
            return True

    # -- faults
    def pick_fault(self, region, op, match=None):
        with self.lock:
            fc = self.cfg["faults"]
            for i, rule in enumerate(fc.get("rules") or []):
                regs = rule.get("regions")
                if regs and region not in regs:
                    continue
                if match is not None and not match(rule):
                    continue
                ops = rule.get("ops") or ["LookupEvents"]
                if "*" not in ops and op not in ops:
                    continue
                rk = (i, region if rule.get("per_region", True) else "*")
                self.fault_seen[rk] += 1
                n = self.fault_seen[rk]
                cnt = rule.get("count")
                if cnt is not None and self.fault_done[rk] >= cnt:
                    continue
                if n <= int(rule.get("skip", 0)):
                    continue
                hit = False
                if "at" in rule:
                    hit = n in rule["at"]
                elif "every" in rule:
                    hit = n % int(rule["every"]) == 0
                else:
                    rng = self.fault_rng.get(rk)
                    if rng is None:
                        rng = random.Random("%s/%d/%s" % (
                            fc.get("seed", 1), i, rk[1]))
                        self.fault_rng[rk] = rng
                    hit = rng.random() < float(rule.get("rate", 0))
                if hit:
                    self.fault_done[rk] += 1
                    self.stats[region].faults[rule["kind"]] += 1
                    return rule
            return None


# ---------------------------------------------------------------- server

class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, handler, state, verbose):
        self.state = state
        self.verbose = verbose
        self.rst = set()
        self.rst_lock = threading.Lock()
        http.server.ThreadingHTTPServer.__init__(self, addr, handler)

    def shutdown_request(self, request):
        with self.rst_lock:
            rst = id(request) in self.rst
            self.rst.discard(id(request))
        if rst:
            try:
                request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
            except OSError:
                pass
            self.close_request(request)
            return
        http.server.ThreadingHTTPServer.shutdown_request(self, request)

    def handle_error(self, request, client_address):
        if self.verbose:
            http.server.ThreadingHTTPServer.handle_error(
                self, request, client_address)


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)   # Linux, generic


class TimestampReader(io.RawIOBase):
    """A socket reader that keeps the kernel receive time (SO_TIMESTAMPNS,
    CLOCK_REALTIME) of the data it returns: the first one since `ts` was
    last cleared."""

    def __init__(self, sock):
        io.RawIOBase.__init__(self)
        self.sock = sock
        self.ts = None

    def readable(self):
        return True

    def readinto(self, b):
        n, anc, _, _ = self.sock.recvmsg_into([b], 256)
        if self.ts is None:
            for lvl, typ, d in anc:
                if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS and \
                        len(d) >= struct.calcsize("@ll"):
                    sec, nsec = struct.unpack("@ll",
                                              d[:struct.calcsize("@ll")])
                    self.ts = sec + nsec * 1e-9
        return n


class Handler(Sigv4, Sts, Ec2, CloudTrail, Creds,
              http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "awsemu"

    def version_string(self):
        return self.server_version

    def parse_request(self):
        # The arrival time of a request (the limiter's clock): when the
        # kernel received its first bytes, from the socket's receive
        # timestamp, so that neither thread start-up nor CPU load delays
        # it; else when its request line was read.
        now = time.monotonic()
        self.t_arrival = now
        raw = getattr(self, "ts_raw", None)
        if raw is not None and raw.ts is not None:
            t = raw.ts - (time.time() - now)
            raw.ts = None
            if now - 2.0 < t <= now:
                self.t_arrival = t
        return http.server.BaseHTTPRequestHandler.parse_request(self)

    def setup(self):
        http.server.BaseHTTPRequestHandler.setup(self)
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP,
                                       socket.TCP_NODELAY, 1)
        except OSError:
            pass
        self.ts_raw = None
        if not isinstance(self.connection, ssl.SSLSocket):
            try:
                self.connection.setsockopt(socket.SOL_SOCKET,
                                           SO_TIMESTAMPNS, 1)
                self.ts_raw = TimestampReader(self.connection)
                self.rfile.close()
                self.rfile = io.BufferedReader(self.ts_raw, 65536)
            except OSError:
                self.ts_raw = None

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("awsemu: %s %s\n" % (
                self.address_string(), fmt % args))

    @property
    def st(self):
        return self.server.state

    # -- plumbing
    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n",
                                                        b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def send(self, status, body, ctype, extra=None, fault=None):
        if isinstance(body, str):
            body = body.encode("utf-8", "replace")
        wire.send(self, status, [("Content-Type", ctype)] +
                  list((extra or {}).items()), body, fault=fault)

    def rst_close(self):
        with self.server.rst_lock:
            self.server.rst.add(id(self.request))
        self.close_connection = True

    def log_req(self, service, op, region, akid, status):
        with self.st.lock:
            self.st.log.append({
                "t": round(time.monotonic() - self.st.t0, 6),
                "arrival": round(getattr(self, "t_arrival", 0) -
                                 self.st.t0, 6),
                "service": service, "op": op, "region": region,
                "key": akid, "status": status,
                "ua": self.headers.get("User-Agent", ""),
                "token": bool(self.headers.get("X-Amz-Security-Token"))})

    # -- dispatch
    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_HEAD(self):
        self.dispatch("HEAD")

    def dispatch(self, method):
        t_arrival = self.t_arrival
        try:
            body = self.read_body()
        except (OSError, ValueError):
            self.close_connection = True
            return
        if self.ts_raw is not None:
            self.ts_raw.ts = None     # the next request's bytes set it
        path = urllib.parse.urlsplit(self.path).path
        auth = self.headers.get("Authorization", "")
        try:
            if path.startswith("/_emu/") and not auth.startswith("AWS4"):
                return self.control(method, path, body)
            if path.startswith("/latest/"):
                return self.imds(method, path)
            if path == "/federation/credentials" and method == "GET":
                return self.sso()
            cpath = self.st.cfg["container"].get("path")
            if method == "GET" and cpath and path == cpath:
                return self.container()
            if s3mod.wants(self, method, parse_auth(auth)):
                return s3mod.handle(self, method, body)
            return self.aws(method, body, t_arrival)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # -- control endpoint
    def control(self, method, path, body):
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        st = self.st
        out = None
        if path == "/_emu/stats" and method == "GET":
            out = st.snapshot(q["region"][0] if "region" in q else None)
        elif path == "/_emu/log" and method == "GET":
            with st.lock:
                out = list(st.log)
        elif path == "/_emu/config" and method == "GET":
            with st.lock:
                out = st.cfg
                out = json.loads(json.dumps(out))
        elif path == "/_emu/config" and method == "POST":
            try:
                st.apply(json.loads(body or b"{}"))
            except (ValueError, KeyError, TypeError) as e:
                return self.send(400, json.dumps({"error": str(e)}),
                                 "application/json")
            st.preload()
            out = {"ok": True}
        elif path.startswith("/_emu/s3") and method == "GET":
            return s3mod.control(self, path, q)
        elif path == "/_emu/keys" and method == "GET":
            with st.lock:
                out = [{k: v for k, v in key.items()}
                       for key in st.keys.values()]
        elif path == "/_emu/reset" and method == "POST":
            st.reset()
            out = {"ok": True}
        elif path == "/_emu/shutdown" and method == "POST":
            self.send(200, '{"ok":true}', "application/json")
            threading.Thread(target=self.server.shutdown).start()
            return None
        if out is None:
            return self.send(404, '{"error":"no such control endpoint"}',
                             "application/json")
        return self.send(200, json.dumps(out, indent=1),
                         "application/json")

    # -- AWS APIs
    def aws(self, method, body, t_arrival):
        target = self.headers.get("X-Amz-Target", "")
        form = {}
        query = urllib.parse.urlsplit(self.path).query
        ctype = self.headers.get("Content-Type", "")
        if method == "POST" and "x-www-form-urlencoded" in ctype:
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"),
                                         keep_blank_values=True)
        elif query:
            form = urllib.parse.parse_qs(query, keep_blank_values=True)
        form = {k: v[0] for k, v in form.items()}
        auth = self.headers.get("Authorization", "")
        scope = parse_auth(auth)
        if scope:
            service, region = scope["service"], scope["region"]
        else:
            service, region = None, host_region(self.headers.get("Host", ""))
        if service is None:
            if target.startswith("com.amazonaws.cloudtrail"):
                service = "cloudtrail"
            elif form.get("Action", "").startswith(("Describe", "Get")) and \
                    form.get("Action") != "GetCallerIdentity":
                service = "ec2"
            else:
                service = "sts"
        if service == "cloudtrail":
            op = target[len(CT_TARGET):] if target.startswith(CT_TARGET) \
                else target
        elif service == "organizations":
            op = target.rpartition(".")[2]
        else:
            op = form.get("Action", "")
        rid = req_id()
        akid = scope["akid"] if scope else None
        if op == "LookupEvents":
            with self.st.lock:
                self.st.stats[region].requests += 1
        with self.st.lock:
            self.st.ops["%s:%s" % (service, op)] += 1
        status = 200
        try:
            if service not in ("sts", "ec2", "cloudtrail", "organizations"):
                raise Abort(400, "UnknownService",
                            "Service %s is not emulated" % service)
            if service == "sts" and op == "AssumeRoleWithWebIdentity":
                key = None
            else:
                key = self.authenticate(method, body, scope, service, region)
            self.check_region(service, region, op)
            if op == "LookupEvents":
                if not self.st.admit(key["account"], region, t_arrival):
                    raise Abort(400, "ThrottlingException", "Rate exceeded")
            fault = self.st.pick_fault(region, op)
            if fault is not None:
                self.inject(fault, service, key, rid)
            if service == "sts":
                status, xml = self.sts(op, form, key, rid)
                self.send(status, xml, "text/xml",
                          {"x-amzn-RequestId": rid}, fault)
            elif service == "ec2":
                xml = self.ec2(op, form, region, rid)
                self.send(200, xml, "text/xml;charset=UTF-8", {}, fault)
            elif service == "organizations":    # trail.py
                out = s3mod.trail.organizations(self.st, key, op, body)
                self.send(200, out, CT_CTYPE, {"x-amzn-RequestId": rid},
                          fault)
            else:
                out = self.cloudtrail(op, body, key, region, fault)
                self.send(200, out, CT_CTYPE, {"x-amzn-RequestId": rid},
                          None if fault is not None and
                          fault["kind"] in ENDLESS_KINDS else fault)
        except Handled:
            pass
        except Abort as e:
            status = e.status
            if op == "LookupEvents" and e.code not in (
                    "ThrottlingException",):
                with self.st.lock:
                    self.st.stats[region].errors[e.code] += 1
            self.send_error_body(service, e, rid)
        if op == "LookupEvents":
            dt = time.monotonic() - t_arrival
            with self.st.lock:
                s = self.st.stats[region]
                s.service_max = max(s.service_max, dt)
                s.service_sum += dt
                s.service_n += 1
        self.log_req(service, op, region, akid, status)

    def inject(self, fault, service, key, rid):
        kind = fault["kind"]
        ec2 = service == "ec2"
        if kind == "http500":
            raise Abort(500, "InternalError" if ec2 else "InternalFailure",
                        "An internal error has occurred", sender=False)
        if kind == "http503":
            raise Abort(503, "Unavailable" if ec2 else "ServiceUnavailable",
                        "The server is overloaded and can't handle the "
                        "request." if ec2 else "Service is unavailable",
                        sender=False)
        if kind == "throttle":
            if ec2:
                raise Abort(503, "RequestLimitExceeded",
                            "Request limit exceeded.")
            raise Abort(400, "ThrottlingException" if service == "cloudtrail"
                        else "Throttling", "Rate exceeded")
        if kind == "bad_signature":
            raise self.signature_abort(service)
        if kind == "expired":
            raise Abort(400, "ExpiredTokenException"
                        if service == "cloudtrail" else "ExpiredToken",
                        MSG_EXPIRED)
        if kind == "slow":
            time.sleep(float(fault.get("seconds",
                                       self.st.cfg["faults"].get(
                                           "slow_seconds", 3.0))))
        if kind == "garbage":
            body = b"<html><body>\x00\xff garbage {{{ not json"
            self.send_response(200)
            self.send_header("Content-Type", CT_CTYPE if
                             service == "cloudtrail" else "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            raise Handled()

    def send_error_body(self, service, e, rid):
        if service in ("cloudtrail", "organizations"):
            msgkey = "message"
            code = e.code
            if code.startswith("Invalid") and code.endswith("Exception") \
                    and code not in ("InvalidSignatureException",):
                code = CT_SHAPE + code
                msgkey = "Message"
            body = json.dumps({"__type": code, msgkey: e.message})
            self.send(e.status, body, CT_CTYPE, {"x-amzn-RequestId": rid})
        elif service == "ec2":
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response>'
                    '<Errors><Error><Code>%s</Code><Message>%s</Message>'
                    '</Error></Errors><RequestID>%s</RequestID></Response>'
                    % (xml_escape(e.code), xml_escape(e.message), rid))
            self.send(e.status, body, "text/xml;charset=UTF-8")
        else:
            body = ('<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>%s'
                    '</Type>\n    <Code>%s</Code>\n    <Message>%s</Message>'
                    '\n  </Error>\n  <RequestId>%s</RequestId>\n'
                    '</ErrorResponse>\n'
                    % (STS_NS, "Sender" if e.sender else "Receiver",
                       xml_escape(e.code), xml_escape(e.message), rid))
            self.send(e.status, body, "text/xml", {"x-amzn-RequestId": rid})


    def check_region(self, service, region, op):
        st = self.st
        if service == "sts" and op in ("GetCallerIdentity", "AssumeRole",
                                       "AssumeRoleWithWebIdentity") and \
                not any(r["name"] == region for r in st.regions()):
            return   # the global endpoint signs us-east-1; be lenient
        if not st.region_enabled(region):
            raise self.auth_fail(service, "unknown_key")
        deny = (st.cfg.get("deny") or {}).get(region)
        if deny == "UnrecognizedClient":
            raise self.auth_fail(service, "unknown_key")
        if deny == "AccessDenied" and service == "cloudtrail":
            raise Abort(400, "AccessDeniedException",
                        "User: %s is not authorized to perform: "
                        "cloudtrail:%s with an explicit deny in a service "
                        "control policy" % (self.caller_arn(), op))

    def caller_arn(self):
        scope = parse_auth(self.headers.get("Authorization", ""))
        if scope:
            with self.st.lock:
                k = self.st.keys.get(scope["akid"])
            if k:
                return k["arn"]
        return "unknown"


class Handled(Exception):
    pass


def host_region(host):
    h = host.split(":")[0].split(".")
    if len(h) >= 4 and h[-2] == "amazonaws":
        return h[1]
    return "us-east-1"


# ---------------------------------------------------------------- gen

EVENT_NAMES = [("DescribeInstances", "ec2.amazonaws.com", True),
               ("GetObject", "s3.amazonaws.com", True),
               ("ListBuckets", "s3.amazonaws.com", True),
               ("AssumeRole", "sts.amazonaws.com", False),
               ("RunInstances", "ec2.amazonaws.com", False),
               ("PutObject", "s3.amazonaws.com", False),
               ("CreateUser", "iam.amazonaws.com", False),
               ("ConsoleLogin", "signin.amazonaws.com", None),
               ("GetCallerIdentity", "sts.amazonaws.com", True),
               ("LookupEvents", "cloudtrail.amazonaws.com", True)]


def gen_events(region, count, start, end, seed=1, account="123456789012"):
    """Synthetic CloudTrail records, deterministic for a seed."""
    rng = random.Random("%s/%s" % (seed, region))
    users = ["alice", "bob", "carol", "deploy"]
    out = []
    for i in range(count):
        t = rng.randint(int(start), int(end))
        name, src, ro = rng.choice(EVENT_NAMES)
        kind = rng.random()
        if kind < 0.6:
            u = rng.choice(users)
            ui = {"type": "IAMUser", "principalId": "AIDA%012d" % i,
                  "arn": "arn:aws:iam::%s:user/%s" % (account, u),
                  "accountId": account,
                  "accessKeyId": "AKIA%016d" % rng.randint(0, 99),
                  "userName": u}
        elif kind < 0.9:
            ui = {"type": "AssumedRole",
                  "principalId": "AROAEXAMPLE:sess%d" % (i % 7),
                  "arn": "arn:aws:sts::%s:assumed-role/role%d/sess%d" % (
                      account, i % 3, i % 7),
                  "accountId": account,
                  "accessKeyId": "ASIA%016d" % rng.randint(0, 99),
                  "sessionContext": {"sessionIssuer": {
                      "type": "Role", "principalId": "AROAEXAMPLE",
                      "arn": "arn:aws:iam::%s:role/role%d" % (account, i % 3),
                      "accountId": account, "userName": "role%d" % (i % 3)}}}
        else:
            ui = {"type": "AWSService", "invokedBy": "ec2.amazonaws.com"}
        rec = {"eventVersion": "1.08", "userIdentity": ui,
               "eventTime": iso8601(t), "eventSource": src,
               "eventName": name, "awsRegion": region,
               "sourceIPAddress": "198.51.100.%d" % rng.randint(1, 254),
               "userAgent": "aws-cli/2.9.19",
               "requestParameters": None, "responseElements": None,
               "requestID": str(uuid.UUID(int=rng.getrandbits(128))),
               "eventID": str(uuid.UUID(int=rng.getrandbits(128))),
               "eventType": "AwsApiCall", "managementEvent": True,
               "recipientAccountId": account,
               "eventCategory": "Management"}
        if ro is not None:
            rec["readOnly"] = ro
        if rng.random() < 0.1:
            rec["errorCode"] = "AccessDenied"
            rec["errorMessage"] = "User is not authorized"
        out.append(json.dumps(rec, separators=(",", ":")))
    return out


def main_gen(argv):
    ap = argparse.ArgumentParser(prog="awsemu.py gen",
                                 description="print synthetic CloudTrail "
                                 "records (NDJSON) for one region")
    ap.add_argument("--region", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--start", required=True, help="ISO 8601 or epoch")
    ap.add_argument("--end", required=True, help="ISO 8601 or epoch")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--account", default="123456789012")
    a = ap.parse_args(argv)
    for line in gen_events(a.region, a.count, parse_time(a.start),
                           parse_time(a.end), a.seed, a.account):
        sys.stdout.write(line + "\n")
    return 0


# ---------------------------------------------------------------- main

def shq(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def watch_parent(pid, srv):
    while True:
        time.sleep(0.5)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            srv.shutdown()
            return
        except PermissionError:
            pass


def main(argv):
    if argv and argv[0] == "gen":
        return main_gen(argv[1:])
    ap = argparse.ArgumentParser(prog="awsemu.py",
                                 description="local emulator of STS, EC2, "
                                 "CloudTrail and the credential endpoints")
    ap.add_argument("--config", help="JSON configuration file")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--env-file", help="write sourceable EMU_* variables")
    ap.add_argument("--data-dir")
    ap.add_argument("--rate", type=float)
    ap.add_argument("--throttle", choices=("window", "bucket", "off"))
    ap.add_argument("--seed", type=int)
    ap.add_argument("--fault", action="append", default=[],
                    metavar="KIND:RATE[:REGION,...[:OP,...]]")
    ap.add_argument("--deny", action="append", default=[],
                    metavar="REGION:AccessDenied|UnrecognizedClient")
    ap.add_argument("--temp-lifetime", type=float)
    s3mod.add_args(ap)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--parent", type=int, metavar="PID",
                    help="exit when process PID is gone")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args(argv)
    cfg = {}
    if a.config:
        try:
            with open(a.config, encoding="utf-8") as f:
                cfg = json.load(f)
        except (OSError, ValueError) as e:
            sys.exit("awsemu.py: %s: %s" % (a.config, e))
    if a.data_dir:
        cfg["data_dir"] = a.data_dir
    th = dict(cfg.get("throttle") or {})
    if a.rate is not None:
        th["rate"] = a.rate
    if a.throttle:
        th["mode"] = a.throttle
    if th:
        cfg["throttle"] = th
    fl = dict(cfg.get("faults") or {})
    if a.seed is not None:
        fl["seed"] = a.seed
    rules = list(fl.get("rules") or [])
    for f in a.fault:
        p = f.split(":")
        if p[0] not in FAULT_KINDS:
            ap.error("unknown fault kind %s" % p[0])
        r = {"kind": p[0], "rate": float(p[1]) if len(p) > 1 else 1.0}
        if len(p) > 2 and p[2]:
            r["regions"] = p[2].split(",")
        if len(p) > 3 and p[3]:
            r["ops"] = p[3].split(",")
        rules.append(r)
    fl["rules"] = rules
    cfg["faults"] = fl
    deny = dict(cfg.get("deny") or {})
    for d in a.deny:
        r, _, k = d.partition(":")
        deny[r] = k or "AccessDenied"
    cfg["deny"] = deny
    if a.temp_lifetime is not None:
        cfg["temp_lifetime"] = a.temp_lifetime
    s3mod.apply_args(a, cfg)
    try:
        state = State(cfg)
    except (ValueError, KeyError, TypeError) as e:
        sys.exit("awsemu.py: bad configuration: %s" % e)
    # Threads waiting for the GIL get it sooner: arrival times stay close
    # to the real ones under load.
    sys.setswitchinterval(0.0005)
    srv = Server(("127.0.0.1", a.port), Handler, state, a.verbose)
    scheme = "http"
    if a.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        scheme = "https"
    port = srv.server_address[1]
    # Ready only once botocore is imported and the data loaded, so that
    # the first requests are as quick as the others (a throughput test
    # would otherwise lose its first second).
    botocore_auth()
    state.preload()
    key0 = state.cfg["keys"][0] if state.cfg["keys"] else {}
    if a.env_file:
        tmp = a.env_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("EMU_PORT=%d\nEMU_URL=%s\nEMU_PID=%d\n"
                    "EMU_KEY_ID=%s\nEMU_SECRET=%s\nEMU_TOKEN=%s\n" % (
                        port, shq("%s://127.0.0.1:%d" % (scheme, port)),
                        os.getpid(), shq(key0.get("id", "")),
                        shq(key0.get("secret", "")),
                        shq(key0.get("session_token") or "")))
        os.rename(tmp, a.env_file)
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, a.port_file)
    if a.parent:
        threading.Thread(target=watch_parent, args=(a.parent, srv),
                         daemon=True).start()
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
