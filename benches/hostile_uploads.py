"""Hostile uploads as the demo curator against a running `nastavnik serve --demo` on this machine:
a zip bomb, a CSV whose header is a million «;», an ODS repeating a cell 16,384 × 1,000,000,
10 MB on one line, a broken XLS. Prints each answer, its time and the server's peak RSS (VmHWM).
Loopback only.  Usage: python3 benches/hostile_uploads.py [http://127.0.0.1:8080]
"""
import urllib.request, urllib.parse, re, http.cookiejar, time, io, zipfile, os, subprocess
import sys
B=sys.argv[1] if len(sys.argv)>1 else "http://127.0.0.1:8080"
cj=http.cookiejar.CookieJar(); op=urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cj))
body=op.open(B+"/login").read().decode(); tok=re.search(r'name="_csrf" value="([^"]+)"',body).group(1)
try:
    op.open(B+"/login",urllib.parse.urlencode({"_csrf":tok,"email":"curator@demo.local","password":"demo12345"}).encode())
except urllib.error.HTTPError as e:
    sys.exit(f"login refused ({e.code}): this address is throttled (after login_flood.py, wait or clear login_throttle)")
page=op.open(B+"/o/sosh-1/people/import").read().decode(); tok=re.search(r'name="_csrf" value="([^"]+)"',page).group(1)
pid=subprocess.check_output(["pgrep","-f","nastavnik serve"]).split()[0].decode()
def rss(): return int([l for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM")][0].split()[1])//1024
def up(name,data):
    b="----x"; parts=[f'--{b}\r\nContent-Disposition: form-data; name="kind"\r\n\r\npupil\r\n'.encode(),
      f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()+data+b"\r\n", f"--{b}--\r\n".encode()]
    req=urllib.request.Request(B+f"/o/sosh-1/people/import?_csrf={tok}",data=b"".join(parts),headers={"Content-Type":f"multipart/form-data; boundary={b}"})
    t=time.time()
    try: r=op.open(req); st=r.status; txt=r.read().decode()
    except urllib.error.HTTPError as e: st=e.code; txt=e.read().decode()
    msg=re.search(r'class="flash flash-error"[^>]*>([^<]+)',txt)
    print(f"{name}: {len(data)} bytes -> {st} in {time.time()-t:.2f} s: {msg.group(1).strip() if msg else ''}; peak RSS {rss()} MB")
z=io.BytesIO(); zf=zipfile.ZipFile(z,"w",zipfile.ZIP_DEFLATED); zf.writestr("xl/worksheets/sheet1.xml", b"0"*(300<<20)); zf.close()
up("bomb.xlsx", z.getvalue())
up("wide.csv", (";"*1000000+"ФИО\n"+"".join(f"Иванов{i} Иван\n" for i in range(5000))).encode())
z=io.BytesIO(); zf=zipfile.ZipFile(z,"w",zipfile.ZIP_DEFLATED); zf.writestr("mimetype","application/vnd.oasis.opendocument.spreadsheet")
zf.writestr("content.xml",'<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>'); zf.close()
up("repeats.ods", z.getvalue())
up("line.csv", b"a"*(10*1024*1024-100))
def far_xlsx():
    z=io.BytesIO(); zf=zipfile.ZipFile(z,"w",zipfile.ZIP_DEFLATED)
    zf.writestr("[Content_Types].xml",'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    zf.writestr("_rels/.rels",'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    zf.writestr("xl/workbook.xml",'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    zf.writestr("xl/_rels/workbook.xml.rels",'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    zf.writestr("xl/worksheets/sheet1.xml",'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ФИО</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')
    zf.close(); return z.getvalue()
up("far.xlsx", far_xlsx())
up("garbage.xls", b"\xd0\xcf\x11\xe0"+os.urandom(100000))
