"""Hostile uploads as the demo curator against a running `nastavnik serve --demo` on this machine,
on both upload endpoints (the class-list import and a program's monitoring import): a zip bomb, a
CSV whose header is a million «;», an ODS repeating a cell 16,384 × 1,000,000, the 824-byte ODS
formula bomb (formula-only cells, 16,384 columns × 3,000 rows, two sheets) and its variants
(styles-only cells before a value, covered cells, repeated rows, an unknown attribute, many
sheets), 10 MB on one line, a broken XLS. Prints each answer, its time and the server's peak RSS
(VmHWM). Loopback only.  Usage: python3 benches/hostile_uploads.py [http://127.0.0.1:8080]
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
# A program of the demo school with monitoring parameters: its entry table takes a file too.
progs=op.open(B+"/o/sosh-1/programs").read().decode()
MON=None
for pid in dict.fromkeys(re.findall(r'/o/sosh-1/programs/([0-9a-f-]{36})',progs)):
    try:
        t=op.open(B+f"/o/sosh-1/programs/{pid}/monitoring/entry?role=mentee").read().decode()
    except urllib.error.HTTPError:
        continue
    if "Загрузить оценки из файла" in t:
        MON=f"/o/sosh-1/programs/{pid}/monitoring/entry/import"; break
pid=subprocess.check_output(["pgrep","-f","nastavnik serve"]).split()[0].decode()
def rss(): return int([l for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM")][0].split()[1])//1024
def up(name,data,path="/o/sosh-1/people/import",field=("kind","pupil")):
    b="----x"; parts=[f'--{b}\r\nContent-Disposition: form-data; name="{field[0]}"\r\n\r\n{field[1]}\r\n'.encode(),
      f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()+data+b"\r\n", f"--{b}--\r\n".encode()]
    req=urllib.request.Request(B+f"{path}?_csrf={tok}",data=b"".join(parts),headers={"Content-Type":f"multipart/form-data; boundary={b}"})
    t=time.time()
    try: r=op.open(req); st=r.status; txt=r.read().decode()
    except urllib.error.HTTPError as e: st=e.code; txt=e.read().decode()
    msg=re.search(r'flash-error"[^>]*>[^<]*<ul><li>([^<]+)</li>',txt) or re.search(r'class="flash flash-error"[^>]*>([^<]+)',txt)
    where="monitoring" if "monitoring" in path else "people"
    print(f"{where:10} {name}: {len(data)} bytes -> {st} in {time.time()-t:.2f} s: {msg.group(1).strip()[:90] if msg else ''}; peak RSS {rss()} MB")
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

def ods(tables):
    z=io.BytesIO(); zf=zipfile.ZipFile(z,"w",zipfile.ZIP_DEFLATED); zf.writestr("mimetype","application/vnd.oasis.opendocument.spreadsheet")
    sheets="".join(f'<table:table table:name="{i}">{t}</table:table>' for i,t in enumerate(tables))
    zf.writestr("content.xml",'<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>'+sheets+'</office:spreadsheet></office:body></office:document-content>'); zf.close()
    return z.getvalue()
formula='<table:table-row table:number-rows-repeated="3000"><table:table-cell table:formula="of:=1" table:number-columns-repeated="16384"/></table:table-row>'
variants=[
    ("formula-bomb.ods", ods([formula, formula])),
    ("styled.ods", ods(['<table:table-row table:number-rows-repeated="3000"><table:table-cell table:style-name="ce1" table:number-columns-repeated="16383"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>'])),
    ("covered.ods", ods(['<table:table-row table:number-rows-repeated="3000"><table:covered-table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>'])),
    ("rows.ods", ods(['<table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="string" table:number-columns-repeated="60"><text:p>x</text:p></table:table-cell></table:table-row>'])),
    ("unknown-attribute.ods", ods(['<table:table-row table:number-rows-repeated="3000"><table:table-cell table:foo="bar" table:number-columns-repeated="16384"/></table:table-row>'])),
    ("many-sheets.ods", ods(['<table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="60"/></table:table-row>']*200)),
]
for name,data in variants:
    up(name,data)
if MON:
    for name,data in variants+[("garbage.xls", b"\xd0\xcf\x11\xe0"+os.urandom(100000))]:
        up(name,data,MON,("role","mentee"))
else:
    print("no program of the demo school has a monitoring table: the monitoring endpoint was not tried")
