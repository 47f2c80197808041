# trail.py - the CloudTrail trails of awsemu: DescribeTrails, and the trail
# bucket's contents generated from the very records LookupEvents serves.
#
# CloudTrail delivers a region's records in gzip files of {"Records":[...]}
# about every 5 minutes, named and filed by delivery time (a few minutes
# after the records), so a record at 23:58 can sit in the next day's
# folder:
#   [PREFIX/]AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/
#       ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_UNIQUE.json.gz
# Beside the logs a real bucket holds digests (CloudTrail-Digest/, with
# x-amz-meta-signature metadata), Insights files (CloudTrail-Insight/) and
# whatever people put there; a few of those are generated too, so that a
# reader is tested on what it must skip.  Everything is deterministic for
# the configuration and the data (seeded by trail, account, region and
# time window).

import datetime
import gzip
import hashlib
import json
import random

import integrity
from common import Abort

DEFAULT = {"name": "emu-trail", "bucket": None, "prefix": None,
           "home_region": "us-east-1", "bucket_region": None,
           "multi_region": True, "organization": None, "accounts": None,
           "account": None, "validation": True, "extras": True,
           "content_encoding": None, "delay": [60, 540], "regions": None,
           "tamper": None, "digests_until": None}

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def trails(st):
    """The configured trails (s3.trails, a list, or s3.trail, one), with
    defaults filled in: the account is the first key's, the accounts of
    an organization trail every configured key's."""
    cfg = st.cfg.get("s3") or {}
    raw = list(cfg.get("trails") or [])
    if cfg.get("trail"):
        raw.append(cfg["trail"])
    keys = st.cfg.get("keys") or [{}]
    acct0 = keys[0].get("account", "123456789012")
    out = []
    for r in raw:
        if isinstance(r, str):
            r = {"bucket": r}
        t = dict(DEFAULT)
        t.update(r)
        t["account"] = t["account"] or acct0
        if not t["bucket"]:
            t["bucket"] = "aws-cloudtrail-logs-%s-emu" % t["account"]
        t["bucket_region"] = t["bucket_region"] or t["home_region"]
        if t["organization"] is True:
            t["organization"] = "o-emu0000001"
        if t["accounts"] is None:
            accs = [t["account"]]
            if t["organization"]:
                for k in keys:
                    a = k.get("account", "123456789012")
                    if a not in accs:
                        accs.append(a)
                for a in st.cfg.get("accounts") or {}:
                    if a not in accs:
                        accs.append(a)
            t["accounts"] = accs
        out.append(t)
    return out


def regions_of(st, t):
    if t["regions"] is not None:
        return list(t["regions"])
    if not t["multi_region"]:
        return [t["home_region"]]
    return [r["name"] for r in st.regions() if r["opt_in"] !=
            "not-opted-in"]


def stamp(ts, fmt):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc) \
        .strftime(fmt)


def base_of(t, acct):
    p = (t["prefix"].strip("/") + "/") if t["prefix"] else ""
    p += "AWSLogs/"
    if t["organization"]:
        p += t["organization"] + "/"
    return p + acct + "/"


def gz(text):
    return gzip.compress(text.encode("utf-8"), mtime=0)


