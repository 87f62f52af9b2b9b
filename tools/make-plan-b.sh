#!/usr/bin/env bash
# Makes samples/jincheng-plan-diff/GHYDYH_2020.gpkg: the "previous" land-use
# plan (plan B, layer YDYH2020) for the C06 difference-patch sample. It is
# the current plan samples/jincheng/GHYDYH.gpkg with planted changes:
#   - industrial patches (1001) with fid % 50 = 7 were farmland (0103) in B:
#     construction in plan A, non-construction in plan B;
#   - farmland patches (01xx) with fid % 40 = 3 were industrial (1001) in B:
#     construction in plan B, non-construction in plan A.
# Deterministic (fixed OGR_CURRENT_DATE); uses only ogr2ogr.
set -euo pipefail
cd "$(dirname "$0")/.."
out=samples/jincheng-plan-diff/GHYDYH_2020.gpkg
rm -f "$out"
OGR_CURRENT_DATE=2024-05-20T00:00:00.000Z ogr2ogr -f GPKG "$out" samples/jincheng/GHYDYH.gpkg \
  -nln YDYH2020 -dialect SQLite -sql "
SELECT geom, fid AS YSBH,
  CASE WHEN YDYHFLDM = '1001' AND fid % 50 = 7 THEN '0103'
       WHEN YDYHFLDM LIKE '01%' AND fid % 40 = 3 THEN '1001'
       ELSE YDYHFLDM END AS YDYHFLDM,
  CASE WHEN YDYHFLDM = '1001' AND fid % 50 = 7 THEN '旱地'
       WHEN YDYHFLDM LIKE '01%' AND fid % 40 = 3 THEN '工业用地'
       ELSE YDYHFLMC END AS YDYHFLMC
FROM YDYH ORDER BY fid"
echo "wrote $out"
