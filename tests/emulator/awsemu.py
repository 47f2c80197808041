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
# This file is the entry point and nothing else: the command line (every
# option in parse_args, turned into a configuration by config_from_args,
# which the config file's keys underlie), then the pieces built in order:
# the State (state.py: configuration, keys, counters, limiter, faults,
# over the event store events.py), the HTTP server and its request Handler
# (server.py, with one module per service: sts.py, ec2.py, cloudtrail.py,
# creds.py, s3.py, trail.py; the SigV4 verifier sigv4.py; the reply writer
# wire.py), the ready files, and the serving loop.  `awsemu.py gen` prints
# the generator's records (gen.py).
#
# Usage: awsemu.py [--config FILE] [--port N] [--port-file F] [--env-file F]
#                  [options]          (run: awsemu.py --help)
#        awsemu.py gen --region R --count N --start T --end T [--seed S]
#
# Debian's python3 only (python3-botocore); no other dependency.

import argparse
import json
import os
import ssl
import sys
import threading
import time

import s3 as s3mod          # S3's options: s3.py
from common import parse_time
from gen import gen_events
from server import Server, Handler
from sigv4 import botocore_auth
from state import State, FAULT_KINDS


def parse_args(argv):
    """The command line: ("gen", args) or ("serve", args); exits on a
    usage error.  Every option of either command is declared here."""
    if argv and argv[0] == "gen":
        ap = argparse.ArgumentParser(prog="awsemu.py gen",
                                     description="print synthetic CloudTrail "
                                     "records (NDJSON) for one region")
        ap.add_argument("--region", required=True)
        ap.add_argument("--count", type=int, required=True)
        ap.add_argument("--start", required=True, help="ISO 8601 or epoch")
        ap.add_argument("--end", required=True, help="ISO 8601 or epoch")
        ap.add_argument("--seed", default="1")
        ap.add_argument("--account", default="123456789012")
        return "gen", ap.parse_args(argv[1:])
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
    for f in a.fault:
        if f.split(":")[0] not in FAULT_KINDS:
            ap.error("unknown fault kind %s" % f.split(":")[0])
    return "serve", a


def config_from_args(a):
    """The configuration: the --config file's, the options over it; exits
    when the file cannot be read."""
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
    return cfg


def shq(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def write_atomically(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


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
    cmd, a = parse_args(argv)
    if cmd == "gen":
        for line in gen_events(a.region, a.count, parse_time(a.start),
                               parse_time(a.end), a.seed, a.account):
            sys.stdout.write(line + "\n")
        return 0
    cfg = config_from_args(a)
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
        write_atomically(a.env_file,
                         "EMU_PORT=%d\nEMU_URL=%s\nEMU_PID=%d\n"
                         "EMU_KEY_ID=%s\nEMU_SECRET=%s\nEMU_TOKEN=%s\n" % (
                             port, shq("%s://127.0.0.1:%d" % (scheme, port)),
                             os.getpid(), shq(key0.get("id", "")),
                             shq(key0.get("secret", "")),
                             shq(key0.get("session_token") or "")))
    if a.port_file:
        write_atomically(a.port_file, "%d\n" % port)
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
