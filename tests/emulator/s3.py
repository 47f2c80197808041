# s3.py - the S3 REST API of awsemu (the GET/HEAD subset a reader of a
# CloudTrail bucket uses), kept apart from awsemu.py so that the server's
# core stays small.
#
# Buckets come from the "s3" configuration: inline objects, a folder on
# disk served as a bucket, or a trail bucket generated from the very
# records LookupEvents serves (trail.py), so that both ways of reading
# CloudTrail are checked against one ground truth.  Requests are
# authenticated like S3 does it (SigV4 for service s3 checked with
# botocore's own S3SigV4Auth, S3's canonical URI: each path segment
# URI-encoded once, no normalization; x-amz-content-sha256 a hash or
# UNSIGNED-PAYLOAD) and every error is S3's XML <Error> body with S3's own
# codes and messages.  Faults come from the emulator's fault rules (ops
# ListObjectsV2, GetObject, HeadObject, HeadBucket, GetBucketLocation),
# plus S3-only conditions: first-byte latency, denied prefixes, SSE-KMS
# objects without kms:Decrypt, buckets in other regions.  /_emu/s3 tells
# which objects exist, how many records each holds and how many GETs each
# got.

import base64
import datetime
import email.utils
import gzip
import hashlib
import hmac
import json
import os
import threading
import time
import urllib.parse

from sigv4 import exact_signer
import integrity
import trail
import wire

# The awsemu module (set by awsemu.py when it imports this one): its key
# store, SigV4 header parser and lazily imported botocore.
core = None

NS = "http://s3.amazonaws.com/doc/2006-03-01/"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
UNSIGNED = "UNSIGNED-PAYLOAD"

MSG = {
    "NoSuchBucket": "The specified bucket does not exist",
    "NoSuchKey": "The specified key does not exist.",
    "AccessDenied": "Access Denied",
    "InvalidRange": "The requested range is not satisfiable",
    "SlowDown": "Please reduce your request rate.",
    "InternalError": "We encountered an internal error. Please try again.",
    "PermanentRedirect": "The bucket you are attempting to access must be "
                         "addressed using the specified endpoint. Please "
                         "send all future requests to this endpoint.",
    "SignatureDoesNotMatch": "The request signature we calculated does not "
                             "match the signature you provided. Check your "
                             "key and signing method.",
    "ExpiredToken": "The provided token has expired.",
    "InvalidToken": "The provided token is malformed or otherwise invalid.",
    "InvalidAccessKeyId": "The AWS Access Key Id you provided does not "
                          "exist in our records.",
    "RequestTimeTooSkewed": "The difference between the request time and "
                            "the current time is too large.",
}

FAULT_OPS = ("ListObjectsV2", "GetObject", "HeadObject", "HeadBucket",
             "GetBucketLocation", "ListBuckets")

_lock = threading.RLock()


class S3Error(Exception):
    """An S3 error answer: status, code, message and extra elements."""

    def __init__(self, status, code, message=None, headers=None, **extra):
        Exception.__init__(self, code)
        self.status = status
        self.code = code
        self.message = MSG.get(code, "") if message is None else message
        self.headers = headers or {}
        self.extra = extra


def xesc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def http_date(ts):
    return email.utils.formatdate(ts, usegmt=True)


def iso_ms(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc) \
        .strftime("%Y-%m-%dT%H:%M:%S.000Z")


# ---------------------------------------------------------------- objects

class Obj:
    """One object: bytes, metadata, and the ground truth about it."""
    __slots__ = ("key", "body", "mtime", "etag", "meta", "ctype", "kms_key",
                 "records", "kind", "cenc")

    def __init__(self, key, body, mtime, meta=None, ctype=None,
                 kms_key=None, records=None, kind="other", cenc=None):
        self.key = key
        self.body = body
        self.mtime = int(mtime)
        self.etag = '"%s"' % hashlib.md5(body).hexdigest()
        self.meta = dict(meta or {})
        self.ctype = ctype or "binary/octet-stream"
        self.kms_key = kms_key
        self.records = records
        self.kind = kind
        self.cenc = cenc


def count_records(body):
    """Records in a CloudTrail log file (gzip or plain JSON), else None."""
    try:
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        d = json.loads(body)
        r = d.get("Records") if isinstance(d, dict) else None
        return len(r) if isinstance(r, list) else None
    except (ValueError, OSError, EOFError, RecursionError):
        return None


def dir_objects(root):
    """Every file under root as an object keyed by its relative path."""
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            key = os.path.relpath(p, root).replace(os.sep, "/")
            with open(p, "rb") as fh:
                body = fh.read()
            n = count_records(body) if ".json" in f else None
            out.append(Obj(key, body, os.stat(p).st_mtime, records=n,
                           kind="log" if n is not None and
                           "/CloudTrail/" in "/" + key else "other"))
    return out


