# integrity.py - CloudTrail log file integrity for the emulator's trail
# buckets: the signing keys, the hourly digests, ListPublicKeys, and
# deliberate tampering, each recorded as ground truth.
#
# CloudTrail writes, per account, region and trail, one digest an hour
# (also for an hour without logs: "logFiles": []), listing every log file
# delivered in [digestStartTime, digestEndTime) with the SHA-256 of its
# uncompressed text, chained to the previous digest (previousDigest*,
# null in the first) and signed SHA256withRSA over
#   digestEndTime \n bucket/key \n sha256(uncompressed digest) \n
#   previousDigestSignature (or "null")
# with the signature in x-amz-meta-signature.  The emulator does the same
# with two RSA keys of its own, generated once per process, the first
# valid until the rotation time (s3.key_rotation, default the middle of
# the data), the second from then on, so that a window can hold a key
# rotation.  ListPublicKeys serves them as the real API does: Value, a
# blob, is the PKCS#1 DER key, base64 on the JSON wire (the AWS CLI keeps
# blobs as that base64 text and validate-logs decodes it once; boto3
# gives the DER bytes).
#
# Tampering (a trail's "tamper" list) alters the bucket after CloudTrail
# "delivered" it, deterministically (seed, key pattern), and records what
# was done and the verdict a verifier must reach for each object touched
# (integrity_contract vocabulary): GET /_emu/s3/integrity.

import base64
import datetime
import gzip
import hashlib
import json
import random
import re
import threading

import common

TAMPER_KINDS = ("rewrite_log", "delete_log", "insert_log", "delete_digest",
                "corrupt_signature", "break_chain")
TAMPER_KEYS = ("kind", "count", "seed", "match", "account", "region")
HOUR = 3600
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
VALIDITY = 3650 * 86400     # each key's validity on its far side

_lock = threading.Lock()
_keys = []                  # [(private key, PKCS#1 DER, fingerprint)]


def stamp(ts, fmt):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc) \
        .strftime(fmt)


iso = common.iso8601


def parse_time(v):
    """ISO 8601 or epoch seconds -> epoch seconds (int): common's, whole."""
    return int(common.parse_time(v))


def _make_keys():
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives import serialization
    with _lock:
        while len(_keys) < 2:
            k = rsa.generate_private_key(public_exponent=65537,
                                         key_size=2048)
            der = k.public_key().public_bytes(
                serialization.Encoding.DER,
                serialization.PublicFormat.PKCS1)
            _keys.append((k, der, hashlib.md5(der).hexdigest()))


def prepare():
    """Start making the keys in the background: OpenSSL's prime search
    runs outside the GIL, beside the server's start-up."""
    threading.Thread(target=_make_keys, daemon=True).start()


def signing_keys():
    """The two key pairs (2048-bit RSA, random), made on first use."""
    _make_keys()
    return list(_keys)


def sign(key, text):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    return key.sign(text.encode("utf-8"), padding.PKCS1v15(),
                    hashes.SHA256()).hex()


