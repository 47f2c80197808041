#!/usr/bin/python3
"""ctref.py - the reference fold: what ct-aggregate must compute, in plain Python.

An independent implementation of the fold (ct-summary(5), ct-aggregate(1)),
written from the rules and not from ct-aggregate's C code, so that the two
can referee each other in the tests.  Obviously correct rather than fast:
every input is read whole, decoded with errors="replace", and parsed with
the json module.

    ctref.py [--activity-type ALL|SUCCESSFUL|FAILED]
             [--skip-unsuccessful-api-calls] [--dedup] [--maps]
             [FILE|DIR|-]...

Inputs as ct-aggregate takes them: files (gzip recognised by its magic
bytes, multi-member read whole), directories walked for *.json, *.jsonl,
*.ndjson and the same with .gz, "-" or nothing for standard input.  The
stream is a sequence of JSON values separated by whitespace; each value is
a raw record, a LookupEvents event ({"CloudTrailEvent": "<record>"}), an S3
log file object {"Records": [...]}, a lookup-events page {"Events": [...]},
an array of any of these, a CloudTrail digest object (ignored), a ct-fetch
control record ({"ctFetch": ...}, see README "ct-fetch control records"),
or an EventBridge event whose "detail-type" says "... via CloudTrail" (its
"detail" is the record).

Output, json.dumps(indent=2, sort_keys=True) and a newline: the five maps,
and "_counts" (records seen, counted, skipped, ...) unless --maps is given;
with --maps the output has exactly the five maps and nothing else.

Choices where the rules leave room (ct-aggregate should agree; if it does
not, one of the two is wrong and the documented rules decide):
- "missing" = absent, null or not a string; an empty string is present,
  except where a rule says "non-empty" (the fallback chain, Unknown's arn
  and account).
- A rule "cannot answer" when a field it needs is missing, when an ARN has
  none of the shapes the rule looks for, or when WebIdentityUser's
  principalId has no "/": then the fallback chain answers.
- A failed call: the record has an "errorCode" or "errorMessage" key (any
  value), or "responseElements" is an object with either key.
- A record without awsRegion takes the region of the latest
  {"ctFetch":"start","region":...} control record read in the same input
  (file or stdin), else "unknown".
- A value that is not valid JSON (or nests deeper than Python can parse)
  is one bad value; reading resumes at the next line.
"""

import argparse
import json
import os
import sys
import zlib

MAPS = ('api_calls_by_principal', 'api_calls_by_region',
        'ip_addresses_by_principal', 'user_agents_by_principal',
        'error_codes_by_principal')
SUFFIXES = ('.json', '.jsonl', '.ndjson',
            '.json.gz', '.jsonl.gz', '.ndjson.gz')
WS = ' \t\r\n'
MAX_MESSAGES = 10


def sget(obj, key):
    """obj[key] when obj is a dict and the value is a string, else None."""
    if isinstance(obj, dict):
        v = obj.get(key)
        if isinstance(v, str):
            return v
    return None


def dget(obj, key):
    """obj[key] when obj is a dict and the value is a dict, else None."""
    if isinstance(obj, dict):
        v = obj.get(key)
        if isinstance(v, dict):
            return v
    return None


def last_part(s):
    return s.split('/')[-1]


def second_to_last_part(s):
    return s.split('/')[-2]


def idc_name(acct, obo):
    """acct:identitycenteruser/<store>/<user>, or None."""
    store = sget(obo, 'identityStoreArn')
    user = sget(obo, 'userId')
    if acct is None or store is None or user is None:
        return None
    return '%s:identitycenteruser/%s/%s' % (acct, last_part(store), user)