class Bucket:
    def __init__(self, name, region, objs, opts):
        self.name = name
        self.region = region
        self.opts = opts
        self.objs = {o.key: o for o in objs}
        self.keys = sorted(self.objs, key=lambda k: k.encode("utf-8"))
        self.bkeys = [k.encode("utf-8") for k in self.keys]
        self.created = opts.get("created", 1577836800)
        self.integrity = None     # a trail bucket's: integrity.build


def s3cfg(st):
    return st.cfg.get("s3") or {}


def buckets(st):
    """name -> Bucket, built once per configuration and data generation."""
    cfg = s3cfg(st)
    raw, gen = st.cfg.get("s3"), st.data_gen
    with _lock:
        # The configuration object itself is kept (not its id, which a new
        # one could reuse): a patch replaces it, and that rebuilds.
        cache = getattr(st, "_s3_buckets", None)
        if cache is not None and cache[0] is raw and cache[1] == gen:
            return cache[2]
    out = {}
    for name, b in (cfg.get("buckets") or {}).items():
        objs = []
        for key, o in (b.get("objects") or {}).items():
            if isinstance(o, str):
                o = {"body": o}
            body = base64.b64decode(o["body_b64"]) if "body_b64" in o \
                else str(o.get("body", "")).encode("utf-8")
            objs.append(Obj(key, body, o.get("mtime", 1704067200),
                            meta=o.get("meta"), ctype=o.get("content_type"),
                            kms_key=o.get("kms_key"),
                            records=count_records(body)))
        if b.get("dir"):
            objs += dir_objects(b["dir"])
        out[name] = Bucket(name, b.get("region", "us-east-1"), objs, b)
    for t in trail.trails(st):
        if t["bucket"] in out:
            continue
        objs, truth = trail.bucket_objects(st, t, Obj)
        out[t["bucket"]] = Bucket(t["bucket"], t["bucket_region"], objs, t)
        out[t["bucket"]].integrity = truth
    with _lock:
        st._s3_buckets = (raw, gen, out)
    return out


def counters(st):
    with _lock:
        c = getattr(st, "_s3_counts", None)
        if c is None:
            c = st._s3_counts = {"gets": {}, "ok": {}, "heads": {},
                                 "requests": {}, "errors": {}}
        return c


def bump(st, what, k, n=1):
    c = counters(st)
    with _lock:
        c[what][k] = c[what].get(k, 0) + n


def reset(st):
    with _lock:
        st._s3_counts = None


def snapshot(st, bucket=None):
    """The ground truth: objects, records per object, GETs per object."""
    c = counters(st)
    out = {}
    for name, b in sorted(buckets(st).items()):
        if bucket is not None and name != bucket:
            continue
        objs = {}
        for k in b.keys:
            o = b.objs[k]
            objs[k] = {"size": len(o.body), "etag": o.etag,
                       "records": o.records, "kind": o.kind,
                       "gets": c["gets"].get((name, k), 0),
                       "ok": c["ok"].get((name, k), 0),
                       "heads": c["heads"].get((name, k), 0)}
        out[name] = {"region": b.region, "objects": objs,
                     "records": sum(o["records"] or 0 for o in objs.values()
                                    if o["kind"] == "log")}
    with _lock:
        req = dict(c["requests"])
        err = dict(c["errors"])
    return {"buckets": out, "requests": req, "errors": err}


def object_body(st, bucket, key):
    b = buckets(st).get(bucket)
    o = b.objs.get(key) if b else None
    return None if o is None else o.body


# ---------------------------------------------------------------- routing

def parse_host(host):
    """(bucket or None, region or None) from a Host header: virtual-hosted
    BUCKET.s3[.-]REGION.amazonaws.com, BUCKET.s3.amazonaws.com,
    BUCKET.localhost; path-style hosts give no bucket."""
    h = host.rsplit(":", 1)[0] if not host.startswith("[") else host
    h = h.lower()
    if h.endswith(".localhost"):
        return h[:-len(".localhost")], None
    if not h.endswith(".amazonaws.com"):
        return None, None
    parts = h[:-len(".amazonaws.com")].split(".")
    for i, p in enumerate(parts):
        if p == "s3" or p.startswith("s3-"):
            region = parts[i + 1] if p == "s3" and i + 1 < len(parts) else \
                (p[3:] if p.startswith("s3-") else None)
            bucket = ".".join(parts[:i]) or None
            return bucket, region
    return None, None


def wants(handler, method, scope):
    """Is this request for S3?  Signed for service s3, presigned, sent to
    an S3 host name, or an unsigned GET/HEAD of a path (the other
    unsigned GETs, credentials endpoints and control, are routed before)."""
    if scope is not None:
        return scope["service"] == "s3"
    q = split_target(handler.path)[1]
    if "X-Amz-Credential=" in q:
        return "%2Fs3%2F" in q or "/s3/" in q
    host = handler.headers.get("Host", "")
    if parse_host(host)[0] is not None or \
            host.split(":")[0].lower().startswith("s3."):
        return True
    if method == "HEAD":
        return True
    return method == "GET" and split_target(handler.path)[0] != "/"


