-- PostGIS, variant "subdivide": the layers with huge polygons (red line,
-- urban boundary) are cut with ST_Subdivide (at most 256 vertices a piece)
-- into indexed tables first -- the @prep section, timed as part of this
-- variant -- then queried like the coveredby variant. Farmland and land-use
-- patches have a few dozen vertices at most and are used as loaded.

-- @prep
DROP TABLE IF EXISTS red_sub, cz_sub;
CREATE TABLE red_sub AS SELECT fid, ST_Subdivide(geom, 256) AS geom FROM red;
CREATE INDEX ON red_sub USING gist (geom);
CREATE TABLE cz_sub AS SELECT fid, ST_Subdivide(geom, 256) AS geom FROM cz;
CREATE INDEX ON cz_sub USING gist (geom);
ANALYZE red_sub;
ANALYZE cz_sub;

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
FROM kfq b JOIN red_sub r ON ST_Intersects(r.geom, b.geom)
GROUP BY b.kfqdm ORDER BY 2;

-- @rule C03
SELECT 'C03', b.kfqdm,
       SUM(CASE WHEN u.g IS NULL THEN ST_Area(b.geom) ELSE ST_Area(ST_Difference(b.geom, u.g)) END)
FROM kfq b
CROSS JOIN LATERAL (SELECT ST_Union(c.geom) AS g FROM cz_sub c WHERE ST_Intersects(c.geom, b.geom)) u
GROUP BY b.kfqdm ORDER BY 2;

-- @rule C04
SELECT 'C04', b.kfqdm,
       ST_Area(ST_Union(CASE WHEN ST_CoveredBy(l.geom, b.geom) THEN l.geom
                             ELSE ST_Intersection(l.geom, b.geom) END))
FROM kfq b JOIN lu l ON ST_Intersects(l.geom, b.geom)
WHERE substr(l.ydyhfldm, 1, 2) NOT IN ('07','08','09','10','11','12','13','14','15','16')
GROUP BY b.kfqdm ORDER BY 2;
