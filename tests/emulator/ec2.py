# ec2.py - EC2: DescribeRegions, the one EC2 call the tools make (query
# protocol, XML answers).
#
# A mixin of server.py's request Handler: its methods run on the handler
# (self.st the emulator state, self.send the reply writer).

import collections
from common import EC2_NS, Abort


class Ec2:
    def ec2(self, op, form, region, rid):
        if op != "DescribeRegions":
            raise Abort(400, "InvalidAction",
                        "The action %s is not valid for this web service."
                        % op)
        allr = form.get("AllRegions", "false").lower() == "true"
        names = [v for k, v in sorted(form.items())
                 if k.startswith("RegionName.")]
        filters = collections.defaultdict(list)
        for k, v in form.items():
            if k.startswith("Filter.") and k.endswith(".Name"):
                n = k.split(".")[1]
                vals = [fv for fk, fv in form.items()
                        if fk.startswith("Filter.%s.Value." % n)]
                filters[v] += vals
        regs = self.st.regions()
        known = {r["name"] for r in regs}
        for n in names:
            if n not in known:
                raise Abort(400, "InvalidParameterValue",
                            "Invalid region: %s" % n)
        items = []
        for r in regs:
            if not allr and not names and r["opt_in"] == "not-opted-in":
                continue
            if names and r["name"] not in names:
                continue
            ep = "ec2.%s.amazonaws.com" % r["name"]
            ok = True
            for fname, vals in filters.items():
                v = {"region-name": r["name"], "endpoint": ep,
                     "opt-in-status": r["opt_in"]}.get(fname)
                if v is None:
                    raise Abort(400, "InvalidParameterValue",
                                "The filter '%s' is invalid" % fname)
                ok = ok and v in vals
            if ok:
                items.append(
                    '        <item>\n'
                    '            <regionName>%s</regionName>\n'
                    '            <regionEndpoint>%s</regionEndpoint>\n'
                    '            <optInStatus>%s</optInStatus>\n'
                    '        </item>\n' % (r["name"], ep, r["opt_in"]))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<DescribeRegionsResponse xmlns="%s">\n'
                '    <requestId>%s</requestId>\n    <regionInfo>\n%s'
                '    </regionInfo>\n</DescribeRegionsResponse>' % (
                    EC2_NS, rid, "".join(items)))