def split_target(target):
    """(path, query) of a request target as sent: a path that starts with
    // is a path, not an authority (urlsplit would take it for one)."""
    path, _, query = target.partition("?")
    return path.split("#", 1)[0] or "/", query


def canonical_path(raw):
    """S3's canonical URI: the decoded path, each byte outside the RFC
    3986 unreserved set percent-encoded once, '/' kept, no normalization."""
    return urllib.parse.quote(urllib.parse.unquote_to_bytes(raw),
                              safe="/-_.~")


def canonical_query(raw):
    out = []
    for pair in raw.split("&") if raw else []:
        k, _, v = pair.partition("=")
        out.append(urllib.parse.quote(urllib.parse.unquote(k), safe="-_.~")
                   + "=" + urllib.parse.quote(urllib.parse.unquote(v),
                                              safe="-_.~"))
    return "&".join(out)


# ---------------------------------------------------------------- answers

def error_xml(e, rid, host_id):
    parts = ["<Code>%s</Code><Message>%s</Message>" % (
        xesc(e.code), xesc(e.message))]
    for k, v in e.extra.items():
        parts.append("<%s>%s</%s>" % (k.replace("_", "-"), xesc(v),
                                       k.replace("_", "-")))
    parts.append("<RequestId>%s</RequestId><HostId>%s</HostId>" % (
        rid, host_id))
    return XML_HEAD + "<Error>" + "".join(parts) + "</Error>"


def handle(h, method, body):
    """Answer one S3 request on handler h."""
    st = h.st
    rid = os.urandom(8).hex().upper()
    host_id = base64.b64encode(os.urandom(48)).decode()
    base = [("x-amz-request-id", rid), ("x-amz-id-2", host_id)]
    head = method == "HEAD"
    cfg = s3cfg(st)
    lat = float(cfg.get("latency") or 0)
    if lat > 0:
        time.sleep(lat)
    raw_path, query = split_target(h.path)
    q = urllib.parse.parse_qs(query, keep_blank_values=True)
    q = {k: v[0] for k, v in q.items()}
    host = h.headers.get("Host", "")
    vbucket, _ = parse_host(host)
    if vbucket is not None:
        bucket, rawkey = vbucket, raw_path[1:]
    else:
        bucket, _, rawkey = raw_path[1:].partition("/")
        bucket = urllib.parse.unquote(bucket) or (
            None if not rawkey else "")
    key = urllib.parse.unquote(rawkey)
    if bucket is None:
        op = "ListBuckets"
    elif key:
        op = "HeadObject" if head else "GetObject"
    elif head:
        op = "HeadBucket"
    elif "location" in q:
        op = "GetBucketLocation"
    else:
        op = "ListObjectsV2" if q.get("list-type") == "2" else "ListObjects"
    scope = h_scope(h)
    akid = scope["akid"] if scope else None
    b = buckets(st).get(bucket) if bucket else None
    region = b.region if b else (scope["region"] if scope else "us-east-1")
    bump(st, "requests", op)
    with st.lock:
        st.ops["s3:%s" % op] += 1
    status = 200
    fault = None
    try:
        if method not in ("GET", "HEAD"):
            raise S3Error(405, "MethodNotAllowed", "The specified method is "
                          "not allowed against this resource.",
                          Method=method, ResourceType="OBJECT")
        ak = authenticate(h, body, scope, b, bucket, op, host)
        fault = st.pick_fault(region, op, lambda rule: rule_matches(
            rule, bucket, key))
        if fault is not None:
            inject(h, fault, ak)
        if op == "ListBuckets":
            status, hdrs, out = list_buckets(st, ak)
        elif b is None:
            raise S3Error(404, "NoSuchBucket", BucketName=bucket)
        elif op == "HeadBucket":
            status, hdrs, out = 200, [("x-amz-bucket-region", b.region),
                                      ("x-amz-access-point-alias",
                                       "false")], b""
        elif op == "GetBucketLocation":
            loc = "" if b.region == "us-east-1" else b.region
            out = XML_HEAD + ('<LocationConstraint xmlns="%s">%s'
                              '</LocationConstraint>' % (NS, loc)
                              if loc else
                              '<LocationConstraint xmlns="%s"/>' % NS)
            status, hdrs = 200, [("Content-Type", "application/xml")]
        elif op in ("ListObjectsV2", "ListObjects"):
            check_denied(st, b, "", ak, list_op=True)
            status, hdrs, out = list_objects(b, q, op)
        else:
            status, hdrs, out = get_object(h, st, b, key, head, ak)
        if isinstance(out, str):
            out = out.encode("utf-8")
        wire.send(h, status, base + hdrs, out, head,
             fault if fault and fault["kind"] in (
                 "reset", "reset_mid", "truncate", "stall") else None)
        if op == "GetObject" and status in (200, 206) and (
                fault is None or fault["kind"] not in (
                    "reset", "reset_mid", "truncate")):
            bump(st, "ok", (bucket, key))
    except Handled:
        pass
    except S3Error as e:
        status = e.status
        bump(st, "errors", e.code)
        out = b"" if head else error_xml(e, rid, host_id).encode()
        hdrs = list(e.headers.items())
        if not head:
            hdrs.append(("Content-Type", "application/xml"))
        wire.send(h, e.status, base + hdrs, out, head,
             fault if fault and fault["kind"] == "reset" and
             e.code != "ExpiredToken" else None)
    h.log_req("s3", op, region, akid, status)


