-- SpatiaLite (mod_spatialite 5.0, GEOS 3.11): one variant, the coveredby
-- shortcut of postgis-coveredby.sql, with candidates found through the
-- R*Tree that ogr2ogr builds for every table (idx_<table>_geom; its pkid is
-- the table's fid = ROWID). Tables as for PostGIS: kfq, farm, red, cz, lu,
-- all in EPSG:4526. bench/run splits this file at the "-- @rule" lines,
-- runs two rules at a time in separate sqlite3 processes (read-only on the
-- same file), and prepends ".load mod_spatialite"; output is
-- rule <TAB> zone <TAB> area_m2.

-- @rule C01
SELECT 'C01', b.kfqdm,
       ST_Area(ST_Union(CASE WHEN ST_CoveredBy(f.geom, b.geom) THEN f.geom
                             ELSE ST_Intersection(f.geom, b.geom) END))
FROM kfq b JOIN farm f
  ON f.fid IN (SELECT pkid FROM idx_farm_geom
               WHERE xmin <= MbrMaxX(b.geom) AND xmax >= MbrMinX(b.geom)
                 AND ymin <= MbrMaxY(b.geom) AND ymax >= MbrMinY(b.geom))
WHERE ST_Intersects(f.geom, b.geom)
GROUP BY b.kfqdm ORDER BY 2;

-- @rule C02
SELECT 'C02', b.kfqdm,
       ST_Area(ST_Union(CASE WHEN ST_CoveredBy(r.geom, b.geom) THEN r.geom
                             ELSE ST_Intersection(r.geom, b.geom) END))
FROM kfq b JOIN red r
  ON r.fid IN (SELECT pkid FROM idx_red_geom
               WHERE xmin <= MbrMaxX(b.geom) AND xmax >= MbrMinX(b.geom)
                 AND ymin <= MbrMaxY(b.geom) AND ymax >= MbrMinY(b.geom))
WHERE ST_Intersects(r.geom, b.geom)
GROUP BY b.kfqdm ORDER BY 2;

-- @rule C03
SELECT 'C03', kfqdm, SUM(outside) FROM (
  SELECT b.kfqdm AS kfqdm,
         CASE WHEN u.g IS NULL THEN ST_Area(b.geom)
              ELSE ST_Area(ST_Difference(b.geom, u.g)) END AS outside
  FROM kfq b LEFT JOIN (
    SELECT b2.fid AS bfid, ST_Union(c.geom) AS g
    FROM kfq b2 JOIN cz c
      ON c.fid IN (SELECT pkid FROM idx_cz_geom
                   WHERE xmin <= MbrMaxX(b2.geom) AND xmax >= MbrMinX(b2.geom)
                     AND ymin <= MbrMaxY(b2.geom) AND ymax >= MbrMinY(b2.geom))
    WHERE ST_Intersects(c.geom, b2.geom)
    GROUP BY b2.fid) u ON u.bfid = b.fid)
GROUP BY kfqdm ORDER BY 2;

-- @rule C04
SELECT 'C04', b.kfqdm,
       ST_Area(ST_Union(CASE WHEN ST_CoveredBy(l.geom, b.geom) THEN l.geom
                             ELSE ST_Intersection(l.geom, b.geom) END))
FROM kfq b JOIN lu l
  ON l.fid IN (SELECT pkid FROM idx_lu_geom
               WHERE xmin <= MbrMaxX(b.geom) AND xmax >= MbrMinX(b.geom)
                 AND ymin <= MbrMaxY(b.geom) AND ymax >= MbrMinY(b.geom))
WHERE ST_Intersects(l.geom, b.geom)
  AND substr(l.ydyhfldm, 1, 2) NOT IN ('07','08','09','10','11','12','13','14','15','16')
GROUP BY b.kfqdm ORDER BY 2;
