/*
 * hegui/crs.h - what hegui knows about a coordinate reference system, and
 * the check of coordinates against the CRS they claim (DOMAIN.md section 3).
 *
 * Plain data and pure functions: nothing here needs an open dataset, so the
 * zone-prefix and axis rules are testable from numbers alone.
 */
#ifndef HEGUI_CRS_H
#define HEGUI_CRS_H

#include <stdbool.h>

#include "hegui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hegui_datum {
    HEGUI_DATUM_NONE = 0, /**< no CRS at all */
    HEGUI_DATUM_CGCS2000,
    HEGUI_DATUM_XIAN80,
    HEGUI_DATUM_BEIJING54,
    HEGUI_DATUM_WGS84,
    HEGUI_DATUM_OTHER
} hegui_datum;

/** "CGCS2000", "Xian 1980", "Beijing 1954", "WGS 84", "other", "none". */
const char *hegui_datum_name(hegui_datum datum);

/** A described CRS. Plain data. */
typedef struct hegui_crs_info {
    int epsg;                /**< identified EPSG code; 0 when not identified */
    char name[160];          /**< the CRS's own name ("" when none) */
    hegui_datum datum;
    bool geographic;         /**< lon/lat (else projected) */
    int gk_width;            /**< 3 or 6 for Gauss-Kruger; 0 otherwise */
    int gk_zone;             /**< GK zone number; 0 when unknown */
    bool prefixed;           /**< false easting carries the zone number */
    double central_meridian; /**< degrees, for transverse Mercator */
    double false_easting;    /**< metres */
    double unit_m;           /**< metres per unit of a projected CRS's axes (1 for
                                  metres, 0.3048 for feet); 0 when not projected */
} hegui_crs_info;

/**
 * EPSG code of a Gauss-Kruger CRS: datum CGCS2000, XIAN80 or BEIJING54,
 * width 3 or 6, zone number, with or without the zone prefix. 0 when EPSG
 * has no such CRS.
 */
int hegui_crs_gk_epsg(hegui_datum datum, int width, int zone, bool prefixed);

/** 3-degree GK zone of a longitude: floor((lon + 1.5) / 3). */
int hegui_crs_gk3_zone(double lon_deg);
/** 6-degree GK zone of a longitude: floor(lon / 6) + 1. */
int hegui_crs_gk6_zone(double lon_deg);

/** What is wrong between coordinates and the CRS they are declared in. */
typedef enum hegui_coord_issue {
    HEGUI_COORD_OK = 0,
    HEGUI_COORD_UNKNOWN,            /**< nothing to say (no data, not Chinese GK) */
    HEGUI_COORD_PREFIX_UNDECLARED,  /**< eastings carry a zone prefix, the CRS has none */
    HEGUI_COORD_PREFIX_MISSING,     /**< the CRS expects a prefix, eastings have none */
    HEGUI_COORD_ZONE_MISMATCH,      /**< prefix zone differs from the CRS's zone */
    HEGUI_COORD_SWAPPED,            /**< northing and easting exchanged */
    HEGUI_COORD_PROJECTED_AS_GEOGRAPHIC, /**< metres under a lon/lat CRS */
    HEGUI_COORD_GEOGRAPHIC_AS_PROJECTED  /**< degrees under a projected CRS */
} hegui_coord_issue;

typedef struct hegui_coord_check {
    hegui_coord_issue issue;
    int suggested_epsg;  /**< likely right EPSG code; 0 when none */
    int prefix_zone;     /**< zone read from the eastings' prefix; 0 if none */
    char message[400];   /**< English explanation ("" when OK) */
} hegui_coord_check;

/**
 * Checks a layer's extent (xmin, ymin, xmax, ymax; x = easting or lon)
 * against the CRS it declares. crs may be NULL (no CRS): then only the
 * likely CRS is suggested from the digit counts.
 */
void hegui_crs_check_coords(hegui_coord_check *out, const hegui_crs_info *crs,
                            const double extent[4]);

/** Stable name of a coordinate issue ("prefix_undeclared", …). */
const char *hegui_coord_issue_name(hegui_coord_issue issue);

/**
 * Describes a CRS given as text that OSRSetFromUserInput accepts
 * ("EPSG:4526", WKT, PROJ string). HEGUI_ECRS when it cannot be parsed.
 */
int hegui_crs_describe(hegui_crs_info *out, const char *definition);

#ifdef __cplusplus
}
#endif
#endif