def by_type(ui):
    """The principal from the rule of ui's type, or None: cannot answer."""
    t = sget(ui, 'type')
    acct = sget(ui, 'accountId')
    invoked_by = sget(ui, 'invokedBy')
    if t is None:
        return invoked_by if invoked_by is not None else acct
    if t == 'IAMUser':
        name = sget(ui, 'userName')
        if acct is None or name is None:
            return None
        return '%s:user/%s' % (acct, name)
    if t == 'AssumedRole':
        issuer = dget(dget(ui, 'sessionContext'), 'sessionIssuer')
        arn = sget(issuer, 'arn')
        if arn is None:
            arn = sget(ui, 'arn')
        if acct is None or arn is None:
            return None
        if ':assumed-role/' in arn:
            return '%s:role/%s' % (acct, second_to_last_part(arn))
        if ':role/' in arn:
            return '%s:role/%s' % (acct, last_part(arn))
        return None
    if t == 'Root':
        return None if acct is None else '%s:root' % acct
    if t == 'AWSAccount':
        return invoked_by if invoked_by is not None else acct
    if t == 'AWSService':
        return invoked_by
    if t == 'FederatedUser':
        issuer = dget(dget(ui, 'sessionContext'), 'sessionIssuer')
        if acct is None or issuer is None:
            return None
        if sget(issuer, 'type') == 'Root':
            return '%s:root' % acct
        arn = sget(issuer, 'arn')
        if arn is None:
            return None
        return '%s:user/%s' % (acct, last_part(arn))
    if t == 'IdentityCenterUser':
        return idc_name(acct, dget(ui, 'onBehalfOf'))
    if t == 'WebIdentityUser':
        pid = sget(ui, 'principalId')
        if pid is None:
            return acct
        if '/' not in pid:
            return None
        return 'oidc:' + pid.split('/', 1)[1]
    if t == 'SAMLUser':
        pid = sget(ui, 'principalId')
        return None if pid is None else 'saml:' + pid
    if t == 'Unknown':
        arn = sget(ui, 'arn')
        if arn and acct is not None:
            if arn.endswith(':root'):
                return '%s:root' % acct
            if ':user/' in arn or ':federated-user/' in arn:
                return '%s:user/%s' % (acct, last_part(arn))
            if ':assumed-role/' in arn:
                return '%s:role/%s' % (acct, second_to_last_part(arn))
            if ':role/' in arn:
                return '%s:role/%s' % (acct, last_part(arn))
        obo = dget(ui, 'onBehalfOf')
        if obo is not None and acct is not None:
            name = idc_name(acct, obo)
            if name is not None:
                return name
        if acct:
            return acct
        return 'Unknown'
    if t == 'Directory':
        arn = sget(ui, 'arn')
        if acct is None or arn is None or '/' not in arn:
            return None
        return '%s:ds/%s/%s' % (acct, second_to_last_part(arn), last_part(arn))
    return None


def principal(ui):
    """(name, True) when the type's rule answered, (name, False) else."""
    if isinstance(ui, dict):
        name = by_type(ui)
        if name is not None:
            return name, True
        for k in ('arn', 'invokedBy', 'accountId', 'principalId', 'type'):
            v = sget(ui, k)
            if v:
                return v, False
    return 'Unknown', False


def failed(rec):
    if 'errorCode' in rec or 'errorMessage' in rec:
        return True
    resp = rec.get('responseElements')
    return isinstance(resp, dict) and ('errorCode' in resp or
                                       'errorMessage' in resp)


