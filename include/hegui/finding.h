/*
 * hegui/finding.h - the finding record (DESIGN.md section 4) and the
 * result of a run that every reporter reads.
 *
 * A finding is plain data: strings owned by the findings list, geometry as
 * WKT in the working CRS (coordinates rounded to the millimetre, so output
 * is byte-stable). hegui_findings_sort() orders findings by a total key so
 * that output is the same for any thread count.
 */
#ifndef HEGUI_FINDING_H
#define HEGUI_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hegui/common.h"
#include "hegui/config.h"
#include "hegui/crs.h"

#ifdef __cplusplus
extern "C" {
#endif

/** 1 亩 = 10000/15 m2 exactly; 1 公顷 = 10000 m2. */
#define HEGUI_M2_PER_HA 10000.0
#define HEGUI_M2_PER_MU (10000.0 / 15.0)

typedef struct hegui_finding {
    const char *rule;          /**< "S01" … (static catalogue string) */
    hegui_severity severity;
    char *zone_code;           /**< KFQDM of the zone ("" when unknown) */
    char *zone_name;           /**< KFQMC */
    char *block;               /**< QKMC, block name ("" when none) */
    char *layer;               /**< subject layer name */
    char *layer_path;          /**< dataset path of the subject layer ("" when none) */
    int64_t fid;               /**< subject feature id (-1: none) */
    char *subject_attrs;       /**< key attributes "KEY=value; …" ("" when none) */
    char *other_layer;         /**< other layer name ("" when none) */
    int64_t other_fid;         /**< other feature id (-1: none) */
    char *other_attrs;         /**< key attributes of the other feature */
    char *wkt;                 /**< geometry in the working CRS ("" when none) */
    bool has_area;             /**< the finding measures an area */
    double area_m2;            /**< planar area, working CRS */
    double area_ellipsoidal_m2;/**< geodesic area on the CRS's ellipsoid */
    double share_of_zone;      /**< area / zone area, 0..1 (-1: n/a) */
    char *message_zh;
    char *message_en;
} hegui_finding;

typedef struct hegui_findings {
    hegui_finding *items;
    size_t count;
    size_t cap;
} hegui_findings;

/**
 * Appends a deep copy of f (NULL strings become ""). Returns 0 or
 * HEGUI_ENOMEM.
 */
int hegui_findings_add(hegui_findings *list, const hegui_finding *f);
/** Sorts by (rule, zone code, layer, fid, other layer, other fid, wkt,
 *  message_en): strings by strcmp (UTF-8 byte order), fids numerically.
 *  Ties are broken by the remaining fields (severity, message_zh, zone name,
 *  block, attributes, areas), so findings that compare equal print the
 *  same; the sort is also stable. */
void hegui_findings_sort(hegui_findings *list);
/** Frees every finding and the array; the list is reset to empty. */
void hegui_findings_release(hegui_findings *list);
/** Total-order comparison used by hegui_findings_sort. */
int hegui_finding_compare(const hegui_finding *a, const hegui_finding *b);

/** 公顷 of an area in m2 (area_m2 / 10000). Every report converts with
 *  these two, so all outputs round the same unrounded value. */
double hegui_area_ha(double area_m2);
/** 亩 of an area in m2: area_m2 * 15 / 10000 (1 亩 = 10000/15 m2 exactly;
 *  multiplying first keeps whole m2 values exact, 1500 m2 = 2.25 亩). */
double hegui_area_mu(double area_m2);

/** One input layer as the reports list it. Strings owned by the run. */
typedef struct hegui_run_input {
    char *path;
    char *sha256;        /**< hex digest of the dataset file ("" for PG:) */
    char *layer;
    char *role;          /**< role name */
    int64_t feature_count;
    char *crs;           /**< "EPSG:4526" or the CRS name */
    char *encoding;
} hegui_run_input;

/** Totals of one (rule, zone code): measured on the dissolved geometry. */
typedef struct hegui_run_total {
    const char *rule;
    char *zone_code;
    char *zone_name;
    size_t count;
    double area_m2;
    double area_ellipsoidal_m2;
    double share_of_zone; /**< -1: n/a */
} hegui_run_total;

/** One zone (all blocks sharing a code). */
typedef struct hegui_run_zone {
    char *code;
    char *name;
    size_t block_count;
    double area_m2;              /**< surveyed planar area of its blocks */
    double area_ellipsoidal_m2;
} hegui_run_zone;

/** Outline of one zone block (a feature of a zones layer), for the maps of
 *  report.html. Strings owned by the run, never NULL. */
typedef struct hegui_run_block {
    char *zone_code;   /**< KFQDM ("" when the block has none) */
    char *zone_name;   /**< KFQMC ("" when none) */
    char *block;       /**< QKMC, block name ("" when none) */
    char *layer;       /**< zones layer name */
    int64_t fid;       /**< feature id in that layer */
    char *wkt;         /**< the block's geometry as computed with (valid, repaired
                            when the survey's was not), working CRS, millimetre
                            coordinates; "" when the feature has no geometry */
    double area_m2;    /**< planar area of that geometry */
} hegui_run_block;

/** Land-use structure: area of one land class inside one zone (C04). */
typedef struct hegui_run_landuse {
    char *zone_code;
    char *zone_name;
    char *class_code;            /**< code as in the plan (YDYHFLDM / DLBM) */
    char *class_name;            /**< name from the plan ("" when none) */
    char *verdict;               /**< "allowed" | "warning" | "conflict" */
    double area_m2;              /**< planar */
    double area_ellipsoidal_m2;
    double share_of_zone;        /**< 0..1 */
} hegui_run_landuse;

/** 亩均 intensity (I03): one enterprise, or a whole zone when enterprise is "". */
typedef struct hegui_run_intensity {
    char *zone_code;
    char *zone_name;
    char *enterprise;        /**< QYMC; "" for the zone's own row */
    char *industry_code;     /**< HYDM ("" for zone rows) */
    double land_m2;          /**< land area used for the ratios */
    double investment;       /**< 万元 (TZE) */
    double output;           /**< 万元 per year (CZ) */
    double tax;              /**< 万元 per year (SS) */
    double investment_per_mu;/**< 万元/亩; NaN when land is 0 */
    double output_per_mu;
    double tax_per_mu;
    int rank_in_zone;        /**< 1 = highest output per 亩 in its zone; 0 for zone rows */
} hegui_run_intensity;

/** Everything a reporter needs. Built by the checks, read by reports. */
typedef struct hegui_run {
    const char *command;        /**< "validate" | "check" */
    hegui_run_input *inputs;
    size_t input_count;
    char *rules_sha256;
    char *rules_source;         /**< rules file path or "<default>" */
    hegui_crs_info working_crs;
    hegui_area_method area_method;
    hegui_findings findings;    /**< sorted */
    hegui_run_total *totals;    /**< sorted by (rule, zone code) */
    size_t total_count;
    hegui_run_zone *zones;      /**< sorted by code */
    size_t zone_count;
    hegui_run_block *blocks;    /**< every zones feature, in catalog then reading order */
    size_t block_count;
    hegui_run_landuse *landuse; /**< sorted by (zone code, class code); check only */
    size_t landuse_count;
    hegui_run_intensity *intensity; /**< zone rows then enterprises by rank; check only */
    size_t intensity_count;
    const hegui_config *config; /**< borrowed: the rule catalogue settings */
    size_t suppressed[32];      /**< per catalogue index: below min area */
    /** Per catalogue index: why an enabled rule could not run at all (its
     *  input layer is missing), a static English text; NULL when it ran.
     *  Such a rule has no totals rows: 0 m2 would read as "no conflict". */
    const char *not_checked[32];
    hegui_severity fail_on;     /**< 0 = never */
    long long timestamp;        /**< seconds since 1970 (SOURCE_DATE_EPOCH or now) */
    /* Library versions for the reports ("3.8.4"), filled by the run builder
     * so that reporters need no GDAL/GEOS/PROJ headers. Borrowed (the
     * libraries' static strings), not freed by hegui_run_release; NULL is
     * reported as "". */
    const char *gdal_version;
    const char *geos_version;
    const char *proj_version;
} hegui_run;

/** Counts of findings of each severity. */
void hegui_run_counts(const hegui_run *run, size_t *out_errors, size_t *out_warnings,
                      size_t *out_infos);
/** True when no finding is at or above run->fail_on. */
bool hegui_run_passed(const hegui_run *run);
/** Frees what the run owns (not the config). */
void hegui_run_release(hegui_run *run);

#ifdef __cplusplus
}
#endif
#endif
