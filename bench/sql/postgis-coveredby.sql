-- PostGIS, variant "coveredby": a candidate the block covers is taken whole
-- (ST_CoveredBy, with PostGIS's prepared-geometry cache on the repeated
-- block); only boundary-crossing candidates pay for ST_Intersection. The
-- pieces of a zone are dissolved with ST_Union as in the plain variant.
-- Same tables and output as postgis-plain.sql.

-- @rule C01
SELECT 'C01', b.kfqdm,
       ST_Area(ST_Union(CASE WHEN ST_CoveredBy(f.geom, b.geom) THEN f.geom
                             ELSE ST_Intersection(f.geom, b.geom) END))
FROM kfq b JOIN farm f ON ST_Intersects(f.geom, b.geom)
GROUP BY b.kfqdm ORDER BY 2;

-- @rule C02
SELECT 'C02', b.kfqdm,
       ST_Area(ST_Union(CASE WHEN ST_CoveredBy(r.geom, b.geom) THEN r.geom
                             ELSE ST_Intersection(r.geom, b.geom) END))
FROM kfq b JOIN red r ON ST_Intersects(r.geom, b.geom)
GROUP BY b.kfqdm ORDER BY 2;

-- @rule C03
-- a block covered by one boundary polygon is 0 without any overlay
SELECT 'C03', b.kfqdm,
       SUM(CASE WHEN EXISTS (SELECT 1 FROM cz c WHERE ST_Covers(c.geom, b.geom)) THEN 0
                WHEN u.g IS NULL THEN ST_Area(b.geom)
                ELSE ST_Area(ST_Difference(b.geom, u.g)) END)
FROM kfq b
CROSS JOIN LATERAL (SELECT ST_Union(c.geom) AS g FROM cz c WHERE ST_Intersects(c.geom, b.geom)) u
GROUP BY b.kfqdm ORDER BY 2;

-- @rule C04
SELECT 'C04', b.kfqdm,
       ST_Area(ST_Union(CASE WHEN ST_CoveredBy(l.geom, b.geom) THEN l.geom
                             ELSE ST_Intersection(l.geom, b.geom) END))
FROM kfq b JOIN lu l ON ST_Intersects(l.geom, b.geom)
WHERE substr(l.ydyhfldm, 1, 2) NOT IN ('07','08','09','10','11','12','13','14','15','16')
GROUP BY b.kfqdm ORDER BY 2;