class Fold:
    def __init__(self, activity='ALL', dedup=False):
        self.activity = activity
        self.dedup = dedup
        self.seen = set()
        self.maps = {m: {} for m in MAPS}
        self.counts = dict(records=0, counted=0, skipped=0, filtered=0,
                           duplicates=0, fallbacks=0, bad_values=0,
                           bad_inputs=0, digests=0, control=0, files=0)
        self.messages = 0

    def warn(self, where, reason):
        self.messages += 1
        if self.messages <= MAX_MESSAGES:
            sys.stderr.write('ctref: %s: %s\n' % (where, reason))

    def add(self, m, cat, key):
        inner = self.maps[m].setdefault(cat, {})
        inner[key] = inner.get(key, 0) + 1

    def record(self, rec, ctx):
        self.counts['records'] += 1
        src = sget(rec, 'eventSource')
        name = sget(rec, 'eventName')
        if src is None or name is None:
            self.counts['skipped'] += 1
            self.warn(ctx['where'], 'record without eventSource/eventName')
            return
        f = failed(rec)
        if (self.activity == 'SUCCESSFUL' and f) or \
           (self.activity == 'FAILED' and not f):
            self.counts['filtered'] += 1
            return
        if self.dedup:
            eid = sget(rec, 'eventID')
            if eid is not None:
                if eid in self.seen:
                    self.counts['duplicates'] += 1
                    return
                self.seen.add(eid)
        who, by_rule = principal(rec.get('userIdentity'))
        if not by_rule:
            self.counts['fallbacks'] += 1
        call = '%s:%s' % (src, name)
        region = sget(rec, 'awsRegion')
        if region is None:
            region = ctx['region'] if ctx['region'] is not None else 'unknown'
        ip = sget(rec, 'sourceIPAddress')
        ua = sget(rec, 'userAgent')
        self.add('api_calls_by_principal', who, call)
        self.add('api_calls_by_region', region, call)
        self.add('ip_addresses_by_principal', who,
                 ip if ip is not None else 'Unknown')
        self.add('user_agents_by_principal', who,
                 ua if ua is not None else 'Unknown')
        code = sget(rec, 'errorCode')
        if code is None:
            code = sget(dget(rec, 'responseElements'), 'errorCode')
        if code is not None:
            self.add('error_codes_by_principal', who, '%s:%s' % (src, code))
        self.counts['counted'] += 1

    def value(self, v, ctx):
        """One JSON value of the stream (or inside an envelope)."""
        if isinstance(v, list):
            for e in v:
                self.value(e, ctx)
            return
        if not isinstance(v, dict):
            self.counts['bad_values'] += 1
            self.warn(ctx['where'], 'not a record: %s' % type(v).__name__)
            return
        if 'ctFetch' in v:
            self.counts['control'] += 1
            if v.get('ctFetch') == 'start' and sget(v, 'region') is not None:
                ctx['region'] = v['region']
            return
        if 'digestStartTime' in v:
            self.counts['digests'] += 1
            return
        if isinstance(v.get('Records'), list):
            for e in v['Records']:
                self.value(e, ctx)
            return
        if isinstance(v.get('Events'), list):
            for e in v['Events']:
                self.value(e, ctx)
            return
        if isinstance(v.get('detail'), dict) and \
           'via CloudTrail' in (sget(v, 'detail-type') or ''):
            # an EventBridge event carrying a record (an extension: not
            # in the documented shapes' core, but what CloudTrail-to-EventBridge
            # pipelines hold)
            self.record(v['detail'], ctx)
            return
        if isinstance(v.get('CloudTrailEvent'), str):
            try:
                rec = json.loads(v['CloudTrailEvent'],
                                 parse_constant=reject_constant)
            except (ValueError, RecursionError) as e:
                self.counts['bad_values'] += 1
                self.warn(ctx['where'], 'bad CloudTrailEvent: %s' % e)
                return
            if not isinstance(rec, dict):
                self.counts['bad_values'] += 1
                self.warn(ctx['where'], 'CloudTrailEvent is not an object')
                return
            self.record(rec, ctx)
            return
        self.record(v, ctx)

    def text(self, text, name):
        """Fold a whole decoded input."""
        if text.startswith('\ufeff'):
            text = text[1:]
        ctx = {'region': None, 'where': name}
        dec = json.JSONDecoder(parse_constant=reject_constant)
        i, n = 0, len(text)
        line, counted_to = 1, 0
        while True:
            while i < n and text[i] in WS:
                i += 1
            if i >= n:
                break
            line += text.count('\n', counted_to, i)
            counted_to = i
            ctx['where'] = '%s:%d' % (name, line)
            try:
                v, j = dec.raw_decode(text, i)
            except (ValueError, RecursionError) as e:
                self.counts['bad_values'] += 1
                self.warn(ctx['where'], 'bad JSON: %s' % str(e)[:80])
                nl = text.find('\n', i)
                i = n if nl < 0 else nl + 1
                continue
            i = j
            self.value(v, ctx)

    def data(self, data, name):
        """Fold the bytes of one input (gzip by magic, possibly multi-member)."""
        self.counts['files'] += 1
        if data[:2] == b'\x1f\x8b':
            data = self.gunzip(data, name)
        self.text(data.decode('utf-8', errors='replace'), name)

    def gunzip(self, data, name):
        out = []
        while data:
            d = zlib.decompressobj(wbits=31)
            try:
                # feed in pieces so that a corrupt member keeps its start
                for k in range(0, len(data), 65536):
                    out.append(d.decompress(data[k:k + 65536]))
                    if d.eof:
                        break
            except zlib.error as e:
                self.counts['bad_inputs'] += 1
                self.warn(name, 'bad gzip data: %s' % e)
                break
            if not d.eof:
                out.append(d.flush())
                self.counts['bad_inputs'] += 1
                self.warn(name, 'truncated gzip member')
                break
            data = d.unused_data
            if data and data[:2] != b'\x1f\x8b':
                self.counts['bad_inputs'] += 1
                self.warn(name, 'trailing bytes after gzip member')
                break
        return b''.join(out)

    def path(self, p):
        if p == '-':
            self.data(sys.stdin.buffer.read(), '-')
            return
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    if f.endswith(SUFFIXES):
                        self.path(os.path.join(root, f))
            return
        try:
            with open(p, 'rb') as fh:
                data = fh.read()
        except OSError as e:
            self.counts['bad_inputs'] += 1
            self.warn(p, e.strerror or str(e))
            return
        self.data(data, p)

    def result(self, with_counts=True):
        out = dict(self.maps)
        if with_counts:
            out['_counts'] = self.counts
        return out


def reject_constant(name):
    raise ValueError('not JSON: %s' % name)


def main(argv):
    ap = argparse.ArgumentParser(
        prog='ctref.py',
        description='Reference fold of CloudTrail records (see the source).')
    ap.add_argument('--activity-type', default='ALL',
                    choices=('ALL', 'SUCCESSFUL', 'FAILED'))
    ap.add_argument('--skip-unsuccessful-api-calls', action='store_true')
    ap.add_argument('--dedup', action='store_true',
                    help='count each eventID once')
    ap.add_argument('--maps', action='store_true',
                    help='print only the five maps (no _counts)')
    ap.add_argument('inputs', nargs='*')
    a = ap.parse_args(argv)
    activity = 'SUCCESSFUL' if a.skip_unsuccessful_api_calls else a.activity_type
    fold = Fold(activity, a.dedup)
    for p in a.inputs or ['-']:
        fold.path(p)
    if fold.messages > MAX_MESSAGES:
        sys.stderr.write('ctref: %d more messages\n' %
                         (fold.messages - MAX_MESSAGES))
    sys.stdout.write(json.dumps(fold.result(not a.maps), indent=2,
                                sort_keys=True) + '\n')
    c = fold.counts
    return 3 if c['bad_values'] or c['bad_inputs'] or c['skipped'] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
