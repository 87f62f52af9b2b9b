/*
 * hegui/report.h - the reporters: one file per output format under
 * src/report/, one entry in the reporter table. Every file is written
 * atomically (temporary file in the same folder, then rename), and the
 * same run gives the same bytes (timestamps from run->timestamp).
 */
#ifndef HEGUI_REPORT_H
#define HEGUI_REPORT_H

#include <stdio.h>

#include "hegui/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hegui_lang { HEGUI_LANG_ZH = 0, HEGUI_LANG_EN = 1 } hegui_lang;

typedef struct hegui_report_options {
    hegui_lang lang;
    int color;   /**< console: ANSI colours */
    int quiet;   /**< console: the verdict line only */
} hegui_report_options;

typedef struct hegui_reporter {
    const char *name;     /**< --format name: "console", "json", "junit", "github" … */
    const char *filename; /**< file written in the output folder; NULL: a stream */
    /** Writes the report to out (a file opened by the caller, or stdout). */
    int (*write)(FILE *out, const hegui_run *run, const hegui_report_options *options);
} hegui_reporter;

/** The reporter table. Static storage. */
const hegui_reporter *hegui_reporters(size_t *out_count);
/** Reporter by --format name, or NULL. */
const hegui_reporter *hegui_reporter_find(const char *name);

/**
 * Writes reporter into dir/reporter->filename atomically (dir is created if
 * missing). HEGUI_EOUTPUT naming the path on failure.
 */
int hegui_report_write_file(const hegui_reporter *reporter, const char *dir,
                            const hegui_run *run, const hegui_report_options *options);

#ifdef __cplusplus
}
#endif
#endif