def h_scope(h):
    scope = core.parse_auth(h.headers.get("Authorization", ""))
    if scope is None:
        q = urllib.parse.parse_qs(split_target(h.path)[1])
        if "X-Amz-Credential" in q:
            cred = q["X-Amz-Credential"][0].split("/")
            if len(cred) == 5:
                scope = {"akid": cred[0], "date": cred[1],
                         "region": cred[2], "service": cred[3],
                         "signed_headers": q.get("X-Amz-SignedHeaders",
                                                 [""])[0].split(";"),
                         "signature": q.get("X-Amz-Signature", [""])[0],
                         "presigned": True}
    return scope


def rule_matches(rule, bucket, key):
    """A fault rule's "keys" (a list of "BUCKET/PREFIX") limit it to the
    objects (and listings) of those buckets whose keys start with PREFIX;
    rules without it apply to every S3 request of their ops."""
    ks = rule.get("keys")
    if ks is None:
        return True
    for spec in ks:
        b, _, p = spec.partition("/")
        if b == bucket and (key or "").startswith(p):
            return True
    return False


def inject(h, fault, key):
    kind = fault["kind"]
    if kind == "http500":
        raise S3Error(500, "InternalError")
    if kind in ("http503", "throttle"):
        raise S3Error(503, "SlowDown")
    if kind == "expired":
        raise S3Error(400, "ExpiredToken",
                      Token_0=key.get("session_token") or "")
    if kind == "bad_signature":
        raise S3Error(403, "SignatureDoesNotMatch")
    if kind == "slow":
        time.sleep(float(fault.get("seconds", h.st.cfg["faults"].get(
            "slow_seconds", 3.0))))
    if kind == "garbage":
        body = b"<html><body>\x00\xff garbage {{{ not xml"
        h.send_response(200)
        h.send_header("Content-Type", "application/xml")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
        raise Handled()


class Handled(Exception):
    pass


# ---------------------------------------------------------------- auth

