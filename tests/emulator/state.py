# state.py - what the emulator knows and counts: the configuration, the
# keys (configured and issued), the data cache, the LookupEvents limiter,
# the fault picker and every counter the tests read.
#
# One State per process, shared by every request thread behind one lock
# (self.lock, reentrant); only reading a region's data happens outside it,
# under a per-region lock, so that loading one region delays no other.  A
# configuration patch is checked whole before any of it is applied, so a
# refused patch changes nothing.  The fault picker keeps a PRNG per (rule,
# region), seeded from the configuration, so each region's sequence is
# reproducible whatever the thread interleaving.  What a fault does to an
# answer is the server's (server.py, Handler.inject) and the reply
# writer's (wire.py).

import bisect
import collections
import hashlib
import json
import os
import random
import secrets
import threading
import time

import s3 as s3mod          # S3's state and buckets: s3.py, trail.py
from common import parse_time
from events import RegionData


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
