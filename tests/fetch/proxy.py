# A forwarding HTTP proxy on loopback: logs each request line, forwards.
import http.client, http.server, sys, urllib.parse
log = open(sys.argv[1], "a", buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    def fwd(self):
        log.write(self.requestline + "\n")
        u = urllib.parse.urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        hdrs = {k: v for k, v in self.headers.items()
                if k.lower() not in ("proxy-connection", "connection")}
        c.request(self.command, u.path + ("?" + u.query if u.query else ""),
                  body, hdrs)
        r = c.getresponse()
        data = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "connection",
                                 "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_POST = do_PUT = fwd
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[2], "w").write(str(s.server_address[1]))
s.serve_forever()