def authenticate(h, body, scope, b, bucket, op, host):
    """The caller's key, or the S3 error AWS gives, in S3's order: no
    signature, malformed header, unknown key, no such bucket, wrong
    region, clock skew, signature, session token, expiry."""
    st = h.st
    auth = h.headers.get("Authorization", "")
    if scope is None:
        if auth:
            raise S3Error(400, "InvalidArgument", "Unsupported Authorization "
                          "Type", ArgumentName="Authorization",
                          ArgumentValue=auth.split(" ")[0])
        if bucket is not None and b is None:
            raise S3Error(404, "NoSuchBucket", BucketName=bucket)
        raise S3Error(403, "AccessDenied")
    if scope.get("presigned"):
        raise S3Error(403, "AccessDenied", "Presigned URLs are not "
                      "emulated")
    if not scope["akid"] or len(scope["date"]) != 8:
        raise S3Error(400, "AuthorizationHeaderMalformed",
                      "The authorization header is malformed; the "
                      "Credential is mal-formed; expecting \"<YOUR-AKID>/"
                      "YYYYMMDD/REGION/SERVICE/aws4_request\".",
                      Region=b.region if b else "us-east-1")
    with st.lock:
        key = st.keys.get(scope["akid"])
    if key is None:
        raise S3Error(403, "InvalidAccessKeyId",
                      AWSAccessKeyId=scope["akid"])
    if bucket is not None and b is None:
        raise S3Error(404, "NoSuchBucket", BucketName=bucket)
    if b is not None and scope["region"] != b.region and \
            op != "GetBucketLocation":
        wrong = b.opts.get("wrong_region")
        if wrong is None:
            wrong = "AuthorizationHeaderMalformed" if \
                host.split(":")[0].lower().endswith("s3.amazonaws.com") \
                else "PermanentRedirect"
        if wrong == "AuthorizationHeaderMalformed":
            raise S3Error(400, wrong, "The authorization header is "
                          "malformed; the region '%s' is wrong; expecting "
                          "'%s'" % (scope["region"], b.region),
                          headers={"x-amz-bucket-region": b.region},
                          Region=b.region)
        raise S3Error(301, "PermanentRedirect",
                      headers={"x-amz-bucket-region": b.region},
                      Endpoint="%s.s3.%s.amazonaws.com" % (b.name,
                                                           b.region),
                      Bucket=b.name)
    amzdate = h.headers.get("X-Amz-Date", "")
    try:
        ts = datetime.datetime.strptime(amzdate, "%Y%m%dT%H%M%SZ") \
            .replace(tzinfo=datetime.timezone.utc).timestamp()
    except ValueError:
        raise S3Error(403, "AccessDenied", "AWS authentication requires a "
                      "valid Date or x-amz-date header")
    now = time.time()
    skew = float(st.cfg.get("clock_skew_max", 900))
    if abs(now - ts) > skew:
        with st.lock:
            st.auth_errors["skew"] += 1
        raise S3Error(403, "RequestTimeTooSkewed", RequestTime=amzdate,
                      ServerTime=datetime.datetime.fromtimestamp(
                          now, datetime.timezone.utc).strftime(
                          "%Y-%m-%dT%H:%M:%SZ"),
                      MaxAllowedSkewMilliseconds=int(skew * 1000))
    sha = h.headers.get("X-Amz-Content-SHA256")
    if sha is None:
        raise S3Error(400, "InvalidRequest", "Missing required header for "
                      "this request: x-amz-content-sha256")
    if sha != UNSIGNED and not sha.startswith("STREAMING-") and \
            sha != hashlib.sha256(body).hexdigest():
        raise S3Error(400, "XAmzContentSHA256Mismatch", "The provided "
                      "'x-amz-content-sha256' header does not match what "
                      "was computed.", ClientComputedContentSHA256=sha,
                      S3ComputedContentSHA256=hashlib.sha256(
                          body).hexdigest())
    ok, creq, sts = signature_ok(h, body, scope, key, amzdate)
    if not ok:
        with st.lock:
            st.auth_errors["bad_signature"] += 1
        e = S3Error(403, "SignatureDoesNotMatch", AWSAccessKeyId=key["id"])
        if creq is not None:
            e.extra.update({
                "StringToSign": sts, "SignatureProvided": scope["signature"],
                "StringToSignBytes": " ".join("%02x" % c
                                              for c in sts.encode()),
                "CanonicalRequest": creq,
                "CanonicalRequestBytes": " ".join("%02x" % c
                                                  for c in creq.encode())})
        raise e
    tok = h.headers.get("X-Amz-Security-Token")
    if (key["session_token"] is not None and tok != key["session_token"]) \
            or (key["session_token"] is None and tok):
        raise S3Error(400, "InvalidToken", Token_0=tok or "")
    if key.get("expires_at") is not None and time.time() >= \
            key["expires_at"]:
        with st.lock:
            st.auth_errors["expired"] += 1
        raise S3Error(400, "ExpiredToken", Token_0=tok or "")
    return key


def signature_ok(h, body, scope, key, amzdate):
    """(ok, canonical request, string to sign) computed by botocore's
    S3SigV4Auth over S3's canonical form of the request as received."""
    bc = core.botocore_auth()
    if scope["date"] != amzdate[:8] or "host" not in scope["signed_headers"]:
        return False, None, None
    signed = scope["signed_headers"]
    hdrs = bc.awsrequest.HTTPHeaders()
    for name in signed:
        vals = h.headers.get_all(name)
        if vals is None:
            return False, None, None
        for v in vals:
            hdrs[name] = v
    if "x-amz-content-sha256" not in signed:
        hdrs["X-Amz-Content-SHA256"] = h.headers.get("X-Amz-Content-SHA256")
    path, query = split_target(h.path)
    url = "http://%s%s" % (h.headers.get("Host", "localhost"),
                           canonical_path(path))
    cq = canonical_query(query)
    if cq:
        url += "?" + cq
    req = bc.awsrequest.AWSRequest(method=h.command, url=url, data=body)
    req.headers = hdrs
    req.context["timestamp"] = amzdate
    creds = bc.credentials.Credentials(key["id"], key["secret"],
                                       key["session_token"])

    signer = exact_signer(bc.auth.S3SigV4Auth, creds, "s3", scope["region"],
                          signed)
    creq = signer.canonical_request(req)
    sts = signer.string_to_sign(req, creq)
    want = signer.signature(sts, req)
    if h.server.verbose:
        import sys
        sys.stderr.write("awsemu: s3 canonical request:\n%s\n" % creq)
    return hmac.compare_digest(want, scope["signature"]), creq, sts


def check_denied(st, b, key, ak, list_op=False):
    """AccessDenied for configured bucket/prefix rules (deny: list of
    "BUCKET/PREFIX"; a rule ending at a key denies that key only when it
    names it exactly or a prefix of it)."""
    for rule in s3cfg(st).get("deny") or []:
        rb, _, rp = rule.partition("/")
        if rb != b.name:
            continue
        if list_op:
            if rp == "":
                raise S3Error(403, "AccessDenied")
            continue
        if key.startswith(rp):
            raise S3Error(403, "AccessDenied")


# ---------------------------------------------------------------- ops

