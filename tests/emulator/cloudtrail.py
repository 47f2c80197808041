# cloudtrail.py - CloudTrail LookupEvents (JSON 1.1) with real NextToken
# pagination bound to the query, and DescribeTrails through trail.py.
#
# A mixin of server.py's request Handler: its methods run on the handler
# (self.st the emulator state, self.send the reply writer).

import base64
import bisect
import hashlib
import hmac
import json
import secrets

import time

import integrity
import trail as trailmod
from common import ATTR_KEYS, ENDLESS_KINDS, Abort


def time_range(body):
    """A JSON 1.1 request with StartTime and EndTime (LookupEvents,
    ListPublicKeys): (the request, start, end), checked as CloudTrail
    checks them (epoch seconds as JSON numbers; an ISO string is refused,
    boto/boto#3133), else Abort."""
    try:
        p = json.loads(body or b"{}")
        if not isinstance(p, dict):
            raise ValueError
    except ValueError:
        raise Abort(400, "SerializationException",
                    "Start of structure or map found where not expected.")
    start = p.get("StartTime")
    end = p.get("EndTime")
    for v in (start, end):
        if v is not None and (isinstance(v, bool) or
                              not isinstance(v, (int, float))):
            raise Abort(400, "SerializationException",
                        "%s can not be converted to a Date" % (
                            "STRING_VALUE" if isinstance(v, str)
                            else "VALUE"))
    if start is not None and end is not None and start > end:
        raise Abort(400, "InvalidTimeRangeException",
                    "Start time must be less than or equal to end time")
    return p, start, end


class CloudTrail:
    def cloudtrail(self, op, body, key, region, fault=None):
        if op == "DescribeTrails":
            out = trailmod.describe_trails(self.st, key, region, body)
            if out is None:
                raise Abort(400, "SerializationException",
                            "Start of structure or map found where not "
                            "expected.")
            return out
        if op == "ListPublicKeys":
            return self.list_public_keys(body)
        if op == "GetTrail":
            out = trailmod.get_trail(self.st, key, region, body)
            if out is None:
                raise Abort(400, "SerializationException",
                            "Start of structure or map found where not "
                            "expected.")
            return out
        if op != "LookupEvents":
            raise Abort(400, "UnknownOperationException", "")
        p, start, end = time_range(body)
        mr = p.get("MaxResults", 50)
        if isinstance(mr, bool) or not isinstance(mr, int) or \
                mr < 1 or mr > 50:
            raise Abort(400, "InvalidMaxResultsException",
                        "Value %s for MaxResults is invalid. MaxResults "
                        "must be between 1 and 50." % mr)
        attrs = p.get("LookupAttributes") or []
        if not isinstance(attrs, list) or len(attrs) > 1:
            raise Abort(400, "InvalidLookupAttributesException",
                        "You cannot specify more than one lookup attribute")
        filt = None
        for a in attrs:
            k = a.get("AttributeKey") if isinstance(a, dict) else None
            if k not in ATTR_KEYS or not isinstance(a.get("AttributeValue"),
                                                    str):
                raise Abort(400, "InvalidLookupAttributesException",
                            "Invalid lookup attribute: %s" % k)
            filt = (k, a["AttributeValue"])
        cat = p.get("EventCategory")
        if cat is not None and cat != "insight":
            raise Abort(400, "InvalidEventCategoryException",
                        "Event category %s is not valid" % cat)
        bind = json.dumps([key["account"], region, start, end, filt, cat],
                          sort_keys=True)
        tok = p.get("NextToken")
        last = None
        if tok is not None:
            last = self.decode_token(tok, bind)
        data = self.st.data(key["account"], region)
        events = []
        more = False
        if cat is None:
            lo = 0 if start is None else bisect.bisect_left(
                data.times, float(start))
            hi = len(data.times) if end is None else bisect.bisect_right(
                data.times, float(end))
            i = hi - 1
            if last is not None:
                i = min(i, bisect.bisect_left(data.keys, last) - 1)
            while i >= lo:
                ev = data.event(i)
                i -= 1
                if filt is not None and ev.get(filt[0]) != filt[1] and \
                        not (filt[0] == "ResourceName" and
                             any(r.get("ResourceName") == filt[1]
                                 for r in ev["Resources"])) and \
                        not (filt[0] == "ResourceType" and
                             any(r.get("ResourceType") == filt[1]
                                 for r in ev["Resources"])):
                    continue
                if len(events) == mr:
                    more = True
                    break
                events.append((i + 1, ev))
            if not more and len(events) == mr and \
                    self.st.cfg.get("empty_last_page"):
                more = True
        tf = self.st.cfg.get("time_format", "java")
        kind = fault["kind"] if fault is not None else None
        nonce = None
        if kind == "endless_empty":
            events = []
        if kind in ENDLESS_KINDS:
            more = True
            if kind != "endless_loop":
                nonce = secrets.token_hex(8)
        parts = [data.event_json(i, ev, tf) for i, ev in events]
        out = '{"Events":[' + ",".join(parts) + "]"
        if kind in ENDLESS_KINDS:
            out += ',"NextToken":' + json.dumps(self.encode_token(
                None if last is None else list(last), bind, nonce))
        elif more and events:
            out += ',"NextToken":' + json.dumps(self.encode_token(
                list(data.keys[events[-1][0]]), bind))
        out += "}"
        with self.st.lock:
            s = self.st.stats[region]
            s.pages += 1
            s.events += len(events)
        return out

    def list_public_keys(self, body):
        """ListPublicKeys: the emulator's digest signing keys whose
        validity overlaps [StartTime, EndTime] (integrity.py); one page,
        so any NextToken is one this emulator never issued."""
        p, start, end = time_range(body)
        if p.get("NextToken") is not None:
            raise Abort(400, "InvalidTokenException",
                        "Invalid NextToken: the token is not valid")
        rot = trailmod.key_rotation(self.st)
        return integrity.list_public_keys(rot, start, end, time.time())

    def encode_token(self, last, bind, nonce=None):
        h = hashlib.sha256(bind.encode()).hexdigest()[:16]
        tok = {"k": last, "h": h}
        if nonce is not None:
            tok["n"] = nonce
        payload = json.dumps(tok, separators=(",", ":"))
        mac = hmac.new(self.st.server_secret, payload.encode(),
                       hashlib.sha256).hexdigest()[:16]
        return base64.b64encode((payload + "." + mac).encode()).decode()

    def decode_token(self, tok, bind):
        bad = Abort(400, "InvalidNextTokenException",
                    "Invalid NextToken: the token is not valid or was "
                    "issued for a request with different parameters")
        try:
            raw = base64.b64decode(tok.encode(), validate=True).decode()
            payload, mac = raw.rsplit(".", 1)
        except (ValueError, UnicodeDecodeError, AttributeError):
            raise bad
        want = hmac.new(self.st.server_secret, payload.encode(),
                        hashlib.sha256).hexdigest()[:16]
        if not hmac.compare_digest(want, mac):
            raise bad
        d = json.loads(payload)
        if d["h"] != hashlib.sha256(bind.encode()).hexdigest()[:16]:
            raise bad
        return None if d["k"] is None else tuple(d["k"])
