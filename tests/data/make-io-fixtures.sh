#!/usr/bin/env bash
# Regenerates the small io fixtures under tests/data/io (committed). Needs
# gdal-bin and python3. Every fixture is a 2-block zones layer in EPSG:4526
# with Chinese attributes; the broken ones are damaged copies.
set -euo pipefail
cd "$(dirname "$0")/io"
rm -f ./*.shp ./*.shx ./*.dbf ./*.prj ./*.cpg ./*.geojson ./*.gpkg ./*.csv
cat > /tmp/hegui_fixture.geojson <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"KFQDM":"G141061","KFQMC":"晋城经济技术开发区","QKMC":"主区","QKMJ":30.0},"geometry":{"type":"Polygon","coordinates":[[[38397322.207,3931200.554],[38397922.207,3931200.554],[38397922.207,3931700.554],[38397322.207,3931700.554],[38397322.207,3931200.554]]]}},
{"type":"Feature","properties":{"KFQDM":"G141061","KFQMC":"晋城经济技术开发区","QKMC":"巴公工业园区","QKMJ":12.0},"geometry":{"type":"Polygon","coordinates":[[[38398322.207,3931200.554],[38398722.207,3931200.554],[38398722.207,3931500.554],[38398322.207,3931500.554],[38398322.207,3931200.554]]]}}
]}
JSON
ogr2ogr -a_srs EPSG:4526 -lco ENCODING=CP936 kfq_gbk_cpg.shp /tmp/hegui_fixture.geojson
# GBK bytes, no .cpg and no DBF language id
ogr2ogr -a_srs EPSG:4526 -lco ENCODING=CP936 kfq_gbk_nocpg.shp /tmp/hegui_fixture.geojson
rm kfq_gbk_nocpg.cpg
python3 - <<'PY'
d = bytearray(open('kfq_gbk_nocpg.dbf', 'rb').read()); d[29] = 0
open('kfq_gbk_nocpg.dbf', 'wb').write(d)
PY
# UTF-8 bytes, no .cpg
ogr2ogr -a_srs EPSG:4526 -lco ENCODING= kfq_utf8_nocpg.shp /tmp/hegui_fixture.geojson
rm -f kfq_utf8_nocpg.cpg
# damaged copies
for n in trunc_shp trunc_dbf no_dbf no_shx no_prj; do
  for e in shp shx dbf prj cpg; do cp kfq_gbk_cpg.$e kfq_$n.$e; done
done
truncate -s -40 kfq_trunc_shp.shp
truncate -s -20 kfq_trunc_dbf.dbf
rm kfq_no_dbf.dbf kfq_no_shx.shx kfq_no_prj.prj
# a GeoPackage with one NULL geometry, one empty and one non-finite
ogr2ogr -f GPKG -a_srs EPSG:4526 -nln KFQ kfq_problems.gpkg /tmp/hegui_fixture.geojson
python3 - <<'PY'
import sqlite3, struct
con = sqlite3.connect('kfq_problems.gpkg')
# the R-tree triggers call SpatiaLite-style functions; these rows stay out of the index
for f in ('ST_IsEmpty', 'ST_MinX', 'ST_MaxX', 'ST_MinY', 'ST_MaxY'):
    con.create_function(f, 1, lambda b: 1)
def gpkg_blob(wkb):
    return b'GP' + bytes([0, 0b00000001]) + struct.pack('<i', 4526) + wkb  # no envelope
ring = [(38397000.0, 3931000.0), (float('nan'), 3931000.0), (38397100.0, 3931100.0), (38397000.0, 3931000.0)]
wkb = struct.pack('<BII', 1, 3, 1) + struct.pack('<I', len(ring)) + b''.join(struct.pack('<dd', *p) for p in ring)
empty = struct.pack('<BII', 1, 3, 0)
con.execute("INSERT INTO KFQ (geom, KFQDM, KFQMC, QKMC, QKMJ) VALUES (NULL, 'G141061', 'x', '空几何', 1)")
con.execute("INSERT INTO KFQ (geom, KFQDM, KFQMC, QKMC, QKMJ) VALUES (?, 'G141061', 'x', '空多边形', 1)", (gpkg_blob(empty),))
con.execute("INSERT INTO KFQ (geom, KFQDM, KFQMC, QKMC, QKMJ) VALUES (?, 'G141061', 'x', '非有限坐标', 1)", (gpkg_blob(wkb),))
con.commit()
PY
rm -f /tmp/hegui_fixture.geojson
ls
