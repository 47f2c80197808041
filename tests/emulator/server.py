# server.py - the emulator's HTTP server: connections, request routing,
# the control endpoint (/_emu/...), the AWS dispatch of STS, EC2 and
# CloudTrail (authenticate, region, limiter, fault) and the error bodies.
#
# Handler is http.server's request handler with one mixin per service
# (sts.py, ec2.py, cloudtrail.py, creds.py) and the SigV4 verifier
# (sigv4.py); S3 requests go to s3.py.  It owns no state: everything it
# counts or reads is the State's (state.py, self.st).  The arrival time of
# a request, the limiter's clock, is the kernel's receive time of its
# first bytes (TimestampReader), so that neither thread start-up nor CPU
# load shifts it.  A fault is picked after authentication and the limiter
# (a faulted request used its rate slot, as on AWS), then turned into an
# error answer here (inject) or transfer damage in the reply writer
# (wire.py).

import http.server
import io
import json
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
from common import (STS_NS, MSG_EXPIRED, ENDLESS_KINDS, xml_escape, Abort)
from sigv4 import Sigv4, parse_auth
from sts import Sts             # one module per service, mixins of Handler
from ec2 import Ec2
from cloudtrail import CloudTrail
from creds import Creds

CT_TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."
CT_SHAPE = "com.amazonaws.cloudtrail.v20131101#"
CT_CTYPE = "application/x-amz-json-1.1"


def req_id():
    return str(uuid.uuid4())


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
