-- PostGIS, variant "plain": every block x candidate pair pays for
-- ST_Intersection; the pieces of a zone are dissolved with ST_Union.
-- Tables (bench/run loads them, all in EPSG:4526): kfq (blocks), farm, red,
-- cz (urban development boundary), lu (land use, ydyhfldm).
-- bench/run splits this file at the "-- @rule" lines and runs the rules in
-- two sessions at a time; each prints rule <TAB> zone <TAB> area_m2.
-- Candidates are found per block (tight boxes for the GiST index), then
-- grouped by zone code: the zone is the union of its blocks, which are
-- disjoint, so union(pieces of all blocks) = union(constraint) ∩ zone.

-- @rule C01
SELECT 'C01', b.kfqdm, ST_Area(ST_Union(ST_Intersection(f.geom, b.geom)))
FROM kfq b JOIN farm f ON ST_Intersects(f.geom, b.geom)
GROUP BY b.kfqdm ORDER BY 2;

-- @rule C02
SELECT 'C02', b.kfqdm, ST_Area(ST_Union(ST_Intersection(r.geom, b.geom)))
FROM kfq b JOIN red r ON ST_Intersects(r.geom, b.geom)
GROUP BY b.kfqdm ORDER BY 2;

-- @rule C03
-- area of the blocks outside the union of the boundary; blocks are
-- disjoint, so the zone total is the sum over its blocks
SELECT 'C03', b.kfqdm,
       SUM(CASE WHEN u.g IS NULL THEN ST_Area(b.geom) ELSE ST_Area(ST_Difference(b.geom, u.g)) END)
FROM kfq b
CROSS JOIN LATERAL (SELECT ST_Union(c.geom) AS g FROM cz c WHERE ST_Intersects(c.geom, b.geom)) u
GROUP BY b.kfqdm ORDER BY 2;

-- @rule C04
-- classes not allowed by the default table: every code outside 07-16
SELECT 'C04', b.kfqdm, ST_Area(ST_Union(ST_Intersection(l.geom, b.geom)))
FROM kfq b JOIN lu l ON ST_Intersects(l.geom, b.geom)
WHERE substr(l.ydyhfldm, 1, 2) NOT IN ('07','08','09','10','11','12','13','14','15','16')
GROUP BY b.kfqdm ORDER BY 2;