def list_buckets(st, ak):
    bs = buckets(st)
    parts = ["<Bucket><Name>%s</Name><CreationDate>%s</CreationDate>"
             "</Bucket>" % (xesc(n), iso_ms(bs[n].created))
             for n in sorted(bs)]
    out = (XML_HEAD + '<ListAllMyBucketsResult xmlns="%s"><Owner><ID>%s'
           '</ID><DisplayName>emulator</DisplayName></Owner><Buckets>%s'
           '</Buckets></ListAllMyBucketsResult>' % (
               NS, hashlib.sha256(ak["account"].encode()).hexdigest(),
               "".join(parts)))
    return 200, [("Content-Type", "application/xml")], out


def token_of(key):
    raw = b"emu1\x00" + key.encode("utf-8")
    return base64.b64encode(raw + hashlib.sha256(raw).digest()[:8]).decode()


def key_of_token(tok):
    try:
        raw = base64.b64decode(tok.encode(), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    body, mac = raw[:-8], raw[-8:]
    if not body.startswith(b"emu1\x00") or \
            hashlib.sha256(body).digest()[:8] != mac:
        return None
    return body[5:].decode("utf-8", "replace")


def list_objects(b, q, op):
    """ListObjectsV2 (and v1, with marker) over the bucket's keys in
    UTF-8 binary order, CommonPrefixes folded in, MaxKeys counting both."""
    v2 = op == "ListObjectsV2"
    prefix = q.get("prefix", "")
    delim = q.get("delimiter", "")
    enc = q.get("encoding-type")
    if enc is not None and enc != "url":
        raise S3Error(400, "InvalidArgument", "Invalid Encoding Method "
                      "specified in Request", ArgumentName="encoding-type",
                      ArgumentValue=enc)
    mk = q.get("max-keys", "1000")
    try:
        maxkeys = int(mk)
        if maxkeys < 0:
            raise ValueError
    except ValueError:
        raise S3Error(400, "InvalidArgument", "Provided max-keys not an "
                      "integer or within integer range",
                      ArgumentName="max-keys", ArgumentValue=mk)
    maxkeys = min(maxkeys, 1000)
    ctok = q.get("continuation-token") if v2 else None
    after = q.get("start-after", "") if v2 else q.get("marker", "")
    if ctok is not None:
        k = key_of_token(ctok)
        if k is None:
            raise S3Error(400, "InvalidArgument", "The continuation token "
                          "provided is incorrect",
                          ArgumentName="continuation-token")
        after = max(after, k, key=lambda s: s.encode("utf-8"))
    import bisect
    keys = b.keys
    lo = bisect.bisect_left(b.bkeys, prefix.encode("utf-8"))
    contents, prefixes = [], []
    truncated = False
    last = None
    i = lo
    ab = after.encode("utf-8")
    n = len(keys) if maxkeys > 0 else 0     # max-keys=0: nothing, done
    while i < n:
        k = keys[i]
        if not k.startswith(prefix):
            break
        if ab and k.encode("utf-8") <= ab:
            i += 1
            continue
        cp = None
        if delim:
            j = k.find(delim, len(prefix))
            if j >= 0:
                cp = k[:j + len(delim)]
        if cp is not None and cp.encode("utf-8") <= ab:
            i += 1
            continue
        if len(contents) + len(prefixes) >= maxkeys:
            truncated = True
            break
        if cp is not None:
            prefixes.append(cp)
            last = cp
            # skip every key under this common prefix
            while i < n and keys[i].startswith(cp):
                i += 1
            continue
        contents.append(b.objs[k])
        last = k
        i += 1

    def e(s):
        return urllib.parse.quote_plus(s, safe="/") if enc == "url" else s

    parts = ['<ListBucketResult xmlns="%s">' % NS,
             "<Name>%s</Name>" % xesc(b.name),
             "<Prefix>%s</Prefix>" % xesc(e(prefix))]
    if v2:
        if ctok is not None:
            parts.append("<ContinuationToken>%s</ContinuationToken>"
                         % xesc(ctok))
        if truncated:
            parts.append("<NextContinuationToken>%s</NextContinuationToken>"
                         % xesc(token_of(last)))
        parts.append("<KeyCount>%d</KeyCount>" % (len(contents) +
                                                  len(prefixes)))
    else:
        parts.append("<Marker>%s</Marker>" % xesc(e(after)))
        if truncated and delim:
            parts.append("<NextMarker>%s</NextMarker>" % xesc(e(last)))
    parts.append("<MaxKeys>%d</MaxKeys>" % maxkeys)
    if delim:
        parts.append("<Delimiter>%s</Delimiter>" % xesc(e(delim)))
    if enc:
        parts.append("<EncodingType>url</EncodingType>")
    parts.append("<IsTruncated>%s</IsTruncated>" % (
        "true" if truncated else "false"))
    for o in contents:
        parts.append("<Contents><Key>%s</Key><LastModified>%s</LastModified>"
                     "<ETag>%s</ETag><Size>%d</Size><StorageClass>STANDARD"
                     "</StorageClass></Contents>" % (
                         xesc(e(o.key)), iso_ms(o.mtime), xesc(o.etag),
                         len(o.body)))
    for p in prefixes:
        parts.append("<CommonPrefixes><Prefix>%s</Prefix></CommonPrefixes>"
                     % xesc(e(p)))
    if v2 and q.get("start-after"):
        parts.append("<StartAfter>%s</StartAfter>" % xesc(
            e(q["start-after"])))
    parts.append("</ListBucketResult>")
    return 200, [("Content-Type", "application/xml")], \
        XML_HEAD + "".join(parts)


def parse_range(spec, size):
    """(start, end) inclusive, None for "whole object" (absent, not
    bytes=, or several ranges: S3 answers those with the whole object),
    or S3Error InvalidRange when it cannot be satisfied."""
    if not spec or not spec.startswith("bytes="):
        return None
    r = spec[6:].strip()
    if "," in r:
        return None
    a, dash, z = r.partition("-")
    if not dash:
        return None
    try:
        if a == "":
            n = int(z)
            if n < 0:
                return None
            if n == 0 or size == 0:
                raise S3Error(416, "InvalidRange", RangeRequested=spec,
                              ActualObjectSize=size)
            return max(0, size - n), size - 1
        start = int(a)
        end = int(z) if z != "" else size - 1
    except ValueError:
        return None
    if start < 0 or (z != "" and end < start):
        return None
    if start >= size:
        raise S3Error(416, "InvalidRange", RangeRequested=spec,
                      ActualObjectSize=size,
                      headers={"Content-Range": "bytes */%d" % size})
    return start, min(end, size - 1)


def get_object(h, st, b, key, head, ak):
    o = b.objs.get(key)
    check_denied(st, b, key, ak)
    if o is None:
        # Without s3:ListBucket S3 says AccessDenied; with it, NoSuchKey.
        if head:
            raise S3Error(404, "NotFound", "Not Found")
        raise S3Error(404, "NoSuchKey", Key=key)
    bump(st, "heads" if head else "gets", (b.name, key))
    if o.kms_key is not None and not kms_allowed(st, o.kms_key):
        raise S3Error(403, "AccessDenied", "User: %s is not authorized to "
                      "perform: kms:Decrypt on resource: %s because no "
                      "identity-based policy allows the kms:Decrypt action"
                      % (ak["arn"], o.kms_key))
    hdrs = [("Last-Modified", http_date(o.mtime)), ("ETag", o.etag),
            ("Accept-Ranges", "bytes"), ("Content-Type", o.ctype)]
    if o.cenc:
        hdrs.append(("Content-Encoding", o.cenc))
    if o.kms_key is not None:
        hdrs += [("x-amz-server-side-encryption", "aws:kms"),
                 ("x-amz-server-side-encryption-aws-kms-key-id", o.kms_key)]
    else:
        hdrs.append(("x-amz-server-side-encryption", "AES256"))
    for k, v in o.meta.items():
        hdrs.append(("x-amz-meta-" + k.lower(), v))
    inm = h.headers.get("If-None-Match")
    if inm is not None and inm.strip() in (o.etag, "*"):
        return 304, [x for x in hdrs if x[0] != "Content-Type"], b""
    im = h.headers.get("If-Match")
    if im is not None and im.strip() not in (o.etag, "*"):
        raise S3Error(412, "PreconditionFailed", "At least one of the "
                      "pre-conditions you specified did not hold",
                      Condition="If-Match")
    rng = parse_range(h.headers.get("Range"), len(o.body))
    if rng is None:
        return 200, hdrs, o.body
    a, z = rng
    hdrs.append(("Content-Range", "bytes %d-%d/%d" % (a, z, len(o.body))))
    return 206, hdrs, o.body[a:z + 1]


def kms_allowed(st, kms_key):
    """kms:Decrypt is allowed on every key but those listed in
    s3.kms_denied (a list of key ARNs, or true for all)."""
    d = s3cfg(st).get("kms_denied", True)
    if d is True:
        return False
    return kms_key not in (d or [])


# ---------------------------------------------------------------- control

def control(h, path, q):
    """GET /_emu/s3[?bucket=B]: the ground truth (snapshot); GET
    /_emu/s3/object?bucket=B&key=K: the object's bytes as stored."""
    st = h.st
    if path == "/_emu/s3":
        b = q.get("bucket", [None])[0]
        return h.send(200, json.dumps(snapshot(st, b), indent=1),
                      "application/json")
    if path == "/_emu/s3/integrity":
        b = q.get("bucket", [None])[0]
        out = {name: bk.integrity for name, bk in sorted(buckets(st).items())
               if bk.integrity is not None and b in (None, name)}
        return h.send(200, json.dumps({"buckets": out}, indent=1),
                      "application/json")
    if path == "/_emu/s3/object":
        body = object_body(st, q.get("bucket", [""])[0],
                           q.get("key", [""])[0])
        if body is not None:
            return h.send(200, body, "application/octet-stream")
    return h.send(404, '{"error":"no such control endpoint or object"}',
                  "application/json")


def add_args(ap):
    ap.add_argument("--s3-latency", type=float, metavar="SECONDS",
                    help="S3: wait this long before answering each request")
    ap.add_argument("--s3-dir", action="append", default=[],
                    metavar="BUCKET[@REGION]=DIR",
                    help="S3: serve folder DIR (e.g. one holding AWSLogs/) "
                    "as BUCKET")
    ap.add_argument("--trail", metavar="BUCKET[@REGION]",
                    help="a multi-region trail delivering to BUCKET, whose "
                    "contents are generated from the LookupEvents data")
    ap.add_argument("--tamper", action="append", default=[],
                    metavar="KIND[:COUNT[:SEED[:MATCH]]]",
                    help="tamper with the --trail bucket (or s3.trail's): "
                    "%s" % ", ".join(integrity.TAMPER_KINDS))
    ap.add_argument("--key-rotation", metavar="TIME",
                    help="digests end before TIME signed with the first "
                    "key, the others with the second (default: the middle "
                    "of the data)")
    ap.add_argument("--s3-deny", action="append", default=[],
                    metavar="BUCKET/PREFIX",
                    help="S3: AccessDenied on keys starting with PREFIX")


def apply_args(a, cfg):
    integrity.prepare()
    s3 = dict(cfg.get("s3") or {})
    if a.s3_latency is not None:
        s3["latency"] = a.s3_latency
    bks = dict(s3.get("buckets") or {})
    for spec in a.s3_dir:
        name, _, d = spec.partition("=")
        name, _, region = name.partition("@")
        bks[name] = {"dir": d, "region": region or "us-east-1"}
    if bks:
        s3["buckets"] = bks
    if a.trail:
        name, _, region = a.trail.partition("@")
        s3["trail"] = {"bucket": name}
        if region:
            s3["trail"]["bucket_region"] = region
    if a.tamper:
        if not s3.get("trail"):
            raise SystemExit("awsemu.py: --tamper needs --trail or s3.trail")
        s3["trail"] = dict(s3["trail"]) if isinstance(s3["trail"], dict) \
            else {"bucket": s3["trail"]}
        try:
            s3["trail"]["tamper"] = list(s3["trail"].get("tamper") or []) + \
                [integrity.parse_spec(x) for x in a.tamper]
        except ValueError as e:
            raise SystemExit("awsemu.py: --tamper: %s" % e)
    if a.key_rotation:
        s3["key_rotation"] = a.key_rotation
    if a.s3_deny:
        s3["deny"] = list(s3.get("deny") or []) + a.s3_deny
    if s3:
        cfg["s3"] = s3


S3_KEYS = ("buckets", "trail", "trails", "latency", "deny", "kms_denied",
           "key_rotation")
BUCKET_KEYS = ("region", "objects", "dir", "wrong_region", "created")
OBJECT_KEYS = ("body", "body_b64", "meta", "content_type", "kms_key",
               "mtime")


def validate(cfg):
    """ValueError on an unknown key anywhere in the s3 configuration (a
    typo must not pass silently)."""
    if cfg is None:
        return
    if not isinstance(cfg, dict):
        raise ValueError("s3 must be a JSON object")
    for k in cfg:
        if k not in S3_KEYS:
            raise ValueError("unknown s3 key %r (known: %s)" % (
                k, ", ".join(S3_KEYS)))
    for name, b in (cfg.get("buckets") or {}).items():
        for k in b:
            if k not in BUCKET_KEYS:
                raise ValueError("s3 bucket %s: unknown key %r" % (name, k))
        if b.get("dir") is not None and not os.path.isdir(b["dir"]):
            raise ValueError("s3 bucket %s: dir %r is not a folder" % (
                name, b["dir"]))
        if b.get("wrong_region") not in (None, "PermanentRedirect",
                                         "AuthorizationHeaderMalformed"):
            raise ValueError("s3 bucket %s: wrong_region is neither "
                             "PermanentRedirect nor "
                             "AuthorizationHeaderMalformed" % name)
        for key, o in (b.get("objects") or {}).items():
            for k in (o if isinstance(o, dict) else {}):
                if k not in OBJECT_KEYS:
                    raise ValueError("s3 object %s/%s: unknown key %r" % (
                        name, key, k))
    ts = list(cfg.get("trails") or []) + (
        [cfg["trail"]] if cfg.get("trail") else [])
    for t in ts:
        for k in (t if isinstance(t, dict) else {}):
            if k not in trail.DEFAULT:
                raise ValueError("s3 trail: unknown key %r (known: %s)" % (
                    k, ", ".join(trail.DEFAULT)))
        if isinstance(t, dict):
            integrity.validate_specs(t.get("tamper"))
            for k in ("digests_until",):
                if t.get(k) is not None:
                    integrity.parse_time(t[k])
    if cfg.get("key_rotation") is not None:
        integrity.parse_time(cfg["key_rotation"])
