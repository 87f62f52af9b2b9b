/*
 * hegui/check.h - the checks: validation of the zones survey on its own
 * (S01-S06) and, later, the conflict and industry rules. A check reads the
 * catalog's layers, runs every enabled rule of the configuration and fills
 * a hegui_run for the reporters.
 */
#ifndef HEGUI_CHECK_H
#define HEGUI_CHECK_H

#include "hegui/config.h"
#include "hegui/finding.h"
#include "hegui/io.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hegui_check_options {
    hegui_severity fail_on; /**< 0: never fail */
    int threads;            /**< worker threads (0: number of cores) */
    long long timestamp;    /**< for the reports (SOURCE_DATE_EPOCH or now) */
    /** Progress of long layers (may be NULL): layer name, features read. */
    void (*progress)(const char *layer, long long done, void *payload);
    /**
     * Called on the calling thread as each stage of the run begins (may be
     * NULL): "zones" (working CRS, zones layers), each rule that runs
     * ("S01", …, "C01", …, "I03"; "enterprises" before the I rules read
     * their layer), "sort" (the findings), "totals", "inputs" (their
     * SHA-256), and NULL when the run ends, failed or not. For timings.
     */
    void (*stage)(const char *name, void *payload);
    void *payload; /**< passed to progress and stage */
} hegui_check_options;

/**
 * Runs the survey rules S01-S06 on every zones layer of catalog and fills
 * *out (zeroed first; release with hegui_run_release). Fails with
 * HEGUI_EINPUT when there is no zones layer or a layer cannot be read,
 * HEGUI_ECRS when no working CRS can be found.
 */
int hegui_validate(hegui_run *out, const hegui_catalog *catalog, const hegui_config *config,
                   const hegui_check_options *options);

/**
 * Runs the survey rules and the conflict rules C01-C05 of the configuration
 * (each only where the inputs have a layer of the role it needs) and fills
 * *out as hegui_validate does. options->threads workers overlay the large
 * layers; the result is the same for any number of threads.
 */
int hegui_check(hegui_run *out, const hegui_catalog *catalog, const hegui_config *config,
                const hegui_check_options *options);

/**
 * The attribute field of layer that the checks read for logical field key
 * (a name of hegui_layer_field_keys(layer->role): code, name, … of a zones
 * layer), resolved as the rules resolve it: the rules file's `fields`
 * entry, else the first default name the layer has (case-insensitive).
 * NULL when the layer has none, or the role reads no such field. Borrowed
 * from layer.
 */
const char *hegui_check_layer_field(const hegui_layer_info *layer, const char *key);

/** False when rule id needs a layer role that catalog lacks (C01 without
 *  farmland …); true for rules that need no extra layer. */
bool hegui_check_rule_has_input(const hegui_catalog *catalog, const char *id);

#ifdef __cplusplus
}
#endif
#endif