def rotation(st, trails, regions_of):
    """The key rotation time: s3.key_rotation, else the middle of the
    records of every trail's accounts and regions (else 2024-01-01)."""
    cfg = st.cfg.get("s3") or {}
    if cfg.get("key_rotation") is not None:
        return parse_time(cfg["key_rotation"])
    lo = hi = None
    for t in trails:
        if not t["validation"]:
            continue
        for acct in t["accounts"]:
            for region in regions_of(st, t):
                d = st.data(acct, region)
                if d.times:
                    lo = d.times[0] if lo is None else min(lo, d.times[0])
                    hi = d.times[-1] if hi is None else max(hi, d.times[-1])
    if lo is None:
        return 1704067200
    return int((lo + hi) // 2)


def public_keys(rot):
    """[(validity start, validity end, DER, fingerprint, private key)]."""
    (k1, d1, f1), (k2, d2, f2) = signing_keys()
    return [(rot - VALIDITY, rot, d1, f1, k1),
            (rot, rot + VALIDITY, d2, f2, k2)]


def key_at(rot, ts):
    for vs, ve, _der, fp, k in public_keys(rot):
        if vs <= ts < ve:
            return fp, k
    raise ValueError("no signing key valid at %s" % iso(ts))


def list_public_keys(rot, start, end, now):
    """ListPublicKeys' answer (a JSON text): the keys whose validity
    overlaps [start, end]; without either, the key valid now."""
    out = []
    for vs, ve, der, fp, _k in public_keys(rot):
        if start is None and end is None:
            hit = vs <= now < ve
        else:
            s = start if start is not None else float("-inf")
            e = end if end is not None else float("inf")
            hit = vs <= e and ve > s
        if hit:
            value = base64.b64encode(der).decode()
            out.append({"Value": value, "ValidityStartTime": vs,
                        "ValidityEndTime": ve, "Fingerprint": fp})
    return json.dumps({"PublicKeyList": out})


class Log:
    """A delivered log file: its object, the SHA-256 of its text, and
    the times of its oldest and newest record."""
    __slots__ = ("obj", "sha", "oldest", "newest")

    def __init__(self, obj, text, oldest, newest):
        self.obj = obj
        self.sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.oldest = oldest
        self.newest = newest


def s3url(t, key):
    return "s3://%s/%s" % (t["bucket"], key)


def schedule(t, streams, base_of):
    """The digests CloudTrail writes for trail t: per stream (account,
    region) one an hour from the first delivery of any stream to past the
    last one (or digests_until), at a seeded minute and second of the
    hour.  Returns {stream: [(start, end, key)]}."""
    times = [lg.obj.mtime for logs in streams.values() for lg in logs]
    if not times:
        return {}
    lo, hi = min(times), max(times)
    until = parse_time(t["digests_until"]) if t["digests_until"] \
        is not None else None
    out = {}
    for (acct, region) in streams:
        rng = random.Random("digest/%s/%s/%s" % (t["name"], acct, region))
        off = rng.randint(0, HOUR - 1)
        end = (lo - off) // HOUR * HOUR + off
        while end <= lo:
            end += HOUR
        sched = []
        while True:
            if until is not None and end > until:
                break
            ts = stamp(end, "%Y%m%dT%H%M%SZ")
            key = ("%sCloudTrail-Digest/%s/%s/%s_CloudTrail-Digest_%s_%s_"
                   "%s_%s.json.gz" % (base_of(t, acct), region,
                                      stamp(end, "%Y/%m/%d"), acct, region,
                                      t["name"], t["home_region"], ts))
            sched.append((end - HOUR, end, key))
            if end > hi:
                break
            end += HOUR
        out[(acct, region)] = sched
    return out


def pick(t, kind, spec, cands):
    """The candidates (sorted (key, item) pairs) a tamper spec selects:
    those matching its pattern, account and region, then count of them
    drawn with its seed."""
    m = re.compile(spec["match"]) if spec.get("match") else None
    c = [(k, v) for k, v in cands
         if (m is None or m.search(k)) and
         spec.get("account") in (None, v[0]) and
         spec.get("region") in (None, v[1])]
    rng = random.Random("tamper/%s/%s/%s" % (t["name"], kind,
                                             spec.get("seed", 1)))
    n = min(int(spec.get("count", 1)), len(c))
    return sorted(rng.sample(c, n))


class Chain:
    """One stream's digests, written (hashed and signed) on first use:
    signing every hour of every region of a trail up front would slow
    the emulator's start by seconds, and most tests read no digest."""

    def __init__(self, t, acct, ds, listed, broken, rot):
        self.t, self.acct, self.ds = t, acct, ds
        self.listed, self.broken, self.rot = listed, broken, rot
        self.corrupt = set()        # keys whose signature metadata lies
        self.out = None             # key -> (gzip body, metadata, ETag)
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if self.out is None:
                self.out = self.write()
            return self.out[key]

    def write(self):
        bucket = self.t["bucket"]
        out = {}
        prev = prev_text = prev_sig = None
        for start, end, key in self.ds:
            logs = self.listed.get(key, [])
            evs = [x for lg in logs for x in (lg.oldest, lg.newest)]
            fp, pkey = key_at(self.rot, end)
            phash = hashlib.sha256(prev_text.encode()).hexdigest() \
                if prev else None
            if key in self.broken:
                phash = hashlib.sha256(b"not the previous digest/" +
                                       key.encode()).hexdigest()
            doc = {"awsAccountId": self.acct,
                   "digestStartTime": iso(start), "digestEndTime": iso(end),
                   "digestS3Bucket": bucket, "digestS3Object": key,
                   "digestPublicKeyFingerprint": fp,
                   "digestSignatureAlgorithm": "SHA256withRSA",
                   "newestEventTime": iso(max(evs)) if evs else None,
                   "oldestEventTime": iso(min(evs)) if evs else None,
                   "previousDigestS3Bucket": bucket if prev else None,
                   "previousDigestS3Object": prev,
                   "previousDigestHashValue": phash,
                   "previousDigestHashAlgorithm": "SHA-256" if prev
                   else None,
                   "previousDigestSignature": prev_sig,
                   "logFiles": [
                       {"s3Bucket": bucket, "s3Object": lg.obj.key,
                        "hashValue": lg.sha, "hashAlgorithm": "SHA-256",
                        "newestEventTime": iso(lg.newest),
                        "oldestEventTime": iso(lg.oldest)} for lg in logs]}
            text = json.dumps(doc, separators=(",", ":"))
            sig = sign(pkey, "%s\n%s/%s\n%s\n%s" % (
                doc["digestEndTime"], bucket, key,
                hashlib.sha256(text.encode()).hexdigest(),
                prev_sig or "null"))
            shown = sig
            if key in self.corrupt:
                shown = sig[:-1] + ("0" if sig[-1] != "0" else "1")
            body = gzip.compress(text.encode(), mtime=0)
            out[key] = (body, {"signature": shown,
                               "signature-algorithm": "SHA256withRSA"},
                        '"%s"' % hashlib.md5(body).hexdigest())
            prev, prev_text, prev_sig = key, text, sig
        return out


class Digest:
    """A digest object as s3.Obj has it, its bytes from its chain."""
    __slots__ = ("chain", "key", "mtime", "ctype", "kms_key", "records",
                 "kind", "cenc")

    def __init__(self, chain, key, mtime, cenc):
        self.chain, self.key, self.mtime, self.cenc = chain, key, mtime, cenc
        self.ctype = "application/json"
        self.kms_key = self.records = None
        self.kind = "digest"

    body = property(lambda self: self.chain.get(self.key)[0])
    meta = property(lambda self: self.chain.get(self.key)[1])
    etag = property(lambda self: self.chain.get(self.key)[2])


def build(st, t, streams, Obj, base_of, rot):
    """The digests of trail t over streams ({(account, region): [Log]},
    delivery order) and the tampering of its "tamper" list.  Returns
    (objects to serve: logs as tampered, inserted logs, digests; the
    ground truth)."""
    specs = list(t["tamper"] or [])
    sched = schedule(t, streams, base_of)
    truth = {"bucket": t["bucket"], "trail": t["name"],
             "key_rotation": iso(rot),
             "keys": [{"fingerprint": fp, "validity_start": iso(vs),
                       "validity_end": iso(ve)}
                      for vs, ve, _d, fp, _k in public_keys(rot)],
             "digests": 0, "logs_listed": 0, "tampered": [],
             "verdicts": {}}

    # Which digest lists each log (by delivery time).
    listed = {}         # digest key -> [Log]
    covered = {}        # log key -> digest key
    for st_key, logs in streams.items():
        ds = sched.get(st_key, [])
        i = 0
        for lg in logs:
            while i < len(ds) and lg.obj.mtime >= ds[i][1]:
                i += 1
            if i < len(ds) and ds[i][0] <= lg.obj.mtime:
                listed.setdefault(ds[i][2], []).append(lg)
                covered[lg.obj.key] = ds[i][2]
    log_cands = sorted((lg.obj.key, (a, r, lg))
                       for (a, r), logs in streams.items() for lg in logs
                       if lg.obj.key in covered)
    # (key, (account, region, position in its stream))
    dig_cands = sorted((d[2], (a, r, i)) for (a, r), ds in sched.items()
                       for i, d in enumerate(ds))

    def picks(kind, cands):
        out = []
        for s in specs:
            if s["kind"] == kind:
                out += pick(t, kind, s, cands)
        return out

    acts = []           # (tamper, key, account, region, detail, touched)
    bad_digest = {}     # key -> (verdict, cause)
    broken = {k for k, _ in picks("break_chain",
                                  [c for c in dig_cands if c[1][2] > 0])}
    # Digests, in chain order per stream.
    dobjs = {}
    chains = {}
    for (acct, region), ds in sorted(sched.items()):
        ch = chains[(acct, region)] = Chain(t, acct, ds, listed, broken,
                                            rot)
        drng = random.Random("digest-delivery/%s/%s/%s" % (t["name"], acct,
                                                           region))
        for i, (start, end, key) in enumerate(ds):
            dobjs[key] = Digest(ch, key, end + drng.randint(30, 300),
                                t["content_encoding"])
            if key in broken:
                # Signed with the wrong link: a verifier walking back from
                # this (valid) digest finds the predecessor's hash is not
                # the one it names, and distrusts the predecessor.
                acts.append(("break_chain", key, acct, region,
                             "previousDigestHashValue is not the hash of "
                             "the previous digest; re-signed",
                             [ds[i - 1][2]]))
                bad_digest.setdefault(ds[i - 1][2], ("invalid_signature",
                                                     "break_chain"))
            truth["digests"] += 1
            truth["logs_listed"] += len(listed.get(key, []))
    # Digest tampering after delivery.
    for key, (acct, region, i) in picks("corrupt_signature", dig_cands):
        chains[(acct, region)].corrupt.add(key)
        acts.append(("corrupt_signature", key, acct, region,
                     "x-amz-meta-signature altered (last hex digit)",
                     [key]))
        bad_digest[key] = ("invalid_signature", "corrupt_signature")
    has_next = [c for c in dig_cands
                if c[1][2] + 1 < len(sched[(c[1][0], c[1][1])])]
    for key, (acct, region, i) in picks("delete_digest", has_next):
        if key not in dobjs:
            continue
        del dobjs[key]
        acts.append(("delete_digest", key, acct, region,
                     "deleted; its successor still names it", [key]))
        bad_digest[key] = ("missing", "delete_digest")
    # Log tampering.
    logs = {lg.obj.key: lg.obj for ls in streams.values() for lg in ls}
    bad_log = {}        # key -> (verdict, cause), before digest trust
    for key, (acct, region, lg) in picks("rewrite_log", log_cands):
        if key not in logs:
            continue
        doc = json.loads(gzip.decompress(lg.obj.body))
        rec = doc["Records"][0]
        ip = "192.0.2.1" if rec.get("sourceIPAddress") != "192.0.2.1" \
            else "192.0.2.2"
        rec["sourceIPAddress"] = ip
        o = lg.obj
        logs[key] = Obj(key, gzip.compress(json.dumps(doc).encode(),
                                           mtime=0),
                        o.mtime, ctype=o.ctype, records=o.records,
                        kind="log", cenc=o.cenc)
        acts.append(("rewrite_log", key, acct, region,
                     "first record's sourceIPAddress set to " + ip, [key]))
        bad_log[key] = ("modified", "rewrite_log")
    for key, (acct, region, lg) in picks("delete_log", log_cands):
        if key not in logs:
            continue
        del logs[key]
        acts.append(("delete_log", key, acct, region, "deleted", [key]))
        bad_log[key] = ("missing", "delete_log")
    for s in specs:
        if s["kind"] != "insert_log":
            continue
        for key, (acct, region, lg) in pick(t, "insert_log", s, log_cands):
            rng = random.Random("insert/%s/%s" % (s.get("seed", 1), key))
            doc = json.loads(gzip.decompress(lg.obj.body))
            for r in doc["Records"]:
                r["eventID"] = "%08x-%04x-4%03x-8%03x-%012x" % (
                    rng.getrandbits(32), rng.getrandbits(16),
                    rng.getrandbits(12), rng.getrandbits(12),
                    rng.getrandbits(48))
            uniq = "".join(rng.choice(ALNUM) for _ in range(16))
            nkey = key[:-len("UNIQUE0123456789.json.gz")] + uniq + ".json.gz"
            o = lg.obj
            logs[nkey] = Obj(nkey, gzip.compress(json.dumps(doc).encode(),
                                                 mtime=0),
                             o.mtime, ctype=o.ctype, records=o.records,
                             kind="log", cenc=o.cenc)
            acts.append(("insert_log", nkey, acct, region,
                         "a copy of %s with new eventIDs, listed by no "
                         "digest" % key, [nkey]))
            bad_log[nkey] = ("not_covered", "insert_log")
    # What a verifier must conclude.  A log listed only by a digest that
    # cannot be trusted is not_covered (its listed hash proves nothing),
    # or unknowable when it is gone too.
    verdicts = {}
    for key, (v, why) in bad_digest.items():
        verdicts[key] = {"kind": "digest", "verdict": v, "because": why}
    for dkey, listed_logs in listed.items():
        for lg in listed_logs:
            k = lg.obj.key
            if dkey in bad_digest:
                if k in logs:
                    verdicts[k] = {"kind": "log", "verdict": "not_covered",
                                   "because": bad_digest[dkey][1]}
            elif k in bad_log:
                v, why = bad_log[k]
                verdicts[k] = {"kind": "log", "verdict": v, "because": why}
    for k, (v, why) in bad_log.items():
        if v == "not_covered":
            verdicts[k] = {"kind": "log", "verdict": v, "because": why}
    for k, d in verdicts.items():
        if d["kind"] == "log" and k in logs:
            d["records"] = logs[k].records
    truth["verdicts"] = {s3url(t, k): verdicts[k] for k in sorted(verdicts)}
    for kind, key, acct, region, detail, touched in acts:
        near = list(touched)
        for d in touched:
            near += [lg.obj.key for lg in listed.get(d, [])]
        truth["tampered"].append({
            "tamper": kind, "object": s3url(t, key), "account": acct,
            "region": region, "detail": detail,
            "verdicts": [dict(object=s3url(t, k), kind=verdicts[k]["kind"],
                              verdict=verdicts[k]["verdict"])
                         for k in near if k in verdicts]})
    objs = list(logs.values()) + list(dobjs.values())
    truth["tampered"].sort(key=lambda d: (d["object"], d["tamper"]))
    return objs, truth


def validate_specs(specs):
    """ValueError on a malformed tamper list."""
    if specs is None:
        return
    if not isinstance(specs, list):
        raise ValueError("s3 trail: tamper must be a list")
    for s in specs:
        if not isinstance(s, dict) or s.get("kind") not in TAMPER_KINDS:
            raise ValueError("s3 trail: tamper entries need a kind among "
                             "%s" % ", ".join(TAMPER_KINDS))
        for k in s:
            if k not in TAMPER_KEYS:
                raise ValueError("s3 trail tamper: unknown key %r (known: "
                                 "%s)" % (k, ", ".join(TAMPER_KEYS)))
        if s.get("match") is not None:
            try:
                re.compile(s["match"])
            except (re.error, TypeError) as e:
                raise ValueError("s3 trail tamper: match: %s" % e)
        c = s.get("count", 1)
        if isinstance(c, bool) or not isinstance(c, int) or c < 0:
            raise ValueError("s3 trail tamper: count must be a whole "
                             "number")
        for k in ("account", "region", "match"):
            if s.get(k) is not None and not isinstance(s[k], str):
                raise ValueError("s3 trail tamper: %s must be a string" % k)


def parse_spec(text):
    """--tamper KIND[:COUNT[:SEED[:MATCH]]] -> a tamper entry."""
    p = text.split(":", 3)
    d = {"kind": p[0]}
    if len(p) > 1 and p[1]:
        d["count"] = int(p[1])
    if len(p) > 2 and p[2]:
        d["seed"] = p[2]
    if len(p) > 3 and p[3]:
        d["match"] = p[3]
    validate_specs([d])
    return d
