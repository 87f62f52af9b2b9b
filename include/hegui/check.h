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
} hegui_check_options;

/**
 * Runs the survey rules S01-S06 on every zones layer of catalog and fills
 * *out (zeroed first; release with hegui_run_release). Fails with
 * HEGUI_EINPUT when there is no zones layer or a layer cannot be read,
 * HEGUI_ECRS when no working CRS can be found.
 */
int hegui_validate(hegui_run *out, const hegui_catalog *catalog, const hegui_config *config,
                   const hegui_check_options *options);

#ifdef __cplusplus
}
#endif
#endif
