# events.py - the event store of awsemu: one region's CloudTrail records,
# as LookupEvents serves them.
#
# A region's records come from NDJSON lines (a data file, inline events);
# RegionData keeps each line exactly as read (CloudTrailEvent must be the
# stored text), sorted by (eventTime, eventID, line index) so that a page
# is a slice and a NextToken a position, and caches each row's summary and
# its serialised form, which every walk over the region asks for again.
# Records nested deeper than Python's recursion limit are still served: a
# summary needs only the shallow fields (_shallow_object).  Which files
# are read, and when, is the state's business (state.py, State.data);
# paging and filtering are LookupEvents' (cloudtrail.py).

import decimal
import json
import uuid

from common import parse_time


_compact = json.JSONEncoder(separators=(",", ":"),
                            ensure_ascii=False).encode


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
