"""200 concurrent wrong logins (one per thread, each with its own CSRF cookie) against a running
server, while /healthz is polled: prints logins/s, statuses and the latency of the other page.
Loopback only.  Usage: python3 benches/login_flood.py [http://127.0.0.1:8080]
"""
import threading, time, urllib.request, urllib.parse, re, http.cookiejar, statistics
import sys
B=sys.argv[1] if len(sys.argv)>1 else "http://127.0.0.1:8080"
def session():
    cj=http.cookiejar.CookieJar(); op=urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cj))
    body=op.open(B+"/login").read().decode()
    tok=re.search(r'name="_csrf" value="([^"]+)"',body).group(1)
    return op,tok
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self,*a,**k): return None
codes={}; lat=[]; lock=threading.Lock()
def worker(i):
    op,tok=session()
    t=time.time()
    try:
        data=urllib.parse.urlencode({"_csrf":tok,"email":f"nobody{i}@x.ru","password":"wrong-password"}).encode()
        r=op.open(B+"/login",data,timeout=60); c=r.status
    except urllib.error.HTTPError as e: c=e.code
    except Exception as e: c=str(type(e).__name__)
    with lock: codes[c]=codes.get(c,0)+1; lat.append(time.time()-t)
other=[]
def prober(stop):
    while not stop.is_set():
        t=time.time(); urllib.request.urlopen(B+"/healthz",timeout=30).read(); other.append(time.time()-t); time.sleep(0.05)
stop=threading.Event(); pt=threading.Thread(target=prober,args=(stop,)); pt.start()
ts=[threading.Thread(target=worker,args=(i,)) for i in range(200)]
t0=time.time(); [t.start() for t in ts]; [t.join() for t in ts]; el=time.time()-t0
stop.set(); pt.join()
print(f"200 concurrent wrong logins: {el:.1f} s total, {200/el:.1f} logins/s, statuses {codes}, p50 {statistics.median(lat):.2f} s, max {max(lat):.2f} s")
print(f"/healthz during the flood: {len(other)} requests, p50 {statistics.median(other)*1000:.0f} ms, max {max(other)*1000:.0f} ms")