def bucket_objects(st, t, Obj):
    """Every object of trail t's bucket (Obj: s3.Obj) and the integrity
    ground truth (integrity.py; None without validation)."""
    objs = []
    d0, d1 = t["delay"]
    enc = t["content_encoding"]
    streams = {}
    for acct in t["accounts"]:
        base = base_of(t, acct)
        for region in regions_of(st, t):
            data = st.data(acct, region)
            batches = {}
            for (ts, _eid, _idx), _rec, line in data.rows:
                batches.setdefault(int(ts // 300), []).append((ts, line))
            logs = streams[(acct, region)] = []
            for batch in sorted(batches):
                rows = batches[batch]
                lines = [x[1] for x in rows]
                rng = random.Random("%s/%s/%s/%d" % (t["name"], acct, region,
                                                     batch))
                # Records are not in order inside a file.
                rng.shuffle(lines)
                when = (batch + 1) * 300 + rng.randint(d0, d1)
                uniq = "".join(rng.choice(ALNUM) for _ in range(16))
                key = "%sCloudTrail/%s/%s/%s_CloudTrail_%s_%s_%s.json.gz" % (
                    base, region, stamp(when, "%Y/%m/%d"), acct, region,
                    stamp(when, "%Y%m%dT%H%MZ"), uniq)
                text = '{"Records":[' + ",".join(lines) + "]}"
                o = Obj(key, gz(text), when, ctype="application/json",
                        records=len(lines), kind="log", cenc=enc)
                logs.append(integrity.Log(o, text, int(rows[0][0]),
                                          int(rows[-1][0])))
            logs.sort(key=lambda lg: (lg.obj.mtime, lg.obj.key))
            if t["extras"] and logs:
                objs += insight(t, acct, region, base, logs[0].obj, Obj)
    truth = None
    if t["validation"]:
        rot = key_rotation(st)
        more, truth = integrity.build(st, t, streams, Obj, base_of, rot)
        objs += more
    else:
        objs += [lg.obj for logs in streams.values() for lg in logs]
    if t["extras"] and t["accounts"]:
        objs.append(Obj("README.txt", b"CloudTrail logs for the emulator's "
                        b"accounts; do not edit.\n", 1704067200,
                        ctype="text/plain"))
        objs.append(Obj(base_of(t, t["accounts"][0]) + "CloudTrail/"
                        "README.txt", b"not a log file\n", 1704067200,
                        ctype="text/plain"))
    return objs, truth


def insight(t, acct, region, base, first, Obj):
    """One Insights file, delivered with the stream's first log file."""
    end = first.mtime + 60
    day = stamp(end, "%Y/%m/%d")
    ikey = ("%sCloudTrail-Insight/%s/%s/%s_CloudTrail-Insight_%s_%s_"
            "%s.json.gz" % (base, region, day, acct, region,
                            stamp(end, "%Y%m%dT%H%MZ"),
                            hashlib.md5(first.key.encode()).hexdigest()[
                                :16]))
    rec = {"eventVersion": "1.08", "eventTime":
           stamp(end, "%Y-%m-%dT%H:%M:%SZ"),
           "awsRegion": region, "eventID": hashlib.md5(
               ikey.encode()).hexdigest(),
           "eventType": "AwsCloudTrailInsight",
           "recipientAccountId": acct,
           "sharedEventID": hashlib.sha1(
               ikey.encode()).hexdigest(),
           "insightDetails": {"state": "Start",
                              "eventSource": "ec2.amazonaws.com",
                              "eventName": "RunInstances",
                              "insightType":
                              "ApiCallRateInsight"},
           "eventCategory": "Insight"}
    return [Obj(ikey, gz(json.dumps({"Records": [rec]})), end,
                ctype="application/json", kind="insight",
                cenc=t["content_encoding"])]


def key_rotation(st):
    """The digest signing keys' rotation time (integrity.rotation)."""
    return integrity.rotation(st, trails(st), regions_of)


def visible(st, key, region, shadow=True):
    """(trail, its description) for each trail the caller's account sees
    in region."""
    out = []
    for t in trails(st):
        if key["account"] != t["account"] and not (
                t["organization"] and key["account"] in t["accounts"]):
            continue
        home = t["home_region"] == region
        if not home and not (t["multi_region"] and shadow):
            continue
        arn = "arn:aws:cloudtrail:%s:%s:trail/%s" % (t["home_region"],
                                                     t["account"], t["name"])
        d = {"Name": t["name"], "S3BucketName": t["bucket"]}
        if t["prefix"]:
            d["S3KeyPrefix"] = t["prefix"]
        d.update({"IncludeGlobalServiceEvents": True,
                  "IsMultiRegionTrail": bool(t["multi_region"]),
                  "HomeRegion": t["home_region"], "TrailARN": arn,
                  "LogFileValidationEnabled": bool(t["validation"]),
                  "HasCustomEventSelectors": False,
                  "HasInsightSelectors": bool(t["extras"]),
                  "IsOrganizationTrail": bool(t["organization"])})
        out.append((t, d))
    return out


def get_trail(st, key, region, body):
    """GetTrail (JSON 1.1): the trail named Name (a name: of this region's
    trails; an ARN: any visible one), else TrailNotFoundException."""
    try:
        p = json.loads(body or b"{}")
        if not isinstance(p, dict):
            raise ValueError
    except ValueError:
        return None
    name = p.get("Name")
    for t, d in visible(st, key, region):
        if name == d["TrailARN"] or (name == t["name"] and
                                     t["home_region"] == region):
            return json.dumps({"Trail": d})
    raise Abort(400, "TrailNotFoundException",
                "Unknown trail: %s for the user: %s" % (name,
                                                        key["account"]))


def organizations(st, key, op, body):
    """AWS Organizations (JSON 1.1), as much as validate-logs needs for an
    organization trail: DescribeOrganization for a member account of a
    configured organization trail, else AWSOrganizationsNotInUseException.
    The management account is the trail's."""
    if op != "DescribeOrganization":
        raise Abort(400, "UnknownOperationException", "")
    for t in trails(st):
        if t["organization"] and key["account"] in t["accounts"]:
            oid, mgmt = t["organization"], t["account"]
            return json.dumps({"Organization": {
                "Id": oid,
                "Arn": "arn:aws:organizations::%s:organization/%s" % (
                    mgmt, oid),
                "FeatureSet": "ALL",
                "MasterAccountArn": "arn:aws:organizations::%s:account/"
                "%s/%s" % (mgmt, oid, mgmt),
                "MasterAccountId": mgmt,
                "MasterAccountEmail": "root+%s@example.com" % mgmt,
                "AvailablePolicyTypes": []}})
    raise Abort(400, "AWSOrganizationsNotInUseException",
                "Your account is not a member of an organization.")


def describe_trails(st, key, region, body):
    """DescribeTrails (JSON 1.1): the trails of the caller's account (or
    of its organization) visible in region: a trail in its home region,
    a multi-region trail elsewhere as a shadow trail when
    includeShadowTrails (default true).  trailNameList takes names (trails
    of this region only) and ARNs."""
    try:
        p = json.loads(body or b"{}")
        if not isinstance(p, dict):
            raise ValueError
    except ValueError:
        return None
    names = p.get("trailNameList") or []
    shadow = p.get("includeShadowTrails", True)
    out = []
    for t, d in visible(st, key, region, shadow):
        home = t["home_region"] == region
        if names and not any(n == d["TrailARN"] or (n == t["name"] and home)
                             for n in names):
            continue
        out.append(d)
    return json.dumps({"trailList": out})
